import { parseThemeColor, type ThemeColor } from './theme-color';

/** What the hosted checkout page reads from its query string (CONTRACT §8, §9). */
export interface CheckoutParams {
  orderId: string | null;
  embedded: boolean;
  /** Origin of the embedding page, only when it is a valid http(s) origin; null means "post nothing". */
  parentOrigin: string | null;
  themeColor: ThemeColor | null;
}

export function parseCheckoutParams(search: string): CheckoutParams {
  const query = new URLSearchParams(search);
  const orderId = query.get('order_id')?.trim() ?? '';
  return {
    orderId: orderId === '' ? null : orderId,
    embedded: query.get('embedded') === 'true',
    parentOrigin: parseParentOrigin(query.get('parent_origin')),
    themeColor: parseThemeColor(query.get('theme_color')),
  };
}

/**
 * Messages carry the payment signature, so they may only go to a real web origin. `URL.origin` also
 * normalises the value (case, default port, trailing path) so postMessage's exact match works.
 */
export function parseParentOrigin(value: string | null): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}
