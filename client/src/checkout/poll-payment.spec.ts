import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ApiError } from '../shared/api';
import type { PaymentStatus, PublicPayment } from './checkout-api';
import { isTransientPollError, pollPayment, type PollOutcome } from './poll-payment';

const payment = (status: PaymentStatus): PublicPayment => ({
  id: 'pay_abc',
  order_id: 'order_xyz',
  amount: 50000,
  currency: 'INR',
  method: 'upi',
  status,
  error_code: null,
  error_description: null,
  created_at: '2024-01-15T10:31:00.000Z',
  signature: null,
});

describe('pollPayment', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should ask every 2 s until the payment is final', async () => {
    const answers = [payment('pending'), payment('processing'), payment('success')];
    const fetchPayment = jest.fn(async () => answers.shift()!);
    let outcome: PollOutcome | undefined;
    void pollPayment(fetchPayment).then((result) => (outcome = result));

    await jest.advanceTimersByTimeAsync(1_999);
    expect(fetchPayment).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchPayment).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(4_000);
    expect(fetchPayment).toHaveBeenCalledTimes(3);
    expect(outcome).toEqual({ kind: 'final', payment: payment('success') });
  });

  it('should keep polling through network errors and 5xx answers', async () => {
    const fetchPayment = jest
      .fn<() => Promise<PublicPayment>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockRejectedValueOnce(new ApiError(503, 'SERVICE_UNAVAILABLE', 'down'))
      .mockResolvedValueOnce(payment('failed'));
    const result = pollPayment(fetchPayment);
    await jest.advanceTimersByTimeAsync(6_000);
    await expect(result).resolves.toEqual({ kind: 'final', payment: payment('failed') });
  });

  it('should treat a request that never answers as a blip', async () => {
    const fetchPayment = jest
      .fn<() => Promise<PublicPayment>>()
      .mockReturnValueOnce(new Promise(() => undefined))
      .mockResolvedValueOnce(payment('success'));
    const result = pollPayment(fetchPayment, { requestTimeoutMs: 5_000 });
    await jest.advanceTimersByTimeAsync(2_000 + 5_000 + 2_000);
    await expect(result).resolves.toEqual({ kind: 'final', payment: payment('success') });
  });

  it('should stop on a permanent error', async () => {
    const error = new ApiError(404, 'NOT_FOUND_ERROR', 'Payment not found');
    const result = pollPayment(jest.fn<() => Promise<PublicPayment>>().mockRejectedValue(error));
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toEqual({ kind: 'error', error });
  });

  it('should give up after 5 minutes', async () => {
    const fetchPayment = jest.fn(async () => payment('processing'));
    let outcome: PollOutcome | undefined;
    void pollPayment(fetchPayment).then((result) => (outcome = result));
    await jest.advanceTimersByTimeAsync(5 * 60_000 - 2_000);
    expect(outcome).toBeUndefined();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(outcome).toEqual({ kind: 'timeout' });
    expect(fetchPayment).toHaveBeenCalledTimes(150);
  });

  it('should stop quietly when aborted', async () => {
    const controller = new AbortController();
    const fetchPayment = jest.fn(async () => payment('processing'));
    const result = pollPayment(fetchPayment, { signal: controller.signal });
    await jest.advanceTimersByTimeAsync(2_000);
    controller.abort();
    await expect(result).resolves.toEqual({ kind: 'aborted' });
    expect(fetchPayment).toHaveBeenCalledTimes(1);
  });
});

describe('isTransientPollError', () => {
  it('should retry network failures, 5xx, 408 and 429 only', () => {
    expect(isTransientPollError(new TypeError('Failed to fetch'))).toBe(true);
    expect(isTransientPollError(new ApiError(500, 'INTERNAL_ERROR', 'x'))).toBe(true);
    expect(isTransientPollError(new ApiError(429, 'RATE_LIMITED', 'x'))).toBe(true);
    expect(isTransientPollError(new ApiError(404, 'NOT_FOUND_ERROR', 'x'))).toBe(false);
  });
});
