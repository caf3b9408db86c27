/**
 * Payment instrument rules of CONTRACT §4.3. Pure and dependency-free: the server validates with them
 * and the hosted checkout page imports the same file to mirror the server while the shopper types.
 */

export type CardNetwork = 'visa' | 'mastercard' | 'amex' | 'rupay' | 'unknown';

const VPA_PATTERN = /^[a-zA-Z0-9._-]+@[a-zA-Z0-9]+$/;
const CVV_PATTERN = /^\d{3,4}$/;

export function isValidVpa(vpa: string): boolean {
  return VPA_PATTERN.test(vpa);
}

/** Removes the spaces and dashes shoppers type between digit groups. */
export function cleanCardNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** Luhn check on a string of digits: from the right, double every second digit, subtract 9 if > 9. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A cleaned number of 13-19 digits that passes Luhn. */
export function isValidCardNumber(cleaned: string): boolean {
  return /^\d{13,19}$/.test(cleaned) && passesLuhn(cleaned);
}

/** First match wins; 2-series Mastercard is deliberately `unknown` (CONTRACT §4.3). */
export function detectCardNetwork(cleaned: string): CardNetwork {
  if (/^4/.test(cleaned)) return 'visa';
  if (/^5[1-5]/.test(cleaned)) return 'mastercard';
  if (/^3[47]/.test(cleaned)) return 'amex';
  if (/^(60|65|8[1-9])/.test(cleaned)) return 'rupay';
  return 'unknown';
}

export function cardLast4(cleaned: string): string {
  return cleaned.slice(-4);
}

/** Strings or JSON integers; anything else (or non-digits) is unparsable. */
function toInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\d{1,4}$/.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * Valid through the end of the expiry month, in UTC. A 2-digit year gets +2000. Unparsable month or
 * year counts as invalid.
 */
export function isValidExpiry(month: unknown, year: unknown, now: Date = new Date()): boolean {
  const m = toInteger(month);
  let y = toInteger(year);
  if (m === null || y === null || m < 1 || m > 12) return false;
  if (y < 100) y += 2000;
  const currentYear = now.getUTCFullYear();
  const currentMonth = now.getUTCMonth() + 1;
  return y > currentYear || (y === currentYear && m >= currentMonth);
}

export function isValidCvv(cvv: unknown): boolean {
  return (
    (typeof cvv === 'string' || (typeof cvv === 'number' && Number.isInteger(cvv))) && CVV_PATTERN.test(String(cvv))
  );
}

/** `"MM/YY"` or `"MM/YYYY"` → month and year strings; null when the shape is wrong. */
export function splitExpiry(expiry: string): { month: string; year: string } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry);
  return match ? { month: match[1], year: match[2] } : null;
}
