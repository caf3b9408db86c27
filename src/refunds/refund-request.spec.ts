import { describe, expect, it } from '@jest/globals';
import { ApiException } from '../common/api.exception.js';
import { parseRefundRequest } from './refund-request.js';

function messageOf(body: Record<string, unknown>): string {
  try {
    parseRefundRequest(body);
    return 'ok';
  } catch (error) {
    return (error as ApiException).description;
  }
}

describe('parseRefundRequest', () => {
  it('should accept an integer amount and an optional reason', () => {
    expect(parseRefundRequest({ amount: 100 })).toEqual({ amount: 100, reason: null });
    expect(parseRefundRequest({ amount: 1, reason: 'damaged' })).toEqual({ amount: 1, reason: 'damaged' });
  });

  it.each([
    [{}, 'amount is required'],
    [{ amount: null }, 'amount is required'],
    [{ amount: '100' }, 'amount must be an integer'],
    [{ amount: 10.5 }, 'amount must be an integer'],
    [{ amount: 0 }, 'amount must be greater than 0'],
    [{ amount: -5 }, 'amount must be greater than 0'],
    [{ amount: 100, reason: 5 }, 'reason must be a string of at most 255 characters'],
    [{ amount: 100, reason: 'x'.repeat(256) }, 'reason must be a string of at most 255 characters'],
  ])('should reject %j', (body, message) => {
    expect(messageOf(body)).toBe(message);
  });
});
