import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Session } from '../merchants/session.entity.js';
import { Order } from '../orders/order.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { Refund } from '../refunds/refund.entity.js';
import { WebhookAttempt } from '../webhooks/webhook-attempt.entity.js';
import { WebhookLog } from '../webhooks/webhook-log.entity.js';

/** Every entity, listed explicitly (ESM builds cannot rely on file globs for classes). */
export const ENTITIES = [Merchant, Session, Order, Payment, Refund, WebhookLog, WebhookAttempt, IdempotencyKey];
