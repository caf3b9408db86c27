import { useEffect, useState, type FormEvent } from 'react';
import { formatDateTime, orDash } from '../../shared/format';
import { dashboardApi, describeError } from '../dashboard-api';
import { WebhookLogDrawer } from '../components/webhook-log-drawer';
import {
  CopyButton,
  EmptyState,
  ErrorBanner,
  FilterSelect,
  Notice,
  PageHeader,
  Pager,
  SkeletonBlock,
  SkeletonTable,
  Spinner,
  StatusBadge,
} from '../components/ui';
import { offsetForPage, PAGE_SIZE, pageInfo, parseFilter } from '../paging';
import { WEBHOOK_EVENTS, WEBHOOK_STATUSES } from '../types';
import { rowActivation, useListQuery } from '../use-list-query';
import { useResource } from '../use-resource';

const HEADERS = ['Event', 'Status', 'Attempts', 'Last Attempt', 'Response Code', 'Actions'] as const;
const POLL_MS = 5000;

type Message = { tone: 'success' | 'error'; text: string };

function WebhookConfigCard({ onAction }: { onAction: () => void }) {
  const config = useResource(() => dashboardApi.webhookConfig(), []);
  const [url, setUrl] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'secret' | 'test'>();
  const [message, setMessage] = useState<Message>();

  const urlValue = url ?? config.data?.webhook_url ?? '';
  const secretValue = secret ?? config.data?.webhook_secret;

  const run = async (action: 'save' | 'secret' | 'test', work: () => Promise<string>) => {
    setBusy(action);
    setMessage(undefined);
    try {
      setMessage({ tone: 'success', text: await work() });
    } catch (error) {
      setMessage({ tone: 'error', text: describeError(error) });
    } finally {
      setBusy(undefined);
      onAction();
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run('save', async () => {
      const saved = await dashboardApi.updateWebhookConfig(urlValue.trim() || null);
      setUrl(saved.webhook_url ?? '');
      setSecret(saved.webhook_secret);
      return saved.webhook_url
        ? 'Configuration saved. New events will be delivered to this URL.'
        : 'Configuration saved. Webhooks are off until you add a URL.';
    });
  };
  const regenerateSecret = () =>
    void run('secret', async () => {
      setSecret((await dashboardApi.regenerateWebhookSecret()).webhook_secret);
      return 'New signing secret generated. Every later attempt, pending retries included, is signed with it.';
    });
  const sendTest = () =>
    void run('test', async () => {
      await dashboardApi.sendTestWebhook();
      return 'Test webhook queued. Its delivery appears in the log below.';
    });

  return (
    <section className="card" aria-labelledby="endpoint-heading">
      <div className="card-header">
        <div>
          <h2 id="endpoint-heading">Endpoint</h2>
          <p className="card-subtitle">
            We POST every payment and refund event to this URL, signed with your secret, and retry failures up to 5
            times.
          </p>
        </div>
      </div>
      {config.loading && <SkeletonBlock height={180} />}
      {config.error !== undefined && !config.data && (
        <ErrorBanner
          message={`Could not load webhook settings. ${describeError(config.error)}`}
          onRetry={() => void config.reload()}
        />
      )}
      {config.data && (
        // The API validates the URL (and words the error); browser validation would hide its message.
        <form data-test-id="webhook-config-form" className="form webhook-form" onSubmit={save} noValidate>
          <label className="field">
            <span className="field-label">Webhook URL</span>
            <input
              data-test-id="webhook-url-input"
              type="url"
              name="webhook_url"
              inputMode="url"
              placeholder="https://yoursite.com/webhook"
              value={urlValue}
              onChange={(event) => setUrl(event.target.value)}
            />
            <span className="field-hint">Leave empty to turn webhooks off.</span>
          </label>
          <div className="field">
            <span className="field-label">Signing secret</span>
            <div className="secret-row">
              <code className="secret-value">
                <span data-test-id="webhook-secret">{secretValue}</span>
              </code>
              {secretValue && <CopyButton text={secretValue} />}
              <button
                type="button"
                className="button button-secondary button-small"
                data-test-id="regenerate-secret-button"
                disabled={busy !== undefined}
                onClick={regenerateSecret}
              >
                {busy === 'secret' ? 'Regenerating…' : 'Regenerate'}
              </button>
            </div>
            <span className="field-hint">
              Verify <code>X-Webhook-Signature</code> (hex HMAC-SHA256 of the raw body) with this secret.
            </span>
          </div>
          {message && (
            <div data-test-id="webhook-message">
              <Notice tone={message.tone}>{message.text}</Notice>
            </div>
          )}
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              data-test-id="save-webhook-button"
              disabled={busy !== undefined}
            >
              Save Configuration
            </button>
            <button
              type="button"
              className="button button-secondary"
              data-test-id="test-webhook-button"
              disabled={busy !== undefined}
              onClick={sendTest}
            >
              Send Test Webhook
            </button>
            {busy && <Spinner label="Working" />}
          </div>
        </form>
      )}
    </section>
  );
}

export function WebhooksPage() {
  const query = useListQuery();
  const status = parseFilter(query.params.get('status'), WEBHOOK_STATUSES);
  const event = parseFilter(query.params.get('event'), WEBHOOK_EVENTS);
  const selected = query.params.get('log');
  const logs = useResource(
    () => dashboardApi.webhookLogs({ limit: PAGE_SIZE, offset: offsetForPage(query.page), status, event }),
    [query.page, status, event],
  );
  const { reload } = logs;
  const [refreshedAt, setRefreshedAt] = useState<Date>();
  const [retrying, setRetrying] = useState<string>();
  const [message, setMessage] = useState<Message>();
  const info = logs.data && pageInfo(query.page, logs.data.total);

  useEffect(() => {
    if (logs.data) {
      setRefreshedAt(new Date());
    }
  }, [logs.data]);

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (!document.hidden) {
        void reload({ silent: true });
      }
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  const refresh = () => void reload({ silent: true });

  const retry = async (logId: string, eventName: string) => {
    setRetrying(logId);
    setMessage(undefined);
    try {
      await dashboardApi.retryWebhook(logId);
      setMessage({ tone: 'success', text: `Retry scheduled for ${eventName}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `Retry failed. ${describeError(error)}` });
    } finally {
      setRetrying(undefined);
      refresh();
    }
  };

  return (
    <div className="page" data-test-id="webhook-config">
      <PageHeader title="Webhooks" description="Get notified about payments and refunds on your server." />
      <WebhookConfigCard onAction={refresh} />
      <section className="card table-card" aria-labelledby="logs-heading">
        <div className="card-header">
          <div>
            <h2 id="logs-heading">Delivery log</h2>
            <p className="card-subtitle">
              {refreshedAt
                ? `Refreshes every 5 s · updated ${formatDateTime(refreshedAt.toISOString()).slice(11)} UTC. `
                : 'Refreshes every 5 s. '}
              Select a delivery to see its payload and attempts.
            </p>
          </div>
        </div>
        <div className="toolbar">
          <FilterSelect
            label="Status"
            testId="status-filter"
            value={status}
            options={WEBHOOK_STATUSES.map((value) => ({ value, label: value }))}
            onChange={(value) => query.setFilter('status', value)}
          />
          <FilterSelect
            label="Event"
            testId="event-filter"
            value={event}
            options={WEBHOOK_EVENTS.map((value) => ({ value, label: value }))}
            onChange={(value) => query.setFilter('event', value)}
          />
        </div>
        {message && <Notice tone={message.tone}>{message.text}</Notice>}
        {logs.error !== undefined && (
          <ErrorBanner
            message={`Could not load deliveries. ${describeError(logs.error)}`}
            onRetry={() => void reload()}
          />
        )}
        {logs.loading && <SkeletonTable headers={HEADERS} rows={5} />}
        {logs.data && (
          <div className="table-scroll">
            <table className="data-table" data-test-id="webhook-logs-table">
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
                {logs.data.data.map((log) => (
                  <tr
                    key={log.id}
                    data-test-id="webhook-log-item"
                    data-webhook-id={log.id}
                    {...rowActivation(() => query.openDetail('log', log.id), `Delivery of ${log.event}`)}
                  >
                    <td className="mono" data-test-id="webhook-event">
                      {log.event}
                    </td>
                    <td data-test-id="webhook-status">
                      <StatusBadge status={log.status} />
                    </td>
                    <td className="num" data-test-id="webhook-attempts">
                      {log.attempts}
                    </td>
                    <td className="nowrap" data-test-id="webhook-last-attempt">
                      {formatDateTime(log.last_attempt_at)}
                    </td>
                    <td className="num" data-test-id="webhook-response-code">
                      {orDash(log.response_code)}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        data-test-id="retry-webhook-button"
                        data-webhook-id={log.id}
                        disabled={retrying === log.id}
                        aria-busy={retrying === log.id}
                        onClick={(clickEvent) => {
                          clickEvent.stopPropagation();
                          void retry(log.id, log.event);
                        }}
                      >
                        Retry
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {logs.data?.data.length === 0 && (
          <div className="table-empty">
            {logs.data.total > 0 ? (
              <EmptyState
                title="Nothing on this page"
                hint={
                  <button type="button" className="link-button" onClick={() => query.setPage(1)}>
                    Go to the first page
                  </button>
                }
              />
            ) : status || event ? (
              <EmptyState title="No deliveries match these filters" hint="Clear a filter to see more." />
            ) : (
              <EmptyState
                title="No webhook deliveries yet"
                hint="Set a URL above and send a test webhook; deliveries show up here within seconds."
              />
            )}
          </div>
        )}
        {(logs.data || logs.loading) && <Pager info={info} busy={logs.loading} onPage={query.setPage} />}
      </section>
      {selected && <WebhookLogDrawer logId={selected} onClose={() => query.closeDetail('log')} onRetried={refresh} />}
    </div>
  );
}
