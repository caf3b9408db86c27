import { describe, expect, it } from '@jest/globals';
import { isPublicCorsPath, jsonDepth, MAX_DRAINED_BODY_BYTES, shouldDrainOversizedBody } from './http-rules.js';

describe('jsonDepth', () => {
  it('should measure nesting without recursion', () => {
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: { b: [1, { c: 2 }] } })).toBe(4);
    const deep = JSON.parse(`{"x":${'['.repeat(20000)}${']'.repeat(20000)}}`) as unknown;
    expect(jsonDepth(deep)).toBeGreaterThan(64);
  });
});

describe('isPublicCorsPath', () => {
  it('should open only the public checkout endpoints, health and the SDK bundle', () => {
    for (const path of [
      '/health',
      '/checkout.js',
      '/sdk/checkout.js',
      '/api/v1/orders/order_x/public',
      '/api/v1/payments/public',
      '/api/v1/payments/public/pay_x',
      '/api/v1/payments/pay_x/public',
    ]) {
      expect(isPublicCorsPath(path)).toBe(true);
    }
    for (const path of [
      '/api/v1/orders',
      '/api/v1/payments/pay_x',
      '/api/v1/merchants/me',
      '/dashboard',
      '/api/v1/publicity',
    ]) {
      expect(isPublicCorsPath(path)).toBe(false);
    }
  });
});

describe('shouldDrainOversizedBody', () => {
  it('should drain bodies announced over the limit, up to the drain cap', () => {
    expect(shouldDrainOversizedBody('1025', 1024)).toBe(true);
    expect(shouldDrainOversizedBody(String(MAX_DRAINED_BODY_BYTES), 1024)).toBe(true);
  });

  it('should leave bodies within the limit, beyond the cap, or without a usable length alone', () => {
    expect(shouldDrainOversizedBody('1024', 1024)).toBe(false);
    expect(shouldDrainOversizedBody(String(MAX_DRAINED_BODY_BYTES + 1), 1024)).toBe(false);
    expect(shouldDrainOversizedBody(undefined, 1024)).toBe(false);
    expect(shouldDrainOversizedBody('abc', 1024)).toBe(false);
  });
});
