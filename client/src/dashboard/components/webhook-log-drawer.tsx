import { useEffect, useState } from 'react';
import { formatDateTime, orDash } from '../../shared/format';
import { dashboardApi, describeError } from '../dashboard-api';
import type { DeliveryAttempt } from '../types';
import { useResource } from '../use-resource';
import { DetailList, Drawer, ErrorBanner, Notice, SkeletonBlock, StatusBadge } from './ui';

const POLL_MS = 5000;

function AttemptCard({ attempt }: { attempt: DeliveryAttempt }) {
  const succeeded = attempt.response_code !== null && attempt.response_code >= 200 && attempt.response_code < 300;
  return (
    <li className={`attempt ${succeeded ? 'attempt-success' : 'attempt-failed'}`}>
      <div className="attempt-header">
        <span className="attempt-number">Attempt {attempt.attempt_number}</span>
        <span className={`badge ${succeeded ? 'badge-success' : 'badge-failed'}`}>
          {attempt.response_code ?? 'no response'}
        </span>
      </div>
      <DetailList
        items={[
          ['Started (UTC)', formatDateTime(attempt.started_at)],
          ['Duration', attempt.duration_ms === null ? '-' : `${attempt.duration_ms} ms`],
          [
            'URL',
            <span key="url" className="break-all">
              {orDash(attempt.url)}
            </span>,
          ],
          ['Error', orDash(attempt.error)],
        ]}
      />
      {attempt.response_body !== null && attempt.response_body !== '' && (
        <details className="attempt-body">
          <summary>Response body</summary>
          <pre>
            <code>{attempt.response_body}</code>
          </pre>
        </details>
      )}
    </li>
  );
}

export function WebhookLogDrawer(props: { logId: string; onClose: () => void; onRetried: () => void }) {
  const { logId, onClose, onRetried } = props;
  const log = useResource(() => dashboardApi.webhookLog(logId), [logId]);
  const [retrying, setRetrying] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string }>();
  const pending = log.data?.status === 'pending';

  // A pending delivery changes on its own; keep its history current while it is being looked at.
  useEffect(() => {
    if (!pending) {
      return;
    }
    const timer = window.setInterval(() => void log.reload({ silent: true }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [pending, log.reload]);

  const retry = async () => {
    setRetrying(true);
    setNotice(undefined);
    try {
      const result = await dashboardApi.retryWebhook(logId);
      setNotice({ tone: 'success', text: result.message });
      onRetried();
      await log.reload({ silent: true });
    } catch (error) {
      setNotice({ tone: 'error', text: `Retry failed. ${describeError(error)}` });
    } finally {
      setRetrying(false);
    }
  };

  const data = log.data;
  const attempts = data ? [...data.delivery_attempts].sort((a, b) => b.attempt_number - a.attempt_number) : [];

  return (
    <Drawer title={data?.event ?? 'Webhook delivery'} subtitle={logId} testId="webhook-log-drawer" onClose={onClose}>
      {log.loading && (
        <>
          <SkeletonBlock height={64} />
          <SkeletonBlock height={200} />
        </>
      )}
      {log.error !== undefined && (
        <ErrorBanner
          message={`Could not load this delivery. ${describeError(log.error)}`}
          onRetry={() => void log.reload()}
        />
      )}
      {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
      {data && (
        <>
          <div className="drawer-hero">
            <StatusBadge status={data.status} />
            <span className="muted">
              {data.attempts} of 5 attempts in this cycle
              {data.next_retry_at ? ` · next attempt ${formatDateTime(data.next_retry_at)} UTC` : ''}
            </span>
            <button
              type="button"
              className="button button-secondary button-small hero-action"
              disabled={retrying}
              onClick={() => void retry()}
            >
              {retrying ? 'Retrying…' : 'Retry now'}
            </button>
          </div>
          <DetailList
            items={[
              ['Event', <code key="event">{data.event}</code>],
              ['Created (UTC)', formatDateTime(data.created_at)],
              ['Last attempt (UTC)', formatDateTime(data.last_attempt_at)],
              ['Response code', orDash(data.response_code)],
            ]}
          />
          <h3 className="drawer-section-title">Payload</h3>
          <pre className="code-block payload">
            <code>{JSON.stringify(data.payload, null, 2)}</code>
          </pre>
          <h3 className="drawer-section-title">
            Delivery attempts <span className="muted">newest first</span>
          </h3>
          {attempts.length === 0 ? (
            <p className="muted">No attempts yet. The first one starts right after the event is logged.</p>
          ) : (
            <ol className="attempts">
              {attempts.map((attempt) => (
                <AttemptCard key={attempt.attempt_number} attempt={attempt} />
              ))}
            </ol>
          )}
        </>
      )}
    </Drawer>
  );
}
