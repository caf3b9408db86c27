import { describe, expect, it, jest } from '@jest/globals';
import type { PublicPayment } from './checkout-api';
import {
  buildFinalStatusMessage,
  buildPaymentFailedMessage,
  buildPaymentSuccessMessage,
  CLOSE_MODAL_MESSAGE,
  postToParent,
} from './parent-messages';

const payment = (overrides: Partial<PublicPayment>): PublicPayment => ({
  id: 'pay_abc',
  order_id: 'order_xyz',
  amount: 50000,
  currency: 'INR',
  method: 'upi',
  status: 'pending',
  error_code: null,
  error_description: null,
  created_at: '2024-01-15T10:31:00.000Z',
  signature: null,
  ...overrides,
});

describe('buildPaymentSuccessMessage', () => {
  it('should carry exactly the fields of CONTRACT §8', () => {
    const sut = buildPaymentSuccessMessage(payment({ status: 'success', signature: 'ab12' }));
    expect(sut).toStrictEqual({
      type: 'payment_success',
      data: {
        paymentId: 'pay_abc',
        orderId: 'order_xyz',
        signature: 'ab12',
        amount: 50000,
        currency: 'INR',
        status: 'success',
      },
    });
  });
});

describe('buildPaymentFailedMessage', () => {
  it('should use the API error code and description', () => {
    const sut = buildPaymentFailedMessage(
      payment({ status: 'failed', error_code: 'PAYMENT_FAILED', error_description: 'Insufficient funds' }),
    );
    expect(sut).toStrictEqual({
      type: 'payment_failed',
      data: {
        paymentId: 'pay_abc',
        orderId: 'order_xyz',
        error: { code: 'PAYMENT_FAILED', description: 'Insufficient funds' },
      },
    });
  });

  it('should default to PAYMENT_FAILED / "Payment declined by bank"', () => {
    expect(buildPaymentFailedMessage(payment({ status: 'failed' })).data.error).toStrictEqual({
      code: 'PAYMENT_FAILED',
      description: 'Payment declined by bank',
    });
  });
});

describe('buildFinalStatusMessage', () => {
  it('should build nothing before a final status', () => {
    expect(buildFinalStatusMessage(payment({ status: 'pending' }))).toBeNull();
    expect(buildFinalStatusMessage(payment({ status: 'processing' }))).toBeNull();
    expect(buildFinalStatusMessage(payment({ status: 'success' }))?.type).toBe('payment_success');
    expect(buildFinalStatusMessage(payment({ status: 'failed' }))?.type).toBe('payment_failed');
  });
});

describe('postToParent', () => {
  it('should address the message to the parent origin, never "*"', () => {
    const target = { postMessage: jest.fn() };
    expect(postToParent(CLOSE_MODAL_MESSAGE, 'https://shop.example', target)).toBe(true);
    expect(target.postMessage).toHaveBeenCalledWith({ type: 'close_modal' }, 'https://shop.example');
  });

  it('should post nothing without an origin', () => {
    const target = { postMessage: jest.fn() };
    expect(postToParent(CLOSE_MODAL_MESSAGE, null, target)).toBe(false);
    expect(target.postMessage).not.toHaveBeenCalled();
  });
});
