import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ApiException } from '../common/api.exception.js';
import { hmacSha256Hex } from '../common/crypto.js';
import { queryPrepared } from '../database/prepared.js';
import { returnedRows } from '../database/rows.js';
import { isWellFormedId, newPaymentId } from '../common/ids.js';
import type { ListResponse, Page } from '../common/list-query.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { UnitOfWork } from '../jobs/unit-of-work.js';
import { type OrderTerms, OrdersService } from '../orders/orders.service.js';
import { WebhookEventsService } from '../webhooks/webhook-events.service.js';
import type { PaymentJobData, PaymentSnapshot } from './payment-processing.service.js';
import { requireOrderId, validateInstrument } from './payment-request.js';
import { Payment, type PaymentMethod, type PaymentStatus } from './payment.entity.js';
import type { PaymentDto, PaymentStatsDto, PublicPaymentDto } from './payments.dto.js';

const GET_OWNED = `SELECT * FROM payments WHERE id = $1 AND merchant_id = $2`;

export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['pending', 'processing', 'success', 'failed'];
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['upi', 'card'];

export function toPaymentResponse(payment: Payment): PaymentDto {
  return {
    id: payment.id,
    order_id: payment.orderId,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    vpa: payment.vpa,
    card_network: payment.cardNetwork,
    card_last4: payment.cardLast4,
    status: payment.status,
    captured: payment.captured,
    error_code: payment.errorCode,
    error_description: payment.errorDescription,
    created_at: payment.createdAt.toISOString(),
    updated_at: payment.updatedAt.toISOString(),
  };
}

/** `pay_…` / `order_…` signature the checkout hands to the merchant (CONTRACT §5.7). */
export function paymentSignature(apiSecret: string, orderId: string, paymentId: string): string {
  return hmacSha256Hex(apiSecret, `${orderId}|${paymentId}`);
}

@Injectable()
export class PaymentsService {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly orders: OrdersService,
    private readonly events: WebhookEventsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly secrets: SecretBox,
    private readonly config: AppConfig,
  ) {}

  /** POST /api/v1/payments: the order must belong to the caller. */
  async createForMerchant(merchantId: string, body: Record<string, unknown>): Promise<PaymentDto> {
    const order = await this.orders.paymentTerms(requireOrderId(body));
    if (order?.merchantId !== merchantId) throw ApiException.notFound('Order not found');
    return this.create(order, body);
  }

  /** POST /api/v1/payments/public: the merchant is the order's owner. */
  async createForCheckout(body: Record<string, unknown>): Promise<PaymentDto> {
    const order = await this.orders.paymentTerms(requireOrderId(body));
    if (!order) throw ApiException.notFound('Order not found');
    return this.create(order, body);
  }

  /**
   * One statement (see UnitOfWork.runStatement): the payment, its test outcome, the payment.created and
   * payment.pending events and the start job. Ids and timestamps are chosen here, so the response and
   * the event bodies are known before the write.
   */
  private async create(order: OrderTerms, body: Record<string, unknown>): Promise<PaymentDto> {
    const instrument = validateInstrument(body, !this.config.isProduction);
    const now = new Date();
    const payment = Object.assign(new Payment(), {
      id: newPaymentId(),
      orderId: order.id,
      merchantId: order.merchantId,
      amount: order.amount,
      currency: order.currency,
      method: instrument.method,
      status: 'pending',
      vpa: instrument.method === 'upi' ? instrument.vpa : null,
      cardNetwork: instrument.method === 'card' ? instrument.cardNetwork : null,
      cardLast4: instrument.method === 'card' ? instrument.cardLast4 : null,
      errorCode: null,
      errorDescription: null,
      captured: false,
      createdAt: now,
      updatedAt: now,
    } satisfies Payment);
    const response = toPaymentResponse(payment);
    await this.unitOfWork.runStatement((tx) => {
      tx.add(
        'payment',
        `INSERT INTO payments (id, order_id, merchant_id, amount, currency, method, status, vpa, card_network,
           card_last4, captured, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, false, $10, $10) RETURNING id`,
        [
          payment.id,
          payment.orderId,
          payment.merchantId,
          payment.amount,
          payment.currency,
          payment.method,
          payment.vpa,
          payment.cardNetwork,
          payment.cardLast4,
          now,
        ],
      );
      if (instrument.testOutcome) {
        tx.add('test_outcome', `INSERT INTO payment_test_outcomes (payment_id, outcome) VALUES ($1, $2)`, [
          payment.id,
          instrument.testOutcome,
        ]);
      }
      this.events.recordInStatement(
        tx,
        'events',
        order.merchantId,
        [
          { event: 'payment.created', data: { payment: response } },
          { event: 'payment.pending', data: { payment: response } },
        ],
        now,
      );
      tx.enqueue({
        queue: QUEUES.payments,
        name: JOBS.startPayment,
        jobId: jobId('payment-start', payment.id),
        data: {
          paymentId: payment.id,
          snapshot: JSON.stringify({
            payment: response,
            merchantId: payment.merchantId,
            testOutcome: instrument.testOutcome,
          } satisfies PaymentSnapshot),
        } satisfies PaymentJobData,
      });
    });
    return response;
  }

  async findOne(merchantId: string, paymentId: string): Promise<PaymentDto> {
    return toPaymentResponse(await this.getOwned(merchantId, paymentId));
  }

  /** The caller's payment, else 404 exactly like a missing one. */
  async getOwned(merchantId: string, paymentId: string, manager?: EntityManager): Promise<Payment> {
    const [row] = isWellFormedId(paymentId)
      ? manager
        ? await manager.query<Record<string, unknown>[]>(GET_OWNED, [paymentId, merchantId])
        : await queryPrepared<Record<string, unknown>>(this.payments.manager.connection, GET_OWNED, [
            paymentId,
            merchantId,
          ])
      : [];
    const payment = row ? paymentFromRow(row) : null;
    if (!payment) throw ApiException.notFound('Payment not found');
    return payment;
  }

  /**
   * Checks of CONTRACT §5.4 in order, under a row lock so that of concurrent captures exactly one
   * succeeds. Emits no webhook.
   */
  async capture(merchantId: string, paymentId: string, amount: unknown): Promise<PaymentDto> {
    await this.getOwned(merchantId, paymentId);
    const captured = await this.unitOfWork.run(async (tx) => {
      const payment = await this.lockOwned(tx.manager, merchantId, paymentId);
      if (payment.status !== 'success') throw ApiException.badRequest('Payment not in capturable state');
      if (payment.captured) throw ApiException.badRequest('Payment already captured');
      if (amount !== undefined && amount !== null && amount !== payment.amount) {
        throw ApiException.badRequest('Capture amount must match payment amount');
      }
      const [row] = returnedRows<Record<string, unknown>>(
        await tx.manager.query(`UPDATE payments SET captured = true, updated_at = now() WHERE id = $1 RETURNING *`, [
          paymentId,
        ]),
      );
      return paymentFromRow(row);
    });
    return toPaymentResponse(captured);
  }

  /** The caller's payment locked FOR UPDATE in the caller's transaction (refunds, capture). */
  async lockOwned(manager: EntityManager, merchantId: string, paymentId: string): Promise<Payment> {
    const [row] = await manager.query<Record<string, unknown>[]>(
      `SELECT * FROM payments WHERE id = $1 AND merchant_id = $2 FOR UPDATE`,
      [paymentId, merchantId],
    );
    if (!row) throw ApiException.notFound('Payment not found');
    return paymentFromRow(row);
  }

  async findPublic(paymentId: string): Promise<PublicPaymentDto> {
    const rows = isWellFormedId(paymentId)
      ? await this.payments.query<(Record<string, unknown> & { api_secret: string })[]>(
          `SELECT p.*, m.api_secret FROM payments p JOIN merchants m ON m.id = p.merchant_id WHERE p.id = $1`,
          [paymentId],
        )
      : [];
    if (!rows[0]) throw ApiException.notFound('Payment not found');
    const payment = paymentFromRow(rows[0]);
    return {
      id: payment.id,
      order_id: payment.orderId,
      amount: payment.amount,
      currency: payment.currency,
      method: payment.method,
      status: payment.status,
      error_code: payment.errorCode,
      error_description: payment.errorDescription,
      created_at: payment.createdAt.toISOString(),
      signature:
        payment.status === 'success'
          ? paymentSignature(this.secrets.open(rows[0].api_secret), payment.orderId, payment.id)
          : null,
    };
  }

  async list(
    merchantId: string,
    page: Page,
    filters: { status?: PaymentStatus; method?: PaymentMethod },
  ): Promise<ListResponse<PaymentDto>> {
    const [payments, total] = await this.payments.findAndCount({
      where: {
        merchantId,
        ...(filters.status && { status: filters.status }),
        ...(filters.method && { method: filters.method }),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { data: payments.map(toPaymentResponse), total, limit: page.limit, offset: page.offset };
  }

  async stats(merchantId: string): Promise<PaymentStatsDto> {
    const [row] = await this.payments.query<{ total: number; amount: string; successes: number }[]>(
      `SELECT count(*)::int AS total,
              coalesce(sum(amount) FILTER (WHERE status = 'success'), 0)::bigint AS amount,
              count(*) FILTER (WHERE status = 'success')::int AS successes
       FROM payments WHERE merchant_id = $1`,
      [merchantId],
    );
    return {
      total_transactions: row.total,
      total_amount: Number(row.amount),
      success_rate: row.total === 0 ? 0 : Math.round((100 * row.successes) / row.total),
    };
  }
}

/** Maps a raw `payments` row (snake_case) to the entity. */
export function paymentFromRow(row: Record<string, unknown>): Payment {
  const payment = new Payment();
  payment.id = row.id as string;
  payment.orderId = row.order_id as string;
  payment.merchantId = row.merchant_id as string;
  payment.amount = Number(row.amount);
  payment.currency = row.currency as string;
  payment.method = row.method as PaymentMethod;
  payment.status = row.status as PaymentStatus;
  payment.vpa = (row.vpa as string | null) ?? null;
  payment.cardNetwork = (row.card_network as Payment['cardNetwork']) ?? null;
  payment.cardLast4 = (row.card_last4 as string | null) ?? null;
  payment.errorCode = (row.error_code as string | null) ?? null;
  payment.errorDescription = (row.error_description as string | null) ?? null;
  payment.captured = Boolean(row.captured);
  payment.createdAt = new Date(row.created_at as string);
  payment.updatedAt = new Date(row.updated_at as string);
  return payment;
}
