import { describe, expect, it } from '@jest/globals';
import { formatAmount, formatDateTime, orDash } from './format';

describe('formatAmount', () => {
  it('should format INR paise as rupees with two decimals and no grouping', () => {
    expect(formatAmount(50000)).toBe('₹500.00');
    expect(formatAmount(12345678, 'INR')).toBe('₹123456.78');
    expect(formatAmount(100)).toBe('₹1.00');
  });
  it('should prefix other currencies with their code', () => {
    expect(formatAmount(50000, 'USD')).toBe('USD 500.00');
  });
});

describe('formatDateTime', () => {
  it('should render UTC as YYYY-MM-DD HH:mm:ss', () => {
    expect(formatDateTime('2024-01-15T10:31:00.000Z')).toBe('2024-01-15 10:31:00');
  });
  it('should render null as a dash', () => {
    expect(formatDateTime(null)).toBe('-');
    expect(orDash(null)).toBe('-');
    expect(orDash(0)).toBe('0');
  });
});
