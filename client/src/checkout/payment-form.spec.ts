import { describe, expect, it } from '@jest/globals';
import {
  buildCardPaymentRequest,
  buildUpiPaymentRequest,
  hasErrors,
  validateCardFields,
  validateVpaField,
  type CardFields,
} from './payment-form';

const now = new Date('2025-06-15T12:00:00.000Z');
const valid: CardFields = { number: '4111 1111 1111 1111', expiry: '12/30', cvv: '123', holderName: 'John Doe' };

describe('validateVpaField', () => {
  it('should accept the contract examples and trim spaces', () => {
    expect(validateVpaField('user@paytm')).toBeUndefined();
    expect(validateVpaField(' john.doe@okhdfcbank ')).toBeUndefined();
  });

  it('should reject empty and malformed VPAs', () => {
    expect(validateVpaField('')).toBe('Enter your UPI ID');
    for (const vpa of ['invalid-vpa', 'user@ok-hdfc', 'user@bank.com']) {
      expect(validateVpaField(vpa)).toBe('Enter a valid UPI ID, like username@bank');
    }
  });
});

describe('validateCardFields', () => {
  it('should accept a valid card', () => {
    expect(hasErrors(validateCardFields(valid, now))).toBe(false);
    expect(hasErrors(validateCardFields({ ...valid, holderName: '' }, now))).toBe(false);
  });

  it('should flag every missing required field', () => {
    expect(validateCardFields({ number: '', expiry: '', cvv: '', holderName: '' }, now)).toEqual({
      number: 'Enter your card number',
      expiry: 'Enter the expiry date',
      cvv: 'Enter the CVV',
    });
  });

  it('should apply the Luhn and length rules of the server', () => {
    expect(validateCardFields({ ...valid, number: '1234 5678 9012 3456' }, now).number).toBe(
      'Enter a valid card number',
    );
    expect(validateCardFields({ ...valid, number: '4111 1111' }, now).number).toBe('Enter a valid card number');
    expect(validateCardFields({ ...valid, number: '3782 822463 10005' }, now).number).toBeUndefined();
  });

  it('should check the expiry shape, month and date (valid through the expiry month)', () => {
    expect(validateCardFields({ ...valid, expiry: '12/' }, now).expiry).toBe('Enter expiry as MM/YY');
    expect(validateCardFields({ ...valid, expiry: '00/30' }, now).expiry).toBe('Enter expiry as MM/YY');
    expect(validateCardFields({ ...valid, expiry: '01/20' }, now).expiry).toBe('This card has expired');
    expect(validateCardFields({ ...valid, expiry: '05/25' }, now).expiry).toBe('This card has expired');
    expect(validateCardFields({ ...valid, expiry: '06/25' }, now).expiry).toBeUndefined();
  });

  it('should require a 3 or 4 digit CVV', () => {
    expect(validateCardFields({ ...valid, cvv: '12' }, now).cvv).toBe('CVV must be 3 or 4 digits');
    expect(validateCardFields({ ...valid, cvv: '1234' }, now).cvv).toBeUndefined();
  });
});

describe('buildUpiPaymentRequest', () => {
  it('should build the UPI body of CONTRACT §4.2', () => {
    expect(buildUpiPaymentRequest('order_1', ' user@paytm ')).toStrictEqual({
      order_id: 'order_1',
      method: 'upi',
      vpa: 'user@paytm',
    });
  });
});

describe('buildCardPaymentRequest', () => {
  it('should split MM/YY into expiry_month/expiry_year and send the cleaned number', () => {
    expect(buildCardPaymentRequest('order_1', valid)).toStrictEqual({
      order_id: 'order_1',
      method: 'card',
      card: {
        number: '4111111111111111',
        expiry_month: '12',
        expiry_year: '2030',
        cvv: '123',
        holder_name: 'John Doe',
      },
    });
  });

  it('should omit a blank holder name', () => {
    expect(buildCardPaymentRequest('order_1', { ...valid, holderName: '  ' }).card).not.toHaveProperty('holder_name');
  });
});
