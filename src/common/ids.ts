import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of [A-Za-z0-9] from the CSPRNG, without modulo bias. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export const newOrderId = (): string => `order_${randomAlphanumeric(16)}`;
export const newPaymentId = (): string => `pay_${randomAlphanumeric(16)}`;
export const newRefundId = (): string => `rfnd_${randomAlphanumeric(16)}`;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * Could this be one of our `prefix_XXXXXXXXXXXXXXXX` ids? Anything else (too long, odd characters, NUL
 * bytes) cannot exist and is answered as not found without touching the database.
 */
export function isWellFormedId(value: string): boolean {
  return /^[A-Za-z0-9_]{1,64}$/.test(value);
}
