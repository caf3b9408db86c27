import { describe, expect, it } from '@jest/globals';
import { canonicalJson, isValidIdempotencyKey, requestFingerprint } from './fingerprint.js';

describe('canonicalJson', () => {
  it('should sort keys at every depth and drop whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('should keep array order and distinguish types', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});

describe('requestFingerprint', () => {
  it('should ignore key order, whitespace and the query string', () => {
    const sut = requestFingerprint('POST', '/api/v1/orders?x=1', JSON.parse('{ "amount": 500,  "currency":"INR" }'));
    expect(sut).toBe(requestFingerprint('post', '/api/v1/orders', { currency: 'INR', amount: 500 }));
    expect(sut).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should treat an empty body as {}', () => {
    expect(requestFingerprint('POST', '/p', undefined)).toBe(requestFingerprint('POST', '/p', {}));
  });

  it('should change with the method, the path or the body', () => {
    const base = requestFingerprint('POST', '/api/v1/orders', { amount: 500 });
    expect(requestFingerprint('PUT', '/api/v1/orders', { amount: 500 })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/payments', { amount: 500 })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/orders', { amount: 501 })).not.toBe(base);
  });
});

describe('isValidIdempotencyKey', () => {
  it('should accept 1-255 printable ASCII characters', () => {
    expect(isValidIdempotencyKey('a')).toBe(true);
    expect(isValidIdempotencyKey(' ~!key-123_ABC ')).toBe(true);
    expect(isValidIdempotencyKey('x'.repeat(255))).toBe(true);
  });

  it('should reject empty, too long, control and non-ASCII keys', () => {
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('x'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey('a\tb')).toBe(false);
    expect(isValidIdempotencyKey('clé')).toBe(false);
  });
});
