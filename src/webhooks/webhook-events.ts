/** Event names of CONTRACT §7.1. */
export const WEBHOOK_EVENTS = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
  'refund.created',
  'refund.processed',
  'webhook.test',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface EventRecord {
  event: WebhookEvent;
  data: Record<string, unknown>;
}

/**
 * The exact body of CONTRACT §7.2: three keys in order, compact, no event id. Fixed once, when the
 * event happens; `JSON.stringify(JSON.parse(body)) === body` holds for it.
 */
export function webhookBody(record: EventRecord, occurredAt: Date): string {
  return JSON.stringify({ event: record.event, timestamp: Math.floor(occurredAt.getTime() / 1000), data: record.data });
}
