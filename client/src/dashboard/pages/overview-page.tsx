import { useState } from 'react';
import { formatAmount } from '../../shared/format';
import { bucketPaymentsByDay, chartWindowStart, CHART_DAYS, needsAnotherPage } from '../chart-data';
import { dashboardApi, describeError } from '../dashboard-api';
import { CopyButton, ErrorBanner, Notice, PageHeader, SkeletonBlock, Spinner } from '../components/ui';
import { VolumeChart, type ChartMetric } from '../components/volume-chart';
import { PAGE_SIZE } from '../paging';
import type { Credentials, MerchantProfile, Payment } from '../types';
import { useResource } from '../use-resource';

/** Walking further than this many pages would make the overview slow; the chart then says it is partial. */
const MAX_CHART_PAGES = 30;

async function loadRecentPayments(now: Date): Promise<{ payments: Payment[]; partial: boolean }> {
  const windowStart = chartWindowStart(now);
  const byId = new Map<string, Payment>();
  for (let page = 0; page < MAX_CHART_PAGES; page += 1) {
    const result = await dashboardApi.payments({ limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    // New payments arriving meanwhile shift offsets; keying by id keeps a shifted row from counting twice.
    result.data.forEach((payment) => byId.set(payment.id, payment));
    if (!needsAnotherPage(result.data, page * PAGE_SIZE + result.data.length, result.total, windowStart)) {
      return { payments: [...byId.values()], partial: false };
    }
  }
  return { payments: [...byId.values()], partial: true };
}

function StatsSection() {
  const stats = useResource(() => dashboardApi.paymentStats(), []);
  if (stats.error && !stats.data) {
    return (
      <ErrorBanner
        message={`Could not load statistics. ${describeError(stats.error)}`}
        onRetry={() => void stats.reload()}
      />
    );
  }
  const cards = [
    {
      label: 'Total transactions',
      hint: 'All payments',
      testId: 'total-transactions',
      value: stats.data?.total_transactions,
    },
    {
      label: 'Total collected',
      hint: 'Successful payments',
      testId: 'total-amount',
      value: stats.data && formatAmount(stats.data.total_amount),
    },
    {
      label: 'Success rate',
      hint: 'Successful ÷ all payments',
      testId: 'success-rate',
      value: stats.data && `${stats.data.success_rate}%`,
    },
  ];
  return (
    <section
      className="stats-grid"
      data-test-id="stats-container"
      aria-label="Payment statistics"
      aria-busy={stats.loading}
    >
      {cards.map((card) => (
        <div className="card stat-card" key={card.testId}>
          <div className="stat-label">{card.label}</div>
          {card.value === undefined ? (
            <span className="skeleton stat-skeleton" />
          ) : (
            <div className="stat-value" data-test-id={card.testId}>
              {card.value}
            </div>
          )}
          <div className="stat-hint">{card.hint}</div>
        </div>
      ))}
    </section>
  );
}

function ChartSection() {
  const [now] = useState(() => new Date());
  const [metric, setMetric] = useState<ChartMetric>('count');
  const recent = useResource(() => loadRecentPayments(now), [now]);
  const buckets = recent.data && bucketPaymentsByDay(recent.data.payments, now);
  const totals = buckets?.reduce(
    (sum, bucket) => ({
      count: sum.count + bucket.count,
      success: sum.success + bucket.successCount,
      amount: sum.amount + bucket.successAmount,
    }),
    { count: 0, success: 0, amount: 0 },
  );

  return (
    <section className="card chart-card" aria-labelledby="chart-heading">
      <div className="card-header">
        <div>
          <h2 id="chart-heading">Last {CHART_DAYS} days</h2>
          {totals && (
            <p className="card-subtitle">
              {totals.count} payment{totals.count === 1 ? '' : 's'} · {formatAmount(totals.amount)} collected ·{' '}
              {totals.count ? `${Math.round((100 * totals.success) / totals.count)}% success` : 'no success rate yet'}
            </p>
          )}
        </div>
        <div className="segmented" role="group" aria-label="Bar metric">
          {(['count', 'amount'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className={metric === option ? 'segmented-active' : ''}
              aria-pressed={metric === option}
              onClick={() => setMetric(option)}
            >
              {option === 'count' ? 'Payments' : 'Amount'}
            </button>
          ))}
        </div>
      </div>
      {recent.loading && <SkeletonBlock height={260} />}
      {recent.error !== undefined && !recent.data && (
        <ErrorBanner
          message={`Could not load recent payments. ${describeError(recent.error)}`}
          onRetry={() => void recent.reload()}
        />
      )}
      {buckets && totals && (
        <>
          <div className="chart-legend" aria-hidden="true">
            <span className="legend-item">
              <span className="legend-swatch legend-bar" />
              {metric === 'count' ? 'Payments per day' : 'Collected per day'}
            </span>
            <span className="legend-item">
              <span className="legend-swatch legend-line" />
              Success rate
            </span>
            <span className="legend-note">Days in UTC</span>
          </div>
          <div className="chart-wrap">
            <VolumeChart buckets={buckets} metric={metric} />
            {totals.count === 0 && (
              <div className="chart-empty">
                <p className="empty-state-title">No payments in the last {CHART_DAYS} days</p>
                <p className="empty-state-hint">
                  Create an order and pay it through the checkout to see activity here.
                </p>
              </div>
            )}
          </div>
          {recent.data?.partial && (
            <p className="footnote">
              Based on the {recent.data.payments.length} most recent payments; older days may be incomplete.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function CredentialsSection() {
  const credentials = useResource(() => dashboardApi.credentials(), []);
  const [override, setOverride] = useState<Credentials>();
  const [regenerating, setRegenerating] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string }>();
  const shown = override ?? credentials.data;

  const regenerate = async () => {
    const confirmed = window.confirm(
      'Regenerate your API secret? The current secret stops working immediately; update your servers with the new one.',
    );
    if (!confirmed) {
      return;
    }
    setRegenerating(true);
    setNotice(undefined);
    try {
      setOverride(await dashboardApi.regenerateKeys());
      setNotice({ tone: 'success', text: 'New API secret generated. The previous secret no longer works.' });
    } catch (error) {
      setNotice({ tone: 'error', text: `Could not regenerate keys. ${describeError(error)}` });
    } finally {
      setRegenerating(false);
    }
  };

  return (
    <section className="card" aria-labelledby="credentials-heading">
      <div className="card-header">
        <div>
          <h2 id="credentials-heading">API credentials</h2>
          <p className="card-subtitle">
            Send these as <code>X-Api-Key</code> and <code>X-Api-Secret</code> from your server. Keep the secret out of
            browsers and source control.
          </p>
        </div>
        <button
          type="button"
          className="button button-danger-outline"
          data-test-id="regenerate-keys-button"
          disabled={regenerating || !shown}
          onClick={() => void regenerate()}
        >
          {regenerating ? (
            <>
              <Spinner label="Regenerating" /> Regenerating…
            </>
          ) : (
            'Regenerate keys'
          )}
        </button>
      </div>
      {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
      {credentials.error !== undefined && !shown && (
        <ErrorBanner
          message={`Could not load credentials. ${describeError(credentials.error)}`}
          onRetry={() => void credentials.reload()}
        />
      )}
      <div className="credentials" data-test-id="api-credentials">
        {shown ? (
          <>
            <div className="credential">
              <label>API Key</label>
              <span data-test-id="api-key">{shown.api_key}</span>
              <CopyButton text={shown.api_key} />
            </div>
            <div className="credential">
              <label>API Secret</label>
              <span data-test-id="api-secret">{shown.api_secret}</span>
              <CopyButton text={shown.api_secret} />
            </div>
          </>
        ) : (
          credentials.loading && (
            <>
              <SkeletonBlock height={44} />
              <SkeletonBlock height={44} />
            </>
          )
        )}
      </div>
    </section>
  );
}

export function OverviewPage({ merchant }: { merchant: MerchantProfile }) {
  return (
    <div className="page" data-test-id="dashboard">
      <PageHeader
        title="Dashboard"
        description={`Welcome back, ${merchant.name}. Here is how your payments are doing.`}
      />
      <StatsSection />
      <ChartSection />
      <CredentialsSection />
    </div>
  );
}
