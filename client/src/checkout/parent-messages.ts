import type { PublicPayment } from './checkout-api';

/** Messages the embedded page sends to the SDK that framed it (CONTRACT §8, §9). */
export interface PaymentSuccessMessage {
  type: 'payment_success';
  data: {
    paymentId: string;
    orderId: string;
    signature: string | null;
    amount: number;
    currency: string;
    status: 'success';
  };
}

export interface PaymentFailedMessage {
  type: 'payment_failed';
  data: { paymentId: string; orderId: string; error: { code: string; description: string } };
}

export interface CloseModalMessage {
  type: 'close_modal';
}

export type ParentMessage = PaymentSuccessMessage | PaymentFailedMessage | CloseModalMessage;

export const DEFAULT_FAILURE_CODE = 'PAYMENT_FAILED';
export const DEFAULT_FAILURE_DESCRIPTION = 'Payment declined by bank';

export function buildPaymentSuccessMessage(payment: PublicPayment): PaymentSuccessMessage {
  return {
    type: 'payment_success',
    data: {
      paymentId: payment.id,
      orderId: payment.order_id,
      signature: payment.signature,
      amount: payment.amount,
      currency: payment.currency,
      status: 'success',
    },
  };
}

export function buildPaymentFailedMessage(payment: PublicPayment): PaymentFailedMessage {
  return {
    type: 'payment_failed',
    data: {
      paymentId: payment.id,
      orderId: payment.order_id,
      error: {
        code: payment.error_code || DEFAULT_FAILURE_CODE,
        description: payment.error_description || DEFAULT_FAILURE_DESCRIPTION,
      },
    },
  };
}

/** The message for a payment that reached a final status; null while it is still pending or processing. */
export function buildFinalStatusMessage(payment: PublicPayment): PaymentSuccessMessage | PaymentFailedMessage | null {
  if (payment.status === 'success') return buildPaymentSuccessMessage(payment);
  if (payment.status === 'failed') return buildPaymentFailedMessage(payment);
  return null;
}

export const CLOSE_MODAL_MESSAGE: CloseModalMessage = { type: 'close_modal' };

/**
 * Posts to the embedding window, addressed to `parentOrigin` only — never `"*"`, because a success
 * message carries the payment signature. Without a validated origin nothing is sent.
 */
export function postToParent(
  message: ParentMessage,
  parentOrigin: string | null,
  target: Pick<Window, 'postMessage'> = window.parent,
): boolean {
  if (!parentOrigin) return false;
  target.postMessage(message, parentOrigin);
  return true;
}
