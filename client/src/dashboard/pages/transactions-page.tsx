import { formatAmount, formatDateTime } from '../../shared/format';
import { dashboardApi, describeError } from '../dashboard-api';
import { PaymentDrawer } from '../components/payment-drawer';
import { EmptyState, ErrorBanner, FilterSelect, PageHeader, Pager, SkeletonTable, StatusBadge } from '../components/ui';
import { offsetForPage, PAGE_SIZE, pageInfo, parseFilter } from '../paging';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../types';
import { rowActivation, useListQuery } from '../use-list-query';
import { useResource } from '../use-resource';

const HEADERS = ['Payment ID', 'Order ID', 'Amount', 'Method', 'Status', 'Created'] as const;

export function TransactionsPage() {
  const query = useListQuery();
  const status = parseFilter(query.params.get('status'), PAYMENT_STATUSES);
  const method = parseFilter(query.params.get('method'), PAYMENT_METHODS);
  const selected = query.params.get('payment');
  const list = useResource(
    () => dashboardApi.payments({ limit: PAGE_SIZE, offset: offsetForPage(query.page), status, method }),
    [query.page, status, method],
  );
  const info = list.data && pageInfo(query.page, list.data.total);
  const filtered = status !== undefined || method !== undefined;

  return (
    <div className="page" data-test-id="transactions-page">
      <PageHeader title="Transactions" description="Every payment attempt on your orders, newest first." />
      <div className="card table-card">
        <div className="toolbar">
          <FilterSelect
            label="Status"
            testId="status-filter"
            value={status}
            options={PAYMENT_STATUSES.map((value) => ({ value, label: value }))}
            onChange={(value) => query.setFilter('status', value)}
          />
          <FilterSelect
            label="Method"
            testId="method-filter"
            value={method}
            options={PAYMENT_METHODS.map((value) => ({ value, label: value.toUpperCase() }))}
            onChange={(value) => query.setFilter('method', value)}
          />
          <p className="toolbar-note">Amounts in paise (50000 = ₹500.00) · times in UTC</p>
        </div>
        {list.error !== undefined && (
          <ErrorBanner
            message={`Could not load transactions. ${describeError(list.error)}`}
            onRetry={() => void list.reload()}
          />
        )}
        {list.loading && <SkeletonTable headers={HEADERS} />}
        {list.data && (
          <div className="table-scroll">
            <table className="data-table" data-test-id="transactions-table">
              <thead>
                <tr>
                  {HEADERS.map((header) => (
                    <th key={header} scope="col">
                      {header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((payment) => (
                  <tr
                    key={payment.id}
                    data-test-id="transaction-row"
                    data-payment-id={payment.id}
                    {...rowActivation(() => query.openDetail('payment', payment.id), `Payment ${payment.id}`)}
                  >
                    <td className="mono" data-test-id="payment-id">
                      {payment.id}
                    </td>
                    <td className="mono" data-test-id="order-id">
                      {payment.order_id}
                    </td>
                    <td className="num" data-test-id="amount" title={formatAmount(payment.amount, payment.currency)}>
                      {payment.amount}
                    </td>
                    <td data-test-id="method">{payment.method}</td>
                    <td data-test-id="status">
                      <StatusBadge status={payment.status} />
                    </td>
                    <td className="nowrap" data-test-id="created-at">
                      {formatDateTime(payment.created_at)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data?.data.length === 0 && (
          <div className="table-empty">
            {list.data.total > 0 ? (
              <EmptyState
                title="Nothing on this page"
                hint={
                  <button type="button" className="link-button" onClick={() => query.setPage(1)}>
                    Go to the first page
                  </button>
                }
              />
            ) : filtered ? (
              <EmptyState title="No payments match these filters" hint="Try another status or method." />
            ) : (
              <EmptyState
                title="No payments yet"
                hint="Payments appear here as soon as a customer pays one of your orders."
              />
            )}
          </div>
        )}
        {(list.data || list.loading) && <Pager info={info} busy={list.loading} onPage={query.setPage} />}
      </div>
      {selected && <PaymentDrawer paymentId={selected} onClose={() => query.closeDetail('payment')} />}
    </div>
  );
}
