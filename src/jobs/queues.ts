import type { DefaultJobOptions } from 'bullmq';

/** The three queues and their job names, declared once (CONTRACT §5.1, DESIGN.md). */
export const QUEUES = {
  payments: 'payments',
  webhooks: 'webhooks',
  refunds: 'refunds',
  /** Housekeeping (expired idempotency keys); not part of the job counts of CONTRACT §5.1. */
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
/** The three queues whose counts GET /api/v1/test/jobs/status sums. */
export const BUSINESS_QUEUES: QueueName[] = [QUEUES.payments, QUEUES.webhooks, QUEUES.refunds];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

export const JOBS = {
  /** pending → processing, then schedules the settlement after the bank latency. */
  startPayment: 'start-payment',
  /** processing → success|failed with the order and the events, in one transaction. */
  settlePayment: 'settle-payment',
  deliverWebhook: 'deliver-webhook',
  /** pending → processed after the refund latency. */
  processRefund: 'process-refund',
  purgeIdempotencyKeys: 'purge-idempotency-keys',
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

/**
 * Infrastructure failures (database or Redis hiccups) are retried with exponential backoff and jitter;
 * business retries (webhook schedule) are explicit. Completed and failed jobs are kept so that the
 * counts of GET /api/v1/test/jobs/status mean something.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
};

/** BullMQ job ids may not contain ':'; ours are `<kind>.<entity id>[.<n>]`, unique per unit of work. */
export function jobId(...parts: (string | number)[]): string {
  return parts.join('.');
}
