import {
  cleanCardNumber,
  isValidCardNumber,
  isValidCvv,
  isValidExpiry,
  isValidVpa,
  splitExpiry,
} from '../../../src/payments/instruments';
import type { CardPaymentRequest, UpiPaymentRequest } from './checkout-api';

/** Raw values of the card form, as typed (card number with spaces, expiry as `MM/YY`). */
export interface CardFields {
  number: string;
  expiry: string;
  cvv: string;
  holderName: string;
}

export type CardFieldErrors = Partial<Record<keyof CardFields, string>>;

export const EMPTY_CARD_FIELDS: CardFields = { number: '', expiry: '', cvv: '', holderName: '' };

const MAX_HOLDER_NAME = 255;

/** Same rules as the server (CONTRACT §4.3, shared instruments.ts), worded for the shopper. */
export function validateVpaField(vpa: string): string | undefined {
  const value = vpa.trim();
  if (value === '') return 'Enter your UPI ID';
  if (!isValidVpa(value)) return 'Enter a valid UPI ID, like username@bank';
  return undefined;
}

export function validateCardFields(fields: CardFields, now: Date = new Date()): CardFieldErrors {
  const errors: CardFieldErrors = {};

  const number = cleanCardNumber(fields.number);
  if (number === '') errors.number = 'Enter your card number';
  else if (!isValidCardNumber(number)) errors.number = 'Enter a valid card number';

  const expiry = splitExpiry(fields.expiry);
  if (fields.expiry.trim() === '') errors.expiry = 'Enter the expiry date';
  else if (!expiry || Number(expiry.month) < 1 || Number(expiry.month) > 12) errors.expiry = 'Enter expiry as MM/YY';
  else if (!isValidExpiry(expiry.month, expiry.year, now)) errors.expiry = 'This card has expired';

  if (fields.cvv === '') errors.cvv = 'Enter the CVV';
  else if (!isValidCvv(fields.cvv)) errors.cvv = 'CVV must be 3 or 4 digits';

  if (fields.holderName.trim().length > MAX_HOLDER_NAME) {
    errors.holderName = `Name must be at most ${MAX_HOLDER_NAME} characters`;
  }
  return errors;
}

export function hasErrors(errors: object): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

export function buildUpiPaymentRequest(orderId: string, vpa: string): UpiPaymentRequest {
  return { order_id: orderId, method: 'upi', vpa: vpa.trim() };
}

/**
 * The single `MM/YY` field becomes `expiry_month`/`expiry_year` (CONTRACT §8); the year is sent with four
 * digits so the request reads like the contract's example. The name is optional and omitted when blank.
 */
export function buildCardPaymentRequest(orderId: string, fields: CardFields): CardPaymentRequest {
  const expiry = splitExpiry(fields.expiry);
  const month = expiry ? expiry.month.padStart(2, '0') : fields.expiry;
  const year = expiry ? (expiry.year.length === 2 ? `20${expiry.year}` : expiry.year) : '';
  const holderName = fields.holderName.trim();
  return {
    order_id: orderId,
    method: 'card',
    card: {
      number: cleanCardNumber(fields.number),
      expiry_month: month,
      expiry_year: year,
      cvv: fields.cvv,
      ...(holderName === '' ? {} : { holder_name: holderName }),
    },
  };
}
