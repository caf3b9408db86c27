import { describe, expect, it } from '@jest/globals';
import { ApiException } from './api.exception.js';
import { parseFilter, parsePage } from './list-query.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as ApiException).description;
  }
  return 'no error';
}

describe('parsePage', () => {
  it('should default to limit 10, offset 0', () => {
    expect(parsePage({})).toEqual({ limit: 10, offset: 0 });
  });

  it('should accept the bounds and the Razorpay aliases', () => {
    expect(parsePage({ limit: '1', offset: '0' })).toEqual({ limit: 1, offset: 0 });
    expect(parsePage({ limit: '100', offset: '250' })).toEqual({ limit: 100, offset: 250 });
    expect(parsePage({ count: '5', skip: '7' })).toEqual({ limit: 5, offset: 7 });
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', ' 5'])('should reject limit=%p', (limit) => {
    expect(messageOf(() => parsePage({ limit }))).toBe('limit must be an integer between 1 and 100');
  });

  it.each(['-1', '1.5', 'x', '', '99999999999'])('should reject offset=%p', (offset) => {
    expect(messageOf(() => parsePage({ offset }))).toBe('offset must be a non-negative integer');
  });

  it('should reject a repeated parameter', () => {
    expect(messageOf(() => parsePage({ limit: ['1', '2'] }))).toBe('limit must be an integer between 1 and 100');
  });
});

describe('parseFilter', () => {
  it('should accept allowed values and reject others naming the parameter', () => {
    expect(parseFilter({ status: 'paid' }, 'status', ['created', 'paid'])).toBe('paid');
    expect(parseFilter({}, 'status', ['created', 'paid'])).toBeUndefined();
    expect(messageOf(() => parseFilter({ status: 'PAID' }, 'status', ['created', 'paid']))).toBe(
      'status must be one of: created, paid',
    );
  });
});
