import { describe, expect, it } from '@jest/globals';
import { buildCheckoutUrl, isHexColor } from './checkout-url.js';

describe('isHexColor', () => {
  it.each(['#3399cc', '#3399CC', '#fff', '#A1b'])('should accept %s', (value) => {
    expect(isHexColor(value)).toBe(true);
  });

  it.each(['3399cc', '#3399c', '#3399ccc', '#ggg', 'red', '#fff;', ' #fff', '#fff ', '', undefined, 0x3399cc])(
    'should reject %p',
    (value) => {
      expect(isHexColor(value)).toBe(false);
    },
  );
});

describe('buildCheckoutUrl', () => {
  const params = {
    baseUrl: 'https://gateway.example',
    orderId: 'order_xyz',
    key: 'key_test_abc123',
    parentOrigin: 'https://shop.example:8443',
  };

  it('should list the parameters in the contract order with the parent origin encoded', () => {
    expect(buildCheckoutUrl(params)).toBe(
      'https://gateway.example/checkout?order_id=order_xyz&embedded=true&key=key_test_abc123' +
        '&parent_origin=https%3A%2F%2Fshop.example%3A8443',
    );
  });

  it('should append an encoded theme_color when it is a hex colour', () => {
    expect(buildCheckoutUrl({ ...params, themeColor: '#3399cc' })).toMatch(
      /&parent_origin=[^&]+&theme_color=%233399cc$/,
    );
  });

  it('should leave out a theme_color that is not a hex colour', () => {
    expect(buildCheckoutUrl({ ...params, themeColor: 'red&x=1' })).not.toContain('theme_color');
  });

  it('should not double the slash after a base URL ending in one', () => {
    expect(buildCheckoutUrl({ ...params, baseUrl: 'https://gateway.example/pay/' })).toMatch(
      /^https:\/\/gateway\.example\/pay\/checkout\?/,
    );
  });

  it('should encode the order id and key so they cannot inject parameters', () => {
    const url = new URL(buildCheckoutUrl({ ...params, orderId: 'order_1&embedded=false', key: 'key #1' }));

    expect(url.searchParams.getAll('embedded')).toEqual(['true']);
    expect(url.searchParams.get('order_id')).toBe('order_1&embedded=false');
    expect(url.searchParams.get('key')).toBe('key #1');
  });
});
