import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ApiException } from '../common/api.exception.js';
import { isWellFormedId, newOrderId } from '../common/ids.js';
import type { ListResponse, Page } from '../common/list-query.js';
import { whenWritten } from '../database/cte-statement.js';
import { queryPrepared } from '../database/prepared.js';
import type { StatementTx } from '../jobs/unit-of-work.js';
import type { CreateOrderDto, OrderDto, PublicOrderDto } from './orders.dto.js';
import { Order, type OrderStatus } from './order.entity.js';

interface PublicOrderRow {
  id: string;
  amount: number;
  currency: string;
  status: OrderStatus;
  created_at: Date;
  merchant_name: string;
}

/** What a payment takes from its order; none of it ever changes once the order exists. */
export type OrderTerms = Pick<Order, 'id' | 'merchantId' | 'amount' | 'currency'>;
const TERMS_CACHE_SIZE = 10_000;

export const ORDER_STATUSES: readonly OrderStatus[] = ['created', 'paid'];

export function toOrderResponse(order: Order): OrderDto {
  return {
    id: order.id,
    merchant_id: order.merchantId,
    amount: order.amount,
    currency: order.currency,
    receipt: order.receipt,
    notes: order.notes,
    status: order.status,
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
  };
}

@Injectable()
export class OrdersService {
  /** Orders are never deleted and their terms never change, so they can be kept per process. */
  private readonly terms = new Map<string, OrderTerms>();

  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}

  async create(merchantId: string, input: CreateOrderDto): Promise<OrderDto> {
    const [row] = await this.orders.query<Record<string, unknown>[]>(
      `INSERT INTO orders (id, merchant_id, amount, currency, receipt, notes)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING *`,
      [
        newOrderId(),
        merchantId,
        input.amount,
        input.currency ?? 'INR',
        input.receipt ?? null,
        input.notes === undefined || input.notes === null ? null : JSON.stringify(input.notes),
      ],
    );
    return toOrderResponse(this.orders.create(mapRow(row)));
  }

  async findOne(merchantId: string, orderId: string): Promise<OrderDto> {
    return toOrderResponse(await this.getOwned(merchantId, orderId));
  }

  /** The caller's order, else 404 exactly like a missing one. */
  async getOwned(merchantId: string, orderId: string, manager?: EntityManager): Promise<Order> {
    const [row] = isWellFormedId(orderId)
      ? await (manager ?? this.orders.manager).query<Record<string, unknown>[]>(
          `SELECT * FROM orders WHERE id = $1 AND merchant_id = $2`,
          [orderId, merchantId],
        )
      : [];
    const order = row ? this.orders.create(mapRow(row)) : null;
    if (!order) throw ApiException.notFound('Order not found');
    return order;
  }

  /**
   * The terms of an order for a new payment (any merchant's: the caller checks ownership), else null.
   * Every payment reads them, so they are cached: repeated payments for one order cost no lookup.
   */
  async paymentTerms(orderId: string): Promise<OrderTerms | null> {
    if (!isWellFormedId(orderId)) return null;
    const cached = this.terms.get(orderId);
    if (cached) return cached;
    const [row] = await queryPrepared<{ id: string; merchant_id: string; amount: number; currency: string }>(
      this.orders.manager.connection,
      `SELECT id, merchant_id, amount, currency FROM orders WHERE id = $1`,
      [orderId],
    );
    if (!row) return null;
    const terms: OrderTerms = { id: row.id, merchantId: row.merchant_id, amount: row.amount, currency: row.currency };
    if (this.terms.size >= TERMS_CACHE_SIZE) this.terms.clear();
    this.terms.set(orderId, terms);
    return terms;
  }

  async findPublic(orderId: string): Promise<PublicOrderDto> {
    if (!isWellFormedId(orderId)) throw ApiException.notFound('Order not found');
    const rows = await this.orders.query<PublicOrderRow[]>(
      `SELECT o.id, o.amount, o.currency, o.status, o.created_at, m.name AS merchant_name
       FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = $1`,
      [orderId],
    );
    const row = rows[0];
    if (!row) throw ApiException.notFound('Order not found');
    return {
      id: row.id,
      amount: row.amount,
      currency: row.currency,
      status: row.status,
      merchant_name: row.merchant_name,
      created_at: new Date(row.created_at).toISOString(),
    };
  }

  async list(merchantId: string, page: Page, status?: OrderStatus): Promise<ListResponse<OrderDto>> {
    const where = status ? { merchantId, status } : { merchantId };
    const [orders, total] = await this.orders.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { data: orders.map(toOrderResponse), total, limit: page.limit, offset: page.offset };
  }

  /** created → paid, as the CTE `name` of a one-statement unit of work, when `onlyIf` wrote a row. */
  markPaidInStatement(tx: StatementTx, name: string, orderId: string, onlyIf: string): void {
    tx.add(
      name,
      `UPDATE orders SET status = 'paid', updated_at = now()
       WHERE id = $1 AND status = 'created' AND ${whenWritten(onlyIf)} RETURNING id`,
      [orderId],
    );
  }
}

function mapRow(row: Record<string, unknown>): Partial<Order> {
  return {
    id: row.id as string,
    merchantId: row.merchant_id as string,
    amount: row.amount as number,
    currency: row.currency as string,
    receipt: row.receipt as string | null,
    notes: row.notes as Record<string, unknown> | null,
    status: row.status as OrderStatus,
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
  };
}
