import { formatAmount, formatDateTime, orDash } from '../../shared/format';
import { dashboardApi, describeError } from '../dashboard-api';
import { PaymentDrawer } from '../components/payment-drawer';
import { EmptyState, ErrorBanner, FilterSelect, PageHeader, Pager, SkeletonTable, StatusBadge } from '../components/ui';
import { offsetForPage, PAGE_SIZE, pageInfo, parseFilter } from '../paging';
import { REFUND_STATUSES } from '../types';
import { rowActivation, useListQuery } from '../use-list-query';
import { useResource } from '../use-resource';

const HEADERS = ['Refund ID', 'Payment ID', 'Amount', 'Reason', 'Status', 'Created', 'Processed'] as const;

export function RefundsPage() {
  const query = useListQuery();
  const status = parseFilter(query.params.get('status'), REFUND_STATUSES);
  const selected = query.params.get('payment');
  const list = useResource(
    () => dashboardApi.refunds({ limit: PAGE_SIZE, offset: offsetForPage(query.page), status }),
    [query.page, status],
  );
  const info = list.data && pageInfo(query.page, list.data.total);

  return (
    <div className="page" data-test-id="refunds-page">
      <PageHeader
        title="Refunds"
        description="Refunds issued through the API, newest first. Select one to see its payment."
      />
      <div className="card table-card">
        <div className="toolbar">
          <FilterSelect
            label="Status"
            testId="status-filter"
            value={status}
            options={REFUND_STATUSES.map((value) => ({ value, label: value }))}
            onChange={(value) => query.setFilter('status', value)}
          />
          <p className="toolbar-note">Amounts in paise (50000 = ₹500.00) · times in UTC</p>
        </div>
        {list.error !== undefined && (
          <ErrorBanner
            message={`Could not load refunds. ${describeError(list.error)}`}
            onRetry={() => void list.reload()}
          />
        )}
        {list.loading && <SkeletonTable headers={HEADERS} />}
        {list.data && (
          <div className="table-scroll">
            <table className="data-table" data-test-id="refunds-table">
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
                {list.data.data.map((refund) => (
                  <tr
                    key={refund.id}
                    data-test-id="refund-row"
                    data-refund-id={refund.id}
                    {...rowActivation(() => query.openDetail('payment', refund.payment_id), `Refund ${refund.id}`)}
                  >
                    <td className="mono" data-test-id="refund-id">
                      {refund.id}
                    </td>
                    <td className="mono" data-test-id="refund-payment-id">
                      {refund.payment_id}
                    </td>
                    <td className="num" data-test-id="refund-amount" title={formatAmount(refund.amount)}>
                      {refund.amount}
                    </td>
                    <td className="reason" data-test-id="refund-reason" title={refund.reason ?? undefined}>
                      {orDash(refund.reason)}
                    </td>
                    <td data-test-id="refund-status">
                      <StatusBadge status={refund.status} />
                    </td>
                    <td className="nowrap" data-test-id="refund-created-at">
                      {formatDateTime(refund.created_at)}
                    </td>
                    <td className="nowrap" data-test-id="refund-processed-at">
                      {formatDateTime(refund.processed_at)}
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
            ) : status ? (
              <EmptyState title={`No ${status} refunds`} hint="Clear the filter to see every refund." />
            ) : (
              <EmptyState
                title="No refunds yet"
                hint="Refund a successful payment with POST /api/v1/payments/{id}/refunds."
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
