import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { ensureJob } from '../jobs/job-maintenance.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { UnitOfWork } from '../jobs/unit-of-work.js';
import { OrdersService } from '../orders/orders.service.js';
import { WebhookEventsService } from '../webhooks/webhook-events.service.js';
import { bankLatencyMs, decideOutcome } from './bank-simulator.js';
import type { TestOutcome } from './payment-request.js';
import type { PaymentDto } from './payments.dto.js';
import { paymentFromRow, toPaymentResponse } from './payments.service.js';

/**
 * What the payment jobs carry: the payment id and, from creation on, a snapshot of the payment as
 * created (JSON of PaymentSnapshot): nothing in it changes before settlement, so settling needs no
 * read. Jobs re-created by the sweeper carry the id only.
 */
export interface PaymentJobData {
  paymentId: string;
  snapshot?: string;
}

export interface PaymentSnapshot {
  payment: PaymentDto;
  merchantId: string;
  testOutcome: TestOutcome | null;
}

export const DECLINED = { code: 'PAYMENT_FAILED', description: 'Payment declined by bank' } as const;

/**
 * The simulated bank. Processing is two short jobs around a delayed one, so the bank latency never
 * holds a worker slot: `start` marks the payment processing and schedules `settle` after the latency;
 * `settle` writes the final status, the order's paid transition and the final event in one
 * transaction. Both re-read state and do nothing when their step is already done.
 */
@Injectable()
export class PaymentProcessingService {
  private readonly logger = new Logger(PaymentProcessingService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrdersService,
    private readonly events: WebhookEventsService,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** pending → processing and the settle job after the bank latency, in one statement. */
  async start(job: PaymentJobData): Promise<void> {
    await this.unitOfWork.runStatement((tx) => {
      tx.add(
        'started',
        `UPDATE payments SET status = 'processing', updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING id`,
        [job.paymentId],
      );
      tx.enqueue(
        {
          queue: QUEUES.payments,
          name: JOBS.settlePayment,
          jobId: jobId('payment-settle', job.paymentId),
          data: { ...job },
          runAt: new Date(Date.now() + bankLatencyMs(this.config)),
        },
        'started',
      );
    });
  }

  /**
   * processing → success|failed, the order's paid transition and the final event, in one statement
   * whose every write depends on the status change, which only happens while the payment is still
   * `processing` (a concurrent or repeated settle finds nothing to do). The payment comes from the
   * job's snapshot, or from PostgreSQL for jobs re-created by the sweeper.
   */
  async settle(job: PaymentJobData): Promise<void> {
    const current = job.snapshot ? (JSON.parse(job.snapshot) as PaymentSnapshot) : await this.load(job.paymentId);
    if (!current) return;
    // Test instruments are ignored in production (CONTRACT §6 row 2).
    const outcome = decideOutcome(
      this.config,
      current.payment.method,
      this.config.isProduction ? null : current.testOutcome,
    );
    const now = new Date();
    const payment: PaymentDto = {
      ...current.payment,
      status: outcome,
      error_code: outcome === 'failed' ? DECLINED.code : null,
      error_description: outcome === 'failed' ? DECLINED.description : null,
      updated_at: now.toISOString(),
    };
    await this.unitOfWork.runStatement((tx) => {
      tx.add(
        'settled',
        `UPDATE payments SET status = $2, error_code = $3, error_description = $4, updated_at = $5
         WHERE id = $1 AND status = 'processing' RETURNING id`,
        [payment.id, payment.status, payment.error_code, payment.error_description, now],
      );
      if (outcome === 'success') this.orders.markPaidInStatement(tx, 'paid', payment.order_id, 'settled');
      this.events.recordInStatement(
        tx,
        'events',
        current.merchantId,
        [{ event: outcome === 'success' ? 'payment.success' : 'payment.failed', data: { payment } }],
        now,
        'settled',
      );
    });
  }

  /** A payment still `processing`, read from PostgreSQL; else null. */
  private async load(paymentId: string): Promise<PaymentSnapshot | null> {
    const [row] = await this.dataSource.query<(Record<string, unknown> & { test_outcome: TestOutcome | null })[]>(
      `SELECT p.*, t.outcome AS test_outcome
       FROM payments p LEFT JOIN payment_test_outcomes t ON t.payment_id = p.id WHERE p.id = $1`,
      [paymentId],
    );
    if (row?.status !== 'processing') return null;
    const payment = paymentFromRow(row);
    return { payment: toPaymentResponse(payment), merchantId: payment.merchantId, testOutcome: row.test_outcome };
  }

  /**
   * PostgreSQL is the truth: re-creates the job of any payment stuck longer than its step can take
   * (Redis flushed, job failed for good). Handlers are idempotent, so a duplicate is harmless.
   */
  async sweep(): Promise<number> {
    const queue = this.relay.queue(QUEUES.payments);
    const stuckAfterMs =
      (this.config.testMode ? this.config.testProcessingDelayMs : this.config.processingDelayMaxMs) + 30_000;
    const rows = await this.dataSource.query<{ id: string; status: string }[]>(
      `SELECT id, status FROM payments
       WHERE (status = 'pending' AND created_at < now() - interval '30 seconds')
          OR (status = 'processing' AND updated_at < now() - ($1::int * interval '1 millisecond'))
       ORDER BY created_at LIMIT 500`,
      [stuckAfterMs],
    );
    let repaired = 0;
    for (const row of rows) {
      const result =
        row.status === 'pending'
          ? await ensureJob(queue, JOBS.startPayment, jobId('payment-start', row.id), { paymentId: row.id })
          : await ensureJob(queue, JOBS.settlePayment, jobId('payment-settle', row.id), { paymentId: row.id });
      if (result !== 'present') repaired++;
    }
    if (repaired > 0) this.logger.warn(`Re-enqueued ${repaired} stuck payment job(s)`);
    return repaired;
  }
}
