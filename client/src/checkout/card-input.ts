import { detectCardNetwork, type CardNetwork } from '../../../src/payments/instruments';

/** Digit groups as printed on the card: Amex 4-6-5, everything else 4-4-4-4 (and a tail up to 19 digits). */
export function cardNumberGroups(network: CardNetwork): number[] {
  return network === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 3];
}

export function maxCardDigits(network: CardNetwork): number {
  return cardNumberGroups(network).reduce((sum, size) => sum + size, 0);
}

/** Keeps the digits of whatever was typed or pasted and re-inserts the spaces for the detected network. */
export function formatCardNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  const network = detectCardNetwork(digits);
  const groups = cardNumberGroups(network);
  const limited = digits.slice(0, maxCardDigits(network));
  const parts: string[] = [];
  let start = 0;
  for (const size of groups) {
    if (start >= limited.length) break;
    parts.push(limited.slice(start, start + size));
    start += size;
  }
  return parts.join(' ');
}

/** How many digits precede `caret` in `value`: the caret's position expressed independently of spacing. */
export function digitsBeforeCaret(value: string, caret: number): number {
  return value.slice(0, caret).replace(/\D/g, '').length;
}

/** Caret index in `formatted` right after its `digitCount`-th digit, so reformatting does not jump the caret. */
export function caretAfterDigits(formatted: string, digitCount: number): number {
  if (digitCount <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < formatted.length; i++) {
    if (/\d/.test(formatted[i]) && ++seen === digitCount) return i + 1;
  }
  return formatted.length;
}

/**
 * Formats the single `MM/YY` expiry field while typing: inserts the slash after the month, pads an
 * unambiguous month (`4` → `04/`, `1/` → `01/`, `13` → `01/3`), accepts browser autofill as `MM/YYYY`,
 * and does not put the slash back while the shopper is deleting it.
 */
export function formatExpiryInput(raw: string, previous = ''): string {
  const autofill = /^\s*(\d{1,2})\s*\/\s*(\d{4})\s*$/.exec(raw);
  if (autofill) return `${autofill[1].padStart(2, '0')}/${autofill[2].slice(2)}`;

  const singleDigitMonth = /^\s*([1-9])\s*\//.exec(raw);
  let digits = raw.replace(/\D/g, '');
  if (singleDigitMonth && digits.length >= 1) {
    digits = `0${digits}`;
  } else if (digits.length >= 1 && digits[0] > '1') {
    digits = `0${digits}`;
  } else if (digits.length >= 2 && digits[0] === '1' && digits[1] > '2') {
    digits = `01${digits.slice(1)}`;
  }
  digits = digits.slice(0, 4);

  const deleting = raw.length < previous.length;
  if (digits.length < 2) return digits;
  if (digits.length === 2) return deleting && !raw.endsWith('/') ? digits : `${digits}/`;
  return `${digits.slice(0, 2)}/${digits.slice(2)}`;
}

/** CVV field: digits only, at most 4. */
export function formatCvvInput(raw: string): string {
  return raw.replace(/\D/g, '').slice(0, 4);
}

const NETWORK_LABELS: Record<CardNetwork, string | null> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'Amex',
  rupay: 'RuPay',
  unknown: null,
};

/** Human name of a detected network, null while it is not recognisable. */
export function cardNetworkLabel(network: CardNetwork): string | null {
  return NETWORK_LABELS[network];
}
