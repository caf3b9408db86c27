import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { whenWritten } from '../database/cte-statement.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import type { OutboxJob, StatementTx, Tx } from '../jobs/unit-of-work.js';
import { type EventRecord, webhookBody } from './webhook-events.js';

/**
 * One webhook_logs row per event for a merchant with a webhook_url (none otherwise): $1 merchant id,
 * $2 log ids, $3 event names, $4 bodies. Ids are chosen here so that the delivery jobs can be written
 * in the same statement or transaction.
 */
const INSERT_LOGS = `INSERT INTO webhook_logs (id, merchant_id, event, payload, body, next_retry_at)
  SELECT e.id, m.id, e.event, e.body::jsonb, e.body, now()
  FROM merchants m CROSS JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS e(id, event, body)
  WHERE m.id = $1 AND m.webhook_url IS NOT NULL`;

function newLogs(merchantId: string, records: EventRecord[], occurredAt: Date) {
  const ids = records.map(() => randomUUID());
  const params = [merchantId, ids, records.map((r) => r.event), records.map((r) => webhookBody(r, occurredAt))];
  const jobs = ids.map((id): OutboxJob => ({
    queue: QUEUES.webhooks,
    name: JOBS.deliverWebhook,
    jobId: jobId('webhook', id, 1),
    data: { webhookLogId: id },
  }));
  return { ids, params, jobs };
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
    const rows = await tx.manager.query<{ id: string }[]>(`${INSERT_LOGS} RETURNING id`, logs.params);
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
    const logs = newLogs(merchantId, records, occurredAt);
    tx.add(name, `${INSERT_LOGS} AND ${whenWritten(onlyIf)} RETURNING id`, logs.params);
    logs.jobs.forEach((job) => tx.enqueue(job, name));
  }
}
