import { ApiException } from '../common/api.exception.js';
import {
  type CardNetwork,
  cardLast4,
  cleanCardNumber,
  detectCardNetwork,
  isValidCardNumber,
  isValidCvv,
  isValidExpiry,
  isValidVpa,
  splitExpiry,
} from './instruments.js';
import type { PaymentMethod } from './payment.entity.js';

/** What survives validation: never the full card number or the CVV, only what may be stored. */
export type ValidatedInstrument =
  | { method: 'upi'; vpa: string; testOutcome: TestOutcome | null }
  | { method: 'card'; cardNetwork: CardNetwork; cardLast4: string; testOutcome: TestOutcome | null };

export type TestOutcome = 'success' | 'failed';

const TEST_INSTRUMENTS: Record<string, TestOutcome> = {
  'success@test': 'success',
  'failure@test': 'failed',
  '4111111111111111': 'success',
  '4242424242424242': 'success',
  '4000000000000002': 'failed',
};

type Body = Record<string, unknown>;

const isPresent = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Step 2 of CONTRACT §4.2, before the order is looked up. */
export function requireOrderId(body: Body): string {
  const orderId = body.order_id;
  if (typeof orderId !== 'string' || orderId === '') throw ApiException.badRequest('order_id is required');
  return orderId;
}

interface CardFields {
  number: unknown;
  expiryMonth: unknown;
  expiryYear: unknown;
  cvv: unknown;
  holderName: unknown;
  /** Prefix used to name fields in messages: `card.` or the flat alias names. */
  names: { number: string; expiryMonth: string; expiryYear: string; cvv: string; holderName: string };
}

function cardFields(body: Body): CardFields {
  const card = body.card;
  if (card === undefined || card === null) {
    const flat = ['card_number', 'card_expiry', 'card_cvv'].some((key) => body[key] !== undefined);
    if (flat) {
      const expiry = typeof body.card_expiry === 'string' ? splitExpiry(body.card_expiry) : null;
      const expiryGiven = isPresent(body.card_expiry);
      return {
        number: body.card_number,
        // An unparsable card_expiry is present but invalid: it fails the expiry check, not presence.
        expiryMonth: expiryGiven ? (expiry?.month ?? 'invalid') : undefined,
        expiryYear: expiryGiven ? (expiry?.year ?? 'invalid') : undefined,
        cvv: body.card_cvv,
        holderName: body.holder_name,
        names: {
          number: 'card_number',
          expiryMonth: 'card_expiry',
          expiryYear: 'card_expiry',
          cvv: 'card_cvv',
          holderName: 'holder_name',
        },
      };
    }
  }
  if (card !== undefined && card !== null && (typeof card !== 'object' || Array.isArray(card))) {
    throw ApiException.badRequest('card must be an object');
  }
  const fields = (card ?? {}) as Body;
  return {
    number: fields.number,
    expiryMonth: fields.expiry_month,
    expiryYear: fields.expiry_year,
    cvv: fields.cvv,
    holderName: fields.holder_name,
    names: {
      number: 'card.number',
      expiryMonth: 'card.expiry_month',
      expiryYear: 'card.expiry_year',
      cvv: 'card.cvv',
      holderName: 'card.holder_name',
    },
  };
}

/**
 * Steps 4-7 of CONTRACT §4.2 in order, first failure returned: method, presence, then the instrument
 * rules of §4.3. `allowTestInstruments` is false in production (§6 row 2).
 */
export function validateInstrument(body: Body, allowTestInstruments: boolean): ValidatedInstrument {
  const method = body.method as PaymentMethod;
  if (method !== 'upi' && method !== 'card') throw ApiException.badRequest('method must be one of: upi, card');

  if (method === 'upi') {
    if (!isPresent(body.vpa)) throw ApiException.badRequest('vpa is required');
    const vpa = body.vpa;
    if (typeof vpa !== 'string' || vpa.length > 255 || !isValidVpa(vpa)) {
      throw new ApiException(400, 'INVALID_VPA', 'VPA format invalid');
    }
    return { method, vpa, testOutcome: allowTestInstruments ? (TEST_INSTRUMENTS[vpa] ?? null) : null };
  }

  const card = cardFields(body);
  for (const key of ['number', 'expiryMonth', 'expiryYear', 'cvv'] as const) {
    if (!isPresent(card[key])) throw ApiException.badRequest(`${card.names[key]} is required`);
  }
  const cleaned = typeof card.number === 'string' ? cleanCardNumber(card.number) : '';
  if (!isValidCardNumber(cleaned)) throw new ApiException(400, 'INVALID_CARD', 'Card validation failed');
  if (!isValidExpiry(card.expiryMonth, card.expiryYear)) {
    throw new ApiException(400, 'EXPIRED_CARD', 'Card expiry date invalid');
  }
  if (!isValidCvv(card.cvv)) throw new ApiException(400, 'INVALID_CARD', 'card.cvv must be 3 or 4 digits');
  if (card.holderName !== undefined && card.holderName !== null) {
    if (typeof card.holderName !== 'string' || card.holderName.length > 255) {
      throw ApiException.badRequest(`${card.names.holderName} must be a string of at most 255 characters`);
    }
  }
  return {
    method,
    cardNetwork: detectCardNetwork(cleaned),
    cardLast4: cardLast4(cleaned),
    testOutcome: allowTestInstruments ? (TEST_INSTRUMENTS[cleaned] ?? null) : null,
  };
}
