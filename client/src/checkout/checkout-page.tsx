import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { ApiError } from '../shared/api';
import { formatAmount } from '../shared/format';
import { CardForm } from './card-form';
import {
  createPublicPayment,
  fetchPublicOrder,
  fetchPublicPayment,
  type PaymentRequest,
  type PublicOrder,
  type PublicPayment,
} from './checkout-api';
import type { CheckoutParams } from './checkout-params';
import { LockIcon } from './icons';
import { MethodPicker, type PaymentMethod } from './method-picker';
import { OrderSummary, SummaryPlaceholder } from './order-summary';
import {
  buildFinalStatusMessage,
  CLOSE_MODAL_MESSAGE,
  DEFAULT_FAILURE_DESCRIPTION,
  postToParent,
} from './parent-messages';
import { pollPayment } from './poll-payment';
import { ErrorView, LoadingView, ProcessingView, SuccessView } from './status-views';
import { UpiForm } from './upi-form';

/** Texts fixed by CONTRACT §8. */
export const ORDER_NOT_FOUND = 'Order not found';
export const PAYMENT_NOT_PROCESSED = 'Payment could not be processed';
export const PAYMENT_STATUS_UNKNOWN = 'Payment status unknown';

const NETWORK_ERROR = 'Could not reach the payment server. Check your connection and try again.';

type View =
  | { kind: 'loading' }
  | { kind: 'select' }
  | { kind: 'processing'; paymentId: string }
  | { kind: 'success'; paymentId: string }
  /** `retry` says what Try Again does: reload the order after a load error, else back to method selection. */
  | { kind: 'error'; message: string; detail?: string; retry: 'reload' | 'select' };

interface CheckoutPageProps {
  params: CheckoutParams;
}

/** The hosted checkout page (CONTRACT §8): order → method → form → processing → success / error. */
export function CheckoutPage({ params }: CheckoutPageProps) {
  const { orderId, embedded, parentOrigin, themeColor } = params;
  const [order, setOrder] = useState<PublicOrder | null>(null);
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [loadAttempt, setLoadAttempt] = useState(0);
  const [method, setMethod] = useState<PaymentMethod | null>(null);
  // Bumped to remount (and so empty) the forms when the shopper starts over.
  const [formGeneration, setFormGeneration] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [retried, setRetried] = useState(false);
  // State updates are asynchronous; the ref blocks a second submit fired before the re-render.
  const submittingRef = useRef(false);
  const reportedPayments = useRef(new Set<string>());

  useEffect(() => {
    let cancelled = false;
    const request = orderId
      ? fetchPublicOrder(orderId)
      : Promise.reject(new ApiError(404, 'NOT_FOUND_ERROR', ORDER_NOT_FOUND));
    request.then(
      (loaded) => {
        if (cancelled) return;
        setOrder(loaded);
        setView({ kind: 'select' });
      },
      (error: unknown) => {
        if (cancelled) return;
        const notFound = error instanceof ApiError && error.status === 404;
        setView({
          kind: 'error',
          message: notFound ? ORDER_NOT_FOUND : describeError(error),
          detail: notFound ? 'Check the payment link, or ask the merchant for a new one.' : undefined,
          retry: 'reload',
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [orderId, loadAttempt]);

  useEffect(() => {
    if (order) document.title = `Pay ${formatAmount(order.amount, order.currency)} · ${order.merchant_name}`;
  }, [order]);

  // Escape asks the SDK to close its modal (CONTRACT §8); only meaningful, and only sent, when embedded.
  useEffect(() => {
    if (!embedded || !parentOrigin) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') postToParent(CLOSE_MODAL_MESSAGE, parentOrigin);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [embedded, parentOrigin]);

  const finish = useCallback(
    (payment: PublicPayment) => {
      const message = buildFinalStatusMessage(payment);
      if (embedded && message && !reportedPayments.current.has(payment.id)) {
        reportedPayments.current.add(payment.id);
        postToParent(message, parentOrigin);
      }
      setView(
        payment.status === 'success'
          ? { kind: 'success', paymentId: payment.id }
          : {
              kind: 'error',
              message: PAYMENT_NOT_PROCESSED,
              detail: payment.error_description || DEFAULT_FAILURE_DESCRIPTION,
              retry: 'select',
            },
      );
    },
    [embedded, parentOrigin],
  );

  const processingId = view.kind === 'processing' ? view.paymentId : null;
  useEffect(() => {
    if (!processingId) return;
    const controller = new AbortController();
    void pollPayment(() => fetchPublicPayment(processingId), { signal: controller.signal }).then((outcome) => {
      switch (outcome.kind) {
        case 'final':
          finish(outcome.payment);
          return;
        case 'timeout':
          setView({
            kind: 'error',
            message: PAYMENT_STATUS_UNKNOWN,
            detail: 'We could not confirm this payment in time. Check with the merchant before paying again.',
            retry: 'select',
          });
          return;
        case 'error':
          setView({ kind: 'error', message: describeError(outcome.error), retry: 'select' });
          return;
        case 'aborted':
          return;
      }
    });
    return () => controller.abort();
  }, [processingId, finish]);

  async function submit(request: PaymentRequest): Promise<void> {
    if (submittingRef.current) return;
    submittingRef.current = true;
    setSubmitting(true);
    try {
      const payment = await createPublicPayment(request);
      setView({ kind: 'processing', paymentId: payment.id });
    } catch (error) {
      // Rejected submissions stay in the page and are not reported to the SDK (CONTRACT §8).
      setView({ kind: 'error', message: describeError(error), retry: 'select' });
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
    }
  }

  function retry(current: Extract<View, { kind: 'error' }>): void {
    if (current.retry === 'reload') {
      setView({ kind: 'loading' });
      setLoadAttempt((attempt) => attempt + 1);
      return;
    }
    setMethod(null);
    setRetried(true);
    setFormGeneration((generation) => generation + 1);
    setView({ kind: 'select' });
  }

  const amountLabel = order ? formatAmount(order.amount, order.currency) : null;
  const themeStyle = themeColor
    ? ({ '--accent': themeColor.accent, '--accent-contrast': themeColor.contrast } as CSSProperties)
    : undefined;

  return (
    <div
      className={`checkout${embedded ? ' checkout--embedded' : ''}`}
      data-test-id="checkout-container"
      data-state={view.kind}
      style={themeStyle}
    >
      <main className="checkout-card" aria-busy={view.kind === 'loading'}>
        {order ? (
          <OrderSummary order={order} paid={view.kind === 'success'} />
        ) : (
          <SummaryPlaceholder loading={view.kind === 'loading'} />
        )}
        <div className="checkout-body">
          {view.kind === 'loading' && <LoadingView />}
          {view.kind === 'select' && order && amountLabel && (
            <>
              <MethodPicker selected={method} onSelect={setMethod} focusOnMount={retried} />
              {method === 'upi' && (
                <UpiForm
                  key={`upi-${formGeneration}`}
                  orderId={order.id}
                  amountLabel={amountLabel}
                  submitting={submitting}
                  onSubmit={(request) => void submit(request)}
                />
              )}
              {method === 'card' && (
                <CardForm
                  key={`card-${formGeneration}`}
                  orderId={order.id}
                  amountLabel={amountLabel}
                  submitting={submitting}
                  onSubmit={(request) => void submit(request)}
                />
              )}
            </>
          )}
          {view.kind === 'processing' && <ProcessingView />}
          {view.kind === 'success' && (
            <SuccessView paymentId={view.paymentId} merchantName={order?.merchant_name ?? null} />
          )}
          {view.kind === 'error' && (
            <ErrorView message={view.message} detail={view.detail} onRetry={() => retry(view)} />
          )}
        </div>
        <footer className="checkout-footer">
          <LockIcon className="checkout-footer-icon" />
          <span>Secured by Payment Gateway</span>
        </footer>
      </main>
    </div>
  );
}

function describeError(error: unknown): string {
  return error instanceof ApiError ? error.description : NETWORK_ERROR;
}
