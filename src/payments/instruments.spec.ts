import { describe, expect, it } from '@jest/globals';
import {
  cleanCardNumber,
  detectCardNetwork,
  isValidCardNumber,
  isValidCvv,
  isValidExpiry,
  isValidVpa,
  passesLuhn,
  splitExpiry,
} from './instruments.js';

describe('isValidVpa', () => {
  it.each(['user@paytm', 'john.doe@okhdfcbank', 'a_b-c.d@x1', 'success@test'])('should accept %s', (vpa) => {
    expect(isValidVpa(vpa)).toBe(true);
  });
  it.each(['invalid-vpa', 'user@ok-hdfc', 'user@bank.com', '@paytm', 'user@', 'us er@paytm', 'a@b@c', ''])(
    'should reject %p',
    (vpa) => {
      expect(isValidVpa(vpa)).toBe(false);
    },
  );
});

describe('card numbers', () => {
  it('should strip spaces and dashes', () => {
    expect(cleanCardNumber('4111 1111-1111 1111')).toBe('4111111111111111');
  });
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '6521000000000007', '4000000000000002'])(
    'should accept valid number %s',
    (number) => {
      expect(isValidCardNumber(number)).toBe(true);
    },
  );
  it('should reject Luhn failures and bad lengths', () => {
    expect(isValidCardNumber('1234567890123456')).toBe(false);
    expect(isValidCardNumber('4111111111111112')).toBe(false);
    expect(isValidCardNumber('411111111111')).toBe(false); // 12 digits
    expect(isValidCardNumber('41111111111111111111')).toBe(false); // 20 digits
    expect(isValidCardNumber('4111a11111111111')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });
  it('should accept 13- and 19-digit numbers that pass Luhn', () => {
    expect(isValidCardNumber('4222222222222')).toBe(true);
    expect(isValidCardNumber('6011111111111111110')).toBe(true);
  });
});

describe('detectCardNetwork', () => {
  it.each([
    ['4111111111111111', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['6521000000000007', 'rupay'],
    ['6011111111111117', 'rupay'],
    ['8112345678901234', 'rupay'],
    ['2221000000000009', 'unknown'],
    ['5011111111111111', 'unknown'],
    ['8012345678901234', 'unknown'],
  ])('should detect %s as %s', (number, network) => {
    expect(detectCardNetwork(number)).toBe(network);
  });
});

describe('isValidExpiry', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('should be valid through the end of the expiry month', () => {
    expect(isValidExpiry('11', '2026', now)).toBe(true);
    expect(isValidExpiry(11, 26, now)).toBe(true);
    expect(isValidExpiry('10', '2026', now)).toBe(false);
    expect(isValidExpiry('12', '26', now)).toBe(true);
    expect(isValidExpiry('01', '2027', now)).toBe(true);
  });
  it('should use UTC at month boundaries', () => {
    const lastInstant = new Date('2026-11-30T23:59:59.999Z');
    const firstOfNext = new Date('2026-12-01T00:00:00.000Z');
    expect(isValidExpiry(11, 2026, lastInstant)).toBe(true);
    expect(isValidExpiry(11, 2026, firstOfNext)).toBe(false);
  });
  it('should reject the past and unparsable values', () => {
    expect(isValidExpiry('01', '2020', now)).toBe(false);
    expect(isValidExpiry('13', '2030', now)).toBe(false);
    expect(isValidExpiry('0', '2030', now)).toBe(false);
    expect(isValidExpiry('ab', '2030', now)).toBe(false);
    expect(isValidExpiry('12', 'xx', now)).toBe(false);
    expect(isValidExpiry(12.5, 2030, now)).toBe(false);
    expect(isValidExpiry(null, 2030, now)).toBe(false);
  });
});

describe('isValidCvv', () => {
  it('should accept 3 or 4 digits as string or integer', () => {
    expect(isValidCvv('123')).toBe(true);
    expect(isValidCvv('1234')).toBe(true);
    expect(isValidCvv(123)).toBe(true);
  });
  it('should reject anything else', () => {
    for (const cvv of ['12', '12345', '12a', ' 123', 12, 12.5, null, {}]) expect(isValidCvv(cvv)).toBe(false);
  });
});

describe('splitExpiry', () => {
  it('should split MM/YY and MM/YYYY', () => {
    expect(splitExpiry('12/30')).toEqual({ month: '12', year: '30' });
    expect(splitExpiry('01/2031')).toEqual({ month: '01', year: '2031' });
    expect(splitExpiry('1230')).toBeNull();
  });
});
