const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export interface CheckoutUrlParams {
  baseUrl: string;
  orderId: string;
  key: string;
  parentOrigin: string;
  themeColor?: string;
}

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

/** The hosted checkout page URL in embedded mode (CONTRACT §8), parameters in the contract's order. */
export function buildCheckoutUrl({ baseUrl, orderId, key, parentOrigin, themeColor }: CheckoutUrlParams): string {
  let url =
    `${baseUrl.replace(/\/+$/, '')}/checkout?order_id=${encodeURIComponent(orderId)}&embedded=true` +
    `&key=${encodeURIComponent(key)}&parent_origin=${encodeURIComponent(parentOrigin)}`;
  // The page ignores a malformed colour anyway; leaving it out keeps the URL honest.
  if (isHexColor(themeColor)) {
    url += `&theme_color=${encodeURIComponent(themeColor)}`;
  }
  return url;
}
