import { Injectable } from '@nestjs/common';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import type { Tx } from '../jobs/unit-of-work.js';
import { type EventRecord, webhookBody } from './webhook-events.js';

/**
 * Records events in the caller's transaction: one webhook_logs row per event for merchants with a
 * webhook_url (none otherwise), each with its first delivery job. Emitting in the same transaction
 * as the state change is what makes every event exactly-once and only for committed state.
 */
@Injectable()
export class WebhookEventsService {
  async record(tx: Tx, merchantId: string, records: EventRecord[], occurredAt = new Date()): Promise<string[]> {
    if (records.length === 0) return [];
    const rows = await tx.manager.query<{ id: string }[]>(
      `INSERT INTO webhook_logs (merchant_id, event, payload, body, next_retry_at)
       SELECT m.id, e.event, e.body::jsonb, e.body, now()
       FROM merchants m CROSS JOIN unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(event, body, n)
       WHERE m.id = $1 AND m.webhook_url IS NOT NULL
       ORDER BY e.n
       RETURNING id`,
      [merchantId, records.map((r) => r.event), records.map((r) => webhookBody(r, occurredAt))],
    );
    for (const { id } of rows) {
      tx.enqueue({
        queue: QUEUES.webhooks,
        name: JOBS.deliverWebhook,
        jobId: jobId('webhook', id, 1),
        data: { webhookLogId: id },
      });
    }
    return rows.map((r) => r.id);
  }
}
