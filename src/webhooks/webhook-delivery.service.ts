import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { queryPrepared } from '../database/prepared.js';
import { returnedRows } from '../database/rows.js';
import { Batcher } from '../common/batcher.js';
import { SecretBox } from '../common/secret-box.js';
import { ensureJob } from '../jobs/job-maintenance.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { UnitOfWork } from '../jobs/unit-of-work.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { delayBeforeNextAttempt } from './retry-schedule.js';
import { resolvesToPublicAddresses } from './ssrf-guard.js';
import { webhookHeaders } from './webhook-signer.js';

const RESPONSE_BODY_LIMIT = 4096;
/** Above this many requests in flight, a delivery job waits for a free slot. */
const MAX_IN_FLIGHT = 1000;

interface ClaimedLog {
  id: string;
  delivery_cycle: number;
  merchant_id: string;
  event: string;
  body: string;
  attempts: number;
  next_attempt_number: number;
  /** The merchant's current settings, read with the claim. */
  webhook_url: string | null;
  webhook_secret: string | null;
}

/** The attempt row of a retried failure, as the first part of the statement that records it ($1-$8). */
const INSERT_ATTEMPT = `INSERT INTO webhook_attempts
    (webhook_log_id, attempt_number, url, started_at, duration_ms, response_code, response_body, error)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

function attemptParams(log: ClaimedLog, result: AttemptResult): unknown[] {
  return [
    log.id,
    log.next_attempt_number,
    result.url,
    result.startedAt,
    result.durationMs,
    result.responseCode,
    result.responseBody,
    result.error,
  ];
}

interface AttemptResult {
  url: string | null;
  startedAt: Date;
  durationMs: number;
  responseCode: number | null;
  responseBody: string | null;
  error: string | null;
  success: boolean;
}

/**
 * Delivers webhook_logs rows. PostgreSQL is the truth: a lease (`locked_until`) keeps at most one
 * attempt per log in flight, each attempt is recorded with the log update and the next attempt's job
 * in one transaction, and a sweeper re-creates jobs for due deliveries that Redis lost.
 *
 * The HTTP request runs outside the BullMQ job: the job only claims the lease and starts it, so a
 * merchant whose endpoint hangs for the whole timeout never holds a worker slot that other
 * merchants' deliveries need.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly secrets: SecretBox,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Claims of the same tick, as one UPDATE. */
  private readonly claims = new Batcher((logIds: string[]) => this.claimMany(logIds));
  /** Final outcomes (success, last failure) of the next few milliseconds, as one statement. */
  private readonly outcomes = new Batcher(
    (items: { log: ClaimedLog; result: AttemptResult; status: 'success' | 'failed' }[]) => this.recordOutcomes(items),
    { waitMs: 5, maxSize: 500 },
  );

  /** Claims the log and starts the attempt; resolves once it is started (not finished). */
  async start(logId: string): Promise<'started' | 'not-due' | 'in-flight'> {
    while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    const claimed = await this.claims.add(logId);
    if (!claimed) {
      const [row] = await this.dataSource.query<{ leased: boolean }[]>(
        `SELECT (status = 'pending' AND next_retry_at <= now() + interval '1 second' AND locked_until >= now()) AS leased
         FROM webhook_logs WHERE id = $1`,
        [logId],
      );
      return row?.leased ? 'in-flight' : 'not-due';
    }
    const attempt = this.attempt(claimed)
      .then((result) => this.record(claimed, result))
      .catch((error: unknown) => {
        // The lease expires and the sweeper retries the delivery; nothing is lost.
        this.logger.error(`Webhook ${claimed.id} attempt could not be recorded: ${(error as Error).message}`);
      });
    this.inFlight.add(attempt);
    void attempt.finally(() => this.inFlight.delete(attempt));
    return 'started';
  }

  /** Leases the due logs among `logIds`; a log listed twice is claimed for its first caller only. */
  private async claimMany(logIds: string[]): Promise<(ClaimedLog | undefined)[]> {
    const leaseMs = this.config.webhookTimeoutMs + 10_000;
    const rows = await queryPrepared<ClaimedLog>(
      this.dataSource,
      `UPDATE webhook_logs l SET locked_until = now() + ($2::int * interval '1 millisecond')
         FROM merchants m
         WHERE l.id = ANY($1::uuid[]) AND l.status = 'pending' AND l.next_retry_at <= now() + interval '1 second'
           AND (l.locked_until IS NULL OR l.locked_until < now()) AND m.id = l.merchant_id
         RETURNING l.id, l.delivery_cycle, l.merchant_id, l.event, l.body, l.attempts,
           (SELECT coalesce(max(a.attempt_number), 0) + 1 FROM webhook_attempts a WHERE a.webhook_log_id = l.id)
             AS next_attempt_number, m.webhook_url, m.webhook_secret`,
      [[...new Set(logIds)], leaseMs],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return logIds.map((id) => {
      const row = byId.get(id);
      byId.delete(id);
      return row;
    });
  }

  private async attempt(log: ClaimedLog): Promise<AttemptResult> {
    const startedAt = new Date();
    const url = log.webhook_url;
    const secret = log.webhook_secret ? this.secrets.open(log.webhook_secret) : null;
    if (!url || !secret) {
      return {
        url,
        startedAt,
        durationMs: 0,
        responseCode: null,
        responseBody: null,
        error: 'webhook_url is not configured',
        success: false,
      };
    }
    if (this.config.isProduction && !(await resolvesToPublicAddresses(url))) {
      // Checked again at delivery time: DNS may have changed since the URL was saved (rebinding).
      return {
        url,
        startedAt,
        durationMs: 0,
        responseCode: null,
        responseBody: null,
        error: 'webhook_url resolves to a private address',
        success: false,
      };
    }
    const timeoutMs = this.config.webhookTimeoutMs;
    const headers = webhookHeaders({
      secret,
      logId: log.id,
      event: log.event,
      body: log.body,
      timestamp: Math.floor(startedAt.getTime() / 1000),
    });
    const began = performance.now();
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body: log.body,
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const responseBody = await readLimited(response.body, RESPONSE_BODY_LIMIT);
      const code = response.statusCode;
      return {
        url,
        startedAt,
        durationMs: Math.round(performance.now() - began),
        responseCode: code,
        responseBody,
        error: null,
        success: code >= 200 && code < 300,
      };
    } catch (error) {
      return {
        url,
        startedAt,
        durationMs: Math.round(performance.now() - began),
        responseCode: null,
        responseBody: null,
        error: describeError(error, timeoutMs),
        success: false,
      };
    }
  }

  /**
   * Records an attempt: a final outcome (success, or the last failure) joins the batch of the next few
   * milliseconds; a failure with attempts left writes the attempt, the log and the next attempt's job in
   * one transaction. If a manual retry started a new cycle while this attempt was in flight, the
   * attempt is still recorded but the new cycle's state is left alone (and due), so the retry's own
   * attempt runs next.
   */
  private async record(log: ClaimedLog, result: AttemptResult): Promise<void> {
    this.metrics.webhookDeliveries.inc({
      outcome: result.success ? 'success' : result.responseCode ? 'http_error' : 'network_error',
    });
    this.metrics.webhookDuration.observe(result.durationMs / 1000);
    const delay = result.success
      ? null
      : delayBeforeNextAttempt(log.attempts + 1, this.config.webhookRetryIntervalsTest);
    if (delay === null) {
      await this.outcomes.add({ log, result, status: result.success ? 'success' : 'failed' });
      return;
    }
    await this.unitOfWork.run(async (tx) => {
      const updated = returnedRows(
        await tx.manager.query(
          `WITH attempt AS (${INSERT_ATTEMPT})
           UPDATE webhook_logs SET attempts = attempts + 1, last_attempt_at = $4, response_code = $6,
             response_body = $7, status = 'pending', next_retry_at = now() + ($9::int * interval '1 millisecond'),
             locked_until = NULL
           WHERE id = $1 AND delivery_cycle = $10
           RETURNING id`,
          [...attemptParams(log, result), delay, log.delivery_cycle],
        ),
      );
      if (updated.length === 0) {
        await tx.manager.query(`UPDATE webhook_logs SET locked_until = NULL WHERE id = $1`, [log.id]);
        return;
      }
      tx.enqueue({
        queue: QUEUES.webhooks,
        name: JOBS.deliverWebhook,
        jobId: jobId('webhook', log.id, log.next_attempt_number + 1),
        data: { webhookLogId: log.id },
        runAt: new Date(Date.now() + delay),
      });
    });
  }

  /** Attempt rows and log updates of many final outcomes, in one statement. */
  private async recordOutcomes(
    items: { log: ClaimedLog; result: AttemptResult; status: 'success' | 'failed' }[],
  ): Promise<void[]> {
    const column = <T>(pick: (item: (typeof items)[number]) => T): T[] => items.map(pick);
    await queryPrepared(
      this.dataSource,
      `WITH r AS (
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::int[], $6::int[], $7::text[],
           $8::text[], $9::text[], $10::int[])
           AS r(log_id, attempt_number, url, started_at, duration_ms, response_code, response_body, error, status,
             delivery_cycle)),
       attempts AS (
         INSERT INTO webhook_attempts
           (webhook_log_id, attempt_number, url, started_at, duration_ms, response_code, response_body, error)
         SELECT log_id, attempt_number, url, started_at, duration_ms, response_code, response_body, error FROM r),
       updated AS (
         UPDATE webhook_logs l SET attempts = l.attempts + 1, last_attempt_at = r.started_at,
           response_code = r.response_code, response_body = r.response_body, status = r.status,
           next_retry_at = NULL, locked_until = NULL
         FROM r WHERE l.id = r.log_id AND l.delivery_cycle = r.delivery_cycle
         RETURNING l.id)
       UPDATE webhook_logs l SET locked_until = NULL
       FROM r WHERE l.id = r.log_id AND l.id NOT IN (SELECT id FROM updated)`,
      [
        column((i) => i.log.id),
        column((i) => i.log.next_attempt_number),
        column((i) => i.result.url),
        column((i) => i.result.startedAt.toISOString()),
        column((i) => i.result.durationMs),
        column((i) => i.result.responseCode),
        column((i) => i.result.responseBody),
        column((i) => i.result.error),
        column((i) => i.status),
        column((i) => i.log.delivery_cycle),
      ],
    );
    return items.map(() => undefined);
  }

  /** Re-creates the job of every due delivery whose job vanished (e.g. Redis was flushed). */
  async sweep(): Promise<number> {
    const due = await this.dataSource.query<{ id: string; next_attempt_number: number }[]>(
      `SELECT l.id, (SELECT coalesce(max(a.attempt_number), 0) + 1 FROM webhook_attempts a WHERE a.webhook_log_id = l.id)
         AS next_attempt_number
       FROM webhook_logs l
       WHERE l.status = 'pending' AND l.next_retry_at <= now() - interval '5 seconds'
         AND (l.locked_until IS NULL OR l.locked_until < now())
       ORDER BY l.next_retry_at LIMIT 500`,
    );
    const queue = this.relay.queue(QUEUES.webhooks);
    let repaired = 0;
    for (const row of due) {
      const outcome = await ensureJob(queue, JOBS.deliverWebhook, jobId('webhook', row.id, row.next_attempt_number), {
        webhookLogId: row.id,
      });
      if (outcome !== 'present') repaired++;
    }
    if (repaired > 0) this.logger.warn(`Re-enqueued ${repaired} due webhook deliveries`);
    return repaired;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.agent.close();
  }
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  // PostgreSQL text cannot hold NUL characters; the rest of the body is kept as it came.
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').replaceAll('\u0000', '');
}

function describeError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e.code === 'UND_ERR_BODY_TIMEOUT' ||
    e.code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return `timeout after ${timeoutMs} ms`;
  }
  return e.code ?? e.cause?.code ?? e.message ?? 'request failed';
}
