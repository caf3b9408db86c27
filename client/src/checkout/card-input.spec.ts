import { describe, expect, it } from '@jest/globals';
import {
  caretAfterDigits,
  cardNetworkLabel,
  digitsBeforeCaret,
  formatCardNumber,
  formatCvvInput,
  formatExpiryInput,
  maxCardDigits,
} from './card-input';

describe('formatCardNumber', () => {
  it('should group a 16-digit number 4-4-4-4', () => {
    expect(formatCardNumber('4111111111111111')).toBe('4111 1111 1111 1111');
    expect(formatCardNumber('5555-5555 5555-4444')).toBe('5555 5555 5555 4444');
  });

  it('should group partial input without trailing spaces', () => {
    expect(formatCardNumber('4111')).toBe('4111');
    expect(formatCardNumber('41111')).toBe('4111 1');
    expect(formatCardNumber('')).toBe('');
  });

  it('should group Amex 4-6-5 and stop at 15 digits', () => {
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumber('3782822463100059999')).toBe('3782 822463 10005');
    expect(maxCardDigits('amex')).toBe(15);
  });

  it('should allow up to 19 digits for other networks', () => {
    expect(formatCardNumber('6011111111111111117')).toBe('6011 1111 1111 1111 117');
    expect(formatCardNumber('60111111111111111179')).toBe('6011 1111 1111 1111 117');
    expect(maxCardDigits('visa')).toBe(19);
  });

  it('should drop letters and other characters', () => {
    expect(formatCardNumber('4a1b1c1 1')).toBe('4111 1');
  });
});

describe('caret helpers', () => {
  it('should count the digits in front of the caret', () => {
    expect(digitsBeforeCaret('4111 11', 6)).toBe(5);
    expect(digitsBeforeCaret('4111 11', 0)).toBe(0);
  });

  it('should place the caret after the same digit in the reformatted value', () => {
    expect(caretAfterDigits('4111 1', 5)).toBe(6);
    expect(caretAfterDigits('4111 1111', 4)).toBe(4);
    expect(caretAfterDigits('4111 1111', 0)).toBe(0);
    expect(caretAfterDigits('4111', 9)).toBe(4);
  });
});

describe('formatExpiryInput', () => {
  it('should insert the slash once the month is typed', () => {
    expect(formatExpiryInput('1')).toBe('1');
    expect(formatExpiryInput('12', '1')).toBe('12/');
    expect(formatExpiryInput('12/3', '12/')).toBe('12/3');
    expect(formatExpiryInput('12/30', '12/3')).toBe('12/30');
    expect(formatExpiryInput('1230', '')).toBe('12/30');
  });

  it('should pad months that cannot take a second digit', () => {
    expect(formatExpiryInput('4')).toBe('04/');
    expect(formatExpiryInput('13', '1')).toBe('01/3');
    expect(formatExpiryInput('1/', '1')).toBe('01/');
    expect(formatExpiryInput('1/2', '1/')).toBe('01/2');
  });

  it('should not re-add the slash while deleting', () => {
    expect(formatExpiryInput('12', '12/')).toBe('12');
    expect(formatExpiryInput('12/', '12/3')).toBe('12/');
    expect(formatExpiryInput('1', '12')).toBe('1');
  });

  it('should accept autofilled MM/YYYY and cap at four digits', () => {
    expect(formatExpiryInput('12/2030')).toBe('12/30');
    expect(formatExpiryInput('3/2031')).toBe('03/31');
    expect(formatExpiryInput('12/345', '12/34')).toBe('12/34');
    expect(formatExpiryInput('ab')).toBe('');
  });
});

describe('formatCvvInput', () => {
  it('should keep at most four digits', () => {
    expect(formatCvvInput('12a3')).toBe('123');
    expect(formatCvvInput('123456')).toBe('1234');
  });
});

describe('cardNetworkLabel', () => {
  it('should name known networks and nothing for unknown', () => {
    expect(cardNetworkLabel('visa')).toBe('Visa');
    expect(cardNetworkLabel('rupay')).toBe('RuPay');
    expect(cardNetworkLabel('amex')).toBe('Amex');
    expect(cardNetworkLabel('unknown')).toBeNull();
  });
});
