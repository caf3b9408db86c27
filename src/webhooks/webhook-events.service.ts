import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { valuesTable, whenWritten } from '../database/cte-statement.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import type { OutboxJob, StatementTx, Tx } from '../jobs/unit-of-work.js';
import { type EventRecord, webhookBody } from './webhook-events.js';

/**
 * One webhook_logs row per event for a merchant with a webhook_url (none otherwise), as SQL and
 * parameters ($1 is the merchant id), with the delivery jobs. Ids are chosen here so that the jobs
 * can be written in the same statement or transaction.
 */
function newLogs(merchantId: string, records: EventRecord[], occurredAt: Date, condition = 'true') {
  const ids = records.map(() => randomUUID());
  const table = valuesTable(
    'e',
    ['id', 'event', 'body'],
    ['uuid', 'text', 'text'],
    records.map((record, i) => [ids[i], record.event, webhookBody(record, occurredAt)]),
    1,
  );
  const sql = `INSERT INTO webhook_logs (id, merchant_id, event, payload, body, next_retry_at)
    SELECT e.id, m.id, e.event, e.body::jsonb, e.body, now()
    FROM merchants m CROSS JOIN ${table.sql}
    WHERE m.id = $1 AND m.webhook_url IS NOT NULL AND ${condition}
    RETURNING id`;
  const jobs = ids.map((id): OutboxJob => ({
    queue: QUEUES.webhooks,
    name: JOBS.deliverWebhook,
    jobId: jobId('webhook', id, 1),
    data: { webhookLogId: id },
  }));
  return { ids, sql, params: [merchantId, ...table.params], jobs };
}

/**
 * Records events in the caller's transaction or statement: one webhook_logs row per event for
 * merchants with a webhook_url, each with its first delivery job. Emitting with the state change is
 * what makes every event exactly-once and only for committed state.
 */
@Injectable()
export class WebhookEventsService {
  async record(tx: Tx, merchantId: string, records: EventRecord[], occurredAt = new Date()): Promise<string[]> {
    if (records.length === 0) return [];
    const logs = newLogs(merchantId, records, occurredAt);
    const rows = await tx.manager.query<{ id: string }[]>(logs.sql, logs.params);
    if (rows.length === 0) return [];
    logs.jobs.forEach((job) => tx.enqueue(job));
    return logs.ids;
  }

  /**
   * The same inside a one-statement unit of work (`UnitOfWork.runStatement`), as the CTE `name`;
   * with `onlyIf`, only when that earlier CTE wrote a row (e.g. the status change really happened).
   */
  recordInStatement(
    tx: StatementTx,
    name: string,
    merchantId: string,
    records: EventRecord[],
    occurredAt: Date,
    onlyIf?: string,
  ): void {
    if (records.length === 0) return;
    const logs = newLogs(merchantId, records, occurredAt, whenWritten(onlyIf));
    tx.add(name, logs.sql, logs.params);
    logs.jobs.forEach((job) => tx.enqueue(job, name));
  }
}
