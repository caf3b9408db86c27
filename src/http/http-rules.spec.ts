import { describe, expect, it } from '@jest/globals';
import { isPublicCorsPath, jsonDepth } from './http-rules.js';

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
