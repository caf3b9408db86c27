import { formatAmount } from '../shared/format';
import type { PublicOrder } from './checkout-api';
import { LockIcon } from './icons';

interface OrderSummaryProps {
  order: PublicOrder;
  /** True once the payment succeeded: the amount is then "paid", no longer "to pay". */
  paid: boolean;
}

/** Merchant, amount and order id; stays on screen in every state once the order is loaded. */
export function OrderSummary({ order, paid }: OrderSummaryProps) {
  const initial = order.merchant_name.trim().charAt(0).toUpperCase() || '#';
  return (
    <section className="summary" data-test-id="order-summary" aria-label="Order summary">
      <div className="summary-merchant">
        <span className="summary-avatar" aria-hidden="true">
          {initial}
        </span>
        <span className="summary-merchant-name">{order.merchant_name}</span>
      </div>
      <div className="summary-amount-block">
        <span className="summary-label">{paid ? 'Amount paid' : 'Amount to pay'}</span>
        <span className="summary-amount" data-test-id="order-amount">
          {formatAmount(order.amount, order.currency)}
        </span>
      </div>
      <div className="summary-order">
        <span className="summary-label">Order ID</span>
        <span className="summary-order-id" data-test-id="order-id">
          {order.id}
        </span>
      </div>
    </section>
  );
}

/** Placeholder header while the order loads or when it could not be loaded. */
export function SummaryPlaceholder({ loading }: { loading: boolean }) {
  return (
    <div className={`summary summary--placeholder${loading ? ' is-loading' : ''}`} aria-hidden="true">
      <div className="summary-merchant">
        <span className="summary-avatar">{!loading && <LockIcon className="summary-avatar-icon" />}</span>
        <span className="skeleton skeleton--name">{loading ? '' : 'Checkout'}</span>
      </div>
      <div className="summary-amount-block">
        <span className="skeleton skeleton--label" />
        <span className="skeleton skeleton--amount" />
      </div>
    </div>
  );
}
