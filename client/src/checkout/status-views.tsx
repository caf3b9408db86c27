import { useEffect, useRef } from 'react';
import { CheckIcon, CrossIcon } from './icons';

/** Moves focus to a state's heading when it appears, so keyboard and screen-reader users land on the news. */
function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return ref;
}

export function LoadingView() {
  return (
    <div className="state state--loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <p className="state-text">Loading order details…</p>
    </div>
  );
}

export function ProcessingView() {
  return (
    <div className="state" data-test-id="processing-state" role="status" aria-live="polite">
      <span className="spinner spinner--large" aria-hidden="true" />
      <p className="state-title" data-test-id="processing-message">
        Processing payment...
      </p>
      <p className="state-text">This usually takes a few seconds. Please don&apos;t close or refresh this page.</p>
    </div>
  );
}

interface SuccessViewProps {
  paymentId: string;
  merchantName: string | null;
}

export function SuccessView({ paymentId, merchantName }: SuccessViewProps) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className="state" data-test-id="success-state">
      <span className="state-icon state-icon--success" aria-hidden="true">
        <CheckIcon />
      </span>
      <h2 className="state-title" tabIndex={-1} ref={headingRef}>
        Payment Successful!
      </h2>
      <p className="state-text" data-test-id="success-message">
        Your payment has been processed successfully
      </p>
      <dl className="receipt">
        {merchantName && (
          <div className="receipt-row">
            <dt>Paid to</dt>
            <dd>{merchantName}</dd>
          </div>
        )}
        <div className="receipt-row">
          <dt>Payment ID</dt>
          <dd>
            <span className="receipt-mono" data-test-id="payment-id">
              {paymentId}
            </span>
          </dd>
        </div>
      </dl>
    </div>
  );
}

interface ErrorViewProps {
  message: string;
  detail?: string;
  onRetry: () => void;
}

export function ErrorView({ message, detail, onRetry }: ErrorViewProps) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className="state" data-test-id="error-state">
      <span className="state-icon state-icon--error" aria-hidden="true">
        <CrossIcon />
      </span>
      <div role="alert">
        <h2 className="state-title" tabIndex={-1} ref={headingRef}>
          Payment Failed
        </h2>
        <p className="state-text state-text--strong" data-test-id="error-message">
          {message}
        </p>
        {detail && <p className="state-text">{detail}</p>}
      </div>
      <button type="button" className="button-primary" data-test-id="retry-button" onClick={onRetry}>
        Try Again
      </button>
    </div>
  );
}
