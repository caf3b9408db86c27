import { formatAmount, formatDateTime, orDash } from '../../shared/format';
import { dashboardApi, describeError } from '../dashboard-api';
import { ROUTE_PATHS } from '../router';
import type { Payment, Refund } from '../types';
import { useResource } from '../use-resource';
import { Link } from './link';
import { DetailList, Drawer, ErrorBanner, SkeletonBlock, StatusBadge } from './ui';

interface TimelineEntry {
  at: string;
  title: string;
  detail?: string;
  tone: 'neutral' | 'success' | 'failed';
}

/**
 * Only moments the API timestamps: payment creation, each refund's creation and processing, and the payment's
 * last update. When the bank answered is not recorded separately, so it is not invented here.
 */
function timeline(payment: Payment, refunds: readonly Refund[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    {
      at: payment.created_at,
      title: 'Payment created',
      detail: `${payment.method.toUpperCase()} · pending`,
      tone: 'neutral',
    },
  ];
  if (payment.updated_at !== payment.created_at) {
    const statusText =
      payment.status === 'failed'
        ? `Failed${payment.error_description ? `: ${payment.error_description}` : ''}`
        : payment.status === 'success'
          ? `Succeeded${payment.captured ? ' and captured' : ''}`
          : `Now ${payment.status}`;
    entries.push({
      at: payment.updated_at,
      title: 'Last updated',
      detail: statusText,
      tone: payment.status === 'failed' ? 'failed' : payment.status === 'success' ? 'success' : 'neutral',
    });
  }
  for (const refund of refunds) {
    entries.push({
      at: refund.created_at,
      title: 'Refund created',
      detail: `${refund.id} · ${formatAmount(refund.amount, payment.currency)}`,
      tone: 'neutral',
    });
    if (refund.processed_at) {
      entries.push({ at: refund.processed_at, title: 'Refund processed', detail: refund.id, tone: 'success' });
    }
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function instrument(payment: Payment): string {
  if (payment.method === 'upi') {
    return orDash(payment.vpa);
  }
  return `${payment.card_network ?? 'card'} •••• ${payment.card_last4 ?? '----'}`;
}

export function PaymentDrawer({ paymentId, onClose }: { paymentId: string; onClose: () => void }) {
  const details = useResource(
    () => Promise.all([dashboardApi.payment(paymentId), dashboardApi.paymentRefunds(paymentId)]),
    [paymentId],
  );
  const [payment, refundList] = details.data ?? [];
  const refunds = refundList?.data ?? [];
  const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);

  return (
    <Drawer title="Payment" subtitle={paymentId} testId="payment-drawer" onClose={onClose}>
      {details.loading && (
        <>
          <SkeletonBlock height={64} />
          <SkeletonBlock height={220} />
        </>
      )}
      {details.error !== undefined && (
        <ErrorBanner
          message={`Could not load this payment. ${describeError(details.error)}`}
          onRetry={() => void details.reload()}
        />
      )}
      {payment && (
        <>
          <div className="drawer-hero">
            <span className="drawer-amount">{formatAmount(payment.amount, payment.currency)}</span>
            <StatusBadge status={payment.status} />
          </div>
          <DetailList
            items={[
              ['Payment ID', <code key="id">{payment.id}</code>],
              ['Order ID', <code key="order">{payment.order_id}</code>],
              ['Amount', `${formatAmount(payment.amount, payment.currency)} (${payment.amount} paise)`],
              ['Method', payment.method],
              [payment.method === 'upi' ? 'VPA' : 'Card', instrument(payment)],
              ['Captured', payment.captured ? 'Yes' : 'No'],
              ['Error', payment.error_code ? `${payment.error_code}: ${orDash(payment.error_description)}` : '-'],
              ['Created (UTC)', formatDateTime(payment.created_at)],
              ['Last updated (UTC)', formatDateTime(payment.updated_at)],
            ]}
          />

          <h3 className="drawer-section-title">Timeline</h3>
          <ol className="timeline">
            {timeline(payment, refunds).map((entry, index) => (
              <li key={`${entry.at}-${index}`} className={`timeline-item timeline-${entry.tone}`}>
                <span className="timeline-title">{entry.title}</span>
                {entry.detail && <span className="timeline-detail">{entry.detail}</span>}
                <time className="timeline-time" dateTime={entry.at}>
                  {formatDateTime(entry.at)} UTC
                </time>
              </li>
            ))}
          </ol>

          <h3 className="drawer-section-title">
            Refunds{' '}
            <span className="muted">
              {formatAmount(refunded, payment.currency)} of {formatAmount(payment.amount, payment.currency)} refunded
            </span>
          </h3>
          {refunds.length === 0 ? (
            <p className="muted">No refunds for this payment.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th>Refund ID</th>
                    <th>Amount</th>
                    <th>Status</th>
                    <th>Created</th>
                    <th>Processed</th>
                  </tr>
                </thead>
                <tbody>
                  {refunds.map((refund) => (
                    <tr key={refund.id}>
                      <td className="mono">{refund.id}</td>
                      <td>{formatAmount(refund.amount, payment.currency)}</td>
                      <td>
                        <StatusBadge status={refund.status} />
                      </td>
                      <td className="nowrap">{formatDateTime(refund.created_at)}</td>
                      <td className="nowrap">{formatDateTime(refund.processed_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {refundList && refundList.total > refunds.length && (
            <p className="footnote">
              Showing the latest {refunds.length} of {refundList.total} refunds.
            </p>
          )}
          <p className="footnote">
            Webhook deliveries for this payment's events are listed under{' '}
            <Link to={ROUTE_PATHS.webhooks}>Webhooks</Link>.
          </p>
        </>
      )}
    </Drawer>
  );
}
