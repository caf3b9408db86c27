import { describe, expect, it } from '@jest/globals';
import { parseCheckoutParams, parseParentOrigin } from './checkout-params';

describe('parseCheckoutParams', () => {
  it('should read a standalone checkout URL', () => {
    expect(parseCheckoutParams('?order_id=order_abc')).toEqual({
      orderId: 'order_abc',
      embedded: false,
      parentOrigin: null,
      themeColor: null,
    });
  });

  it('should read the SDK iframe parameters', () => {
    const sut = parseCheckoutParams(
      '?order_id=order_abc&embedded=true&key=key_test_abc123&parent_origin=http%3A%2F%2Flocalhost%3A5173&theme_color=%233399cc',
    );
    expect(sut).toEqual({
      orderId: 'order_abc',
      embedded: true,
      parentOrigin: 'http://localhost:5173',
      themeColor: { accent: '#3399cc', contrast: '#ffffff' },
    });
  });

  it('should treat a missing or blank order_id as absent', () => {
    expect(parseCheckoutParams('').orderId).toBeNull();
    expect(parseCheckoutParams('?order_id=%20').orderId).toBeNull();
  });

  it('should only be embedded for the exact string "true"', () => {
    expect(parseCheckoutParams('?embedded=TRUE').embedded).toBe(false);
    expect(parseCheckoutParams('?embedded=1').embedded).toBe(false);
  });
});

describe('parseParentOrigin', () => {
  it('should normalise http(s) URLs to their origin', () => {
    expect(parseParentOrigin('https://Shop.example.com:443/cart?x=1')).toBe('https://shop.example.com');
    expect(parseParentOrigin('http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('should reject anything that is not an http(s) origin', () => {
    expect(parseParentOrigin(null)).toBeNull();
    expect(parseParentOrigin('')).toBeNull();
    expect(parseParentOrigin('*')).toBeNull();
    expect(parseParentOrigin('null')).toBeNull();
    expect(parseParentOrigin('javascript:alert(1)')).toBeNull();
    expect(parseParentOrigin('file:///etc/passwd')).toBeNull();
    expect(parseParentOrigin('localhost:3000')).toBeNull();
  });
});
