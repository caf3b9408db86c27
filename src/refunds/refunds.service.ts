import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ApiException } from '../common/api.exception.js';
import { isWellFormedId, newRefundId } from '../common/ids.js';
import type { ListResponse, Page } from '../common/list-query.js';
import { AppConfig } from '../config/app-config.js';
import { returnedRows } from '../database/rows.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { UnitOfWork } from '../jobs/unit-of-work.js';
import { PaymentsService } from '../payments/payments.service.js';
import { WebhookEventsService } from '../webhooks/webhook-events.service.js';
import { parseRefundRequest } from './refund-request.js';
import { Refund, type RefundStatus } from './refund.entity.js';
import type { RefundDto } from './refunds.dto.js';

export const REFUND_STATUSES: readonly RefundStatus[] = ['pending', 'processed'];

export function toRefundResponse(refund: Refund): RefundDto {
  return {
    id: refund.id,
    payment_id: refund.paymentId,
    amount: refund.amount,
    reason: refund.reason,
    status: refund.status,
    created_at: refund.createdAt.toISOString(),
    processed_at: refund.processedAt ? refund.processedAt.toISOString() : null,
  };
}

function refundFromRow(row: Record<string, unknown>): Refund {
  const refund = new Refund();
  refund.id = row.id as string;
  refund.paymentId = row.payment_id as string;
  refund.merchantId = row.merchant_id as string;
  refund.amount = Number(row.amount);
  refund.reason = (row.reason as string | null) ?? null;
  refund.status = row.status as RefundStatus;
  refund.createdAt = new Date(row.created_at as string);
  refund.processedAt = row.processed_at ? new Date(row.processed_at as string) : null;
  return refund;
}

@Injectable()
export class RefundsService {
  constructor(
    @InjectRepository(Refund) private readonly refunds: Repository<Refund>,
    private readonly payments: PaymentsService,
    private readonly events: WebhookEventsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks of CONTRACT §5.5 in order. The payment row stays locked (FOR UPDATE) while the refundable
   * amount is computed and the refund inserted, so concurrent refunds can never sum past the payment.
   */
  async create(merchantId: string, paymentId: string, body: Record<string, unknown>): Promise<RefundDto> {
    await this.payments.getOwned(merchantId, paymentId);
    const request = parseRefundRequest(body);
    const refund = await this.unitOfWork.run(async (tx) => {
      const payment = await this.payments.lockOwned(tx.manager, merchantId, paymentId);
      if (payment.status !== 'success') throw ApiException.badRequest('Only successful payments can be refunded');
      const [{ refunded }] = await tx.manager.query<{ refunded: string }[]>(
        `SELECT coalesce(sum(amount), 0)::bigint AS refunded FROM refunds WHERE payment_id = $1`,
        [paymentId],
      );
      if (request.amount > payment.amount - Number(refunded)) {
        throw ApiException.badRequest('Refund amount exceeds available amount');
      }
      const [row] = await tx.manager.query<Record<string, unknown>[]>(
        `INSERT INTO refunds (id, payment_id, merchant_id, amount, reason) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [newRefundId(), paymentId, merchantId, request.amount, request.reason],
      );
      const created = refundFromRow(row);
      await this.events.record(tx, merchantId, [
        { event: 'refund.created', data: { refund: toRefundResponse(created) } },
      ]);
      tx.enqueue({
        queue: QUEUES.refunds,
        name: JOBS.processRefund,
        jobId: jobId('refund', created.id),
        data: { refundId: created.id },
        runAt: new Date(Date.now() + this.refundLatencyMs()),
      });
      return created;
    });
    return toRefundResponse(refund);
  }

  /** pending → processed with processed_at and refund.processed, once, in one transaction. */
  async process(refundId: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const [row] = returnedRows<Record<string, unknown>>(
        await tx.manager.query(
          `UPDATE refunds SET status = 'processed', processed_at = now() WHERE id = $1 AND status = 'pending' RETURNING *`,
          [refundId],
        ),
      );
      if (!row) return;
      const refund = refundFromRow(row);
      await this.events.record(tx, refund.merchantId, [
        { event: 'refund.processed', data: { refund: toRefundResponse(refund) } },
      ]);
    });
  }

  /** Pending refunds older than the latency plus a margin, for the sweeper. */
  async findStuck(): Promise<string[]> {
    const maxLatency = this.config.testMode ? this.config.testRefundDelayMs : 5000;
    const rows = await this.refunds.query<{ id: string }[]>(
      `SELECT id FROM refunds WHERE status = 'pending' AND created_at < now() - ($1::int * interval '1 millisecond')
       ORDER BY created_at LIMIT 500`,
      [maxLatency + 30_000],
    );
    return rows.map((r) => r.id);
  }

  async findOne(merchantId: string, refundId: string): Promise<RefundDto> {
    const refund = isWellFormedId(refundId) ? await this.refunds.findOneBy({ id: refundId, merchantId }) : null;
    if (!refund) throw ApiException.notFound('Refund not found');
    return toRefundResponse(refund);
  }

  async list(
    merchantId: string,
    page: Page,
    filters: { status?: RefundStatus; paymentId?: string },
  ): Promise<ListResponse<RefundDto>> {
    if (filters.paymentId) await this.payments.getOwned(merchantId, filters.paymentId);
    const [refunds, total] = await this.refunds.findAndCount({
      where: {
        merchantId,
        ...(filters.status && { status: filters.status }),
        ...(filters.paymentId && { paymentId: filters.paymentId }),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { data: refunds.map(toRefundResponse), total, limit: page.limit, offset: page.offset };
  }

  /** TEST_REFUND_DELAY in test mode, else uniform 3-5 s. */
  private refundLatencyMs(): number {
    return this.config.testMode ? this.config.testRefundDelayMs : 3000 + Math.round(Math.random() * 2000);
  }
}
