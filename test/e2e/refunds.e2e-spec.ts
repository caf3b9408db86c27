import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import Razorpay from 'razorpay';
import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils.js';
import type { Response } from 'supertest';
import {
  type Credentials,
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
  waitForFinalPayment,
} from '../support/api.js';
import { sql } from '../support/db.js';
import { sharedGatewayUrl } from '../support/gateway.mjs';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// The gateway is a separate process with real PostgreSQL, Redis and workers.
jest.setTimeout(30_000);

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const REFUND_ID = /^rfnd_[A-Za-z0-9]{16}$/;
const ERROR_KEYS = ['code', 'description', 'source', 'step', 'reason', 'metadata', 'field'];

type Merchant = Awaited<ReturnType<typeof newMerchant>>;
type Body = Record<string, unknown>;

interface RefundView {
  id: string;
  payment_id: string;
  amount: number;
  reason: string | null;
  status: string;
  created_at: string;
  processed_at: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectError(response: Response, status: number, code: string, description: string | RegExp): void {
  expect({ status: response.status, body: response.body as unknown }).toEqual({
    status,
    body: {
      error: expect.objectContaining({
        code,
        description: typeof description === 'string' ? description : expect.stringMatching(description),
      }),
    },
  });
  expect(Object.keys(response.body.error).filter((key) => !ERROR_KEYS.includes(key))).toEqual([]);
}

/** A payment of `amount` paise that reached `success` (test VPA). */
async function successfulPayment(merchant: Credentials, amount = 10_000) {
  const order = await createOrder(merchant, { amount });
  const payment = await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
  const final = await waitForFinalPayment(payment.id, merchant);
  expect(final.status).toBe('success');
  return final as { id: string; order_id: string; amount: number; status: string; updated_at: string };
}

async function failedPayment(merchant: Credentials) {
  const order = await createOrder(merchant, { amount: 10_000 });
  const payment = await createPayment(order.id, { method: 'upi', vpa: 'failure@test' }, merchant);
  const final = await waitForFinalPayment(payment.id, merchant);
  expect(final.status).toBe('failed');
  return final as { id: string };
}

function postRefund(merchant: Credentials, paymentId: string, body: unknown, path: 'refunds' | 'refund' = 'refunds') {
  return api()
    .post(`/api/v1/payments/${paymentId}/${path}`)
    .set(authHeaders(merchant))
    .send(body as object);
}

function capture(merchant: Credentials, paymentId: string, body?: Body) {
  const request = api().post(`/api/v1/payments/${paymentId}/capture`).set(authHeaders(merchant));
  return body === undefined ? request : request.send(body);
}

async function getRefund(merchant: Credentials, id: string): Promise<RefundView> {
  return (await api().get(`/api/v1/refunds/${id}`).set(authHeaders(merchant)).expect(200)).body;
}

async function waitForProcessed(merchant: Credentials, id: string): Promise<RefundView> {
  return eventually(async () => {
    const refund = await getRefund(merchant, id);
    return refund.status === 'processed' ? refund : undefined;
  });
}

async function webhookRows(merchantId: string, event: string, refundId: string) {
  return sql<{ event: string; payload: Body; body: string }>(
    `SELECT event, payload, body FROM webhook_logs
      WHERE merchant_id = $1 AND event = $2 AND payload->'data'->'refund'->>'id' = $3`,
    [merchantId, event, refundId],
  );
}

describe('Refunds (CONTRACT §3, §5.5, §6)', () => {
  let merchant: Merchant;
  let other: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
    other = await newMerchant();
  });

  describe('POST /api/v1/payments/{id}/refunds checks', () => {
    let payment: { id: string; amount: number };

    beforeAll(async () => {
      payment = await successfulPayment(merchant, 10_000);
    });

    it('should answer 404 "Payment not found" for an unknown payment, even with an invalid body', async () => {
      expectError(
        await postRefund(merchant, 'pay_DoesNotExist0000', { amount: 100 }),
        404,
        'NOT_FOUND_ERROR',
        'Payment not found',
      );
      expectError(await postRefund(merchant, 'pay_DoesNotExist0000', {}), 404, 'NOT_FOUND_ERROR', 'Payment not found');
      expectError(
        await postRefund(merchant, 'pay_DoesNotExist0000', { amount: 'abc', reason: 'x'.repeat(300) }),
        404,
        'NOT_FOUND_ERROR',
        'Payment not found',
      );
    });

    it('should answer 404 "Payment not found" for another merchant’s payment, even with an invalid body', async () => {
      expectError(await postRefund(other, payment.id, { amount: 100 }), 404, 'NOT_FOUND_ERROR', 'Payment not found');
      expectError(await postRefund(other, payment.id, { amount: -1 }), 404, 'NOT_FOUND_ERROR', 'Payment not found');
      const rows = await sql('SELECT id FROM refunds WHERE payment_id = $1', [payment.id]);
      expect(rows).toHaveLength(0);
    });

    it('should validate amount and reason with exact messages', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, 'amount is required'],
        [{ reason: 'no amount' }, 'amount is required'],
        [{ amount: null }, 'amount is required'],
        [{ amount: '100' }, 'amount must be an integer'],
        [{ amount: 'abc' }, 'amount must be an integer'],
        [{ amount: 100.5 }, 'amount must be an integer'],
        [{ amount: 0 }, 'amount must be greater than 0'],
        [{ amount: -100 }, 'amount must be greater than 0'],
        [{ amount: 100, reason: 'x'.repeat(256) }, 'reason must be a string of at most 255 characters'],
        [{ amount: 100, reason: 42 }, 'reason must be a string of at most 255 characters'],
      ];
      for (const [body, description] of cases) {
        const response = await postRefund(merchant, payment.id, body);
        expect({ body, status: response.status, description: response.body?.error?.description }).toEqual({
          body,
          status: 400,
          description,
        });
        expectError(response, 400, 'BAD_REQUEST_ERROR', description);
      }
      const rows = await sql('SELECT id FROM refunds WHERE payment_id = $1', [payment.id]);
      expect(rows).toHaveLength(0);
    });

    it('should accept a reason of exactly 255 characters', async () => {
      const response = await postRefund(merchant, payment.id, { amount: 1, reason: 'r'.repeat(255) });
      expect(response.status).toBe(201);
      expect(response.body.reason).toBe('r'.repeat(255));
    });

    it('should refuse a failed payment with 400 "Only successful payments can be refunded"', async () => {
      const failed = await failedPayment(merchant);
      expectError(
        await postRefund(merchant, failed.id, { amount: 100 }),
        400,
        'BAD_REQUEST_ERROR',
        'Only successful payments can be refunded',
      );
    });

    it('should refuse a payment that has not settled yet with 400 "Only successful payments can be refunded"', async () => {
      const order = await createOrder(merchant, { amount: 10_000 });
      const pending = await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
      const response = await postRefund(merchant, pending.id, { amount: 100 });
      expectError(response, 400, 'BAD_REQUEST_ERROR', 'Only successful payments can be refunded');
    });

    it('should validate the body before the payment status', async () => {
      const failed = await failedPayment(merchant);
      expectError(await postRefund(merchant, failed.id, {}), 400, 'BAD_REQUEST_ERROR', 'amount is required');
    });

    it('should refuse an amount above the payment amount with 400 "Refund amount exceeds available amount"', async () => {
      const fresh = await successfulPayment(merchant, 5_000);
      expectError(
        await postRefund(merchant, fresh.id, { amount: 5_001 }),
        400,
        'BAD_REQUEST_ERROR',
        'Refund amount exceeds available amount',
      );
    });
  });

  describe('refund lifecycle', () => {
    it('should create a pending refund with the contract shape', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const response = await postRefund(merchant, payment.id, { amount: 2_500, reason: 'Customer request' });
      expect(response.status).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual(
        ['amount', 'created_at', 'id', 'payment_id', 'processed_at', 'reason', 'status'].sort(),
      );
      expect(response.body).toEqual({
        id: expect.stringMatching(REFUND_ID),
        payment_id: payment.id,
        amount: 2_500,
        reason: 'Customer request',
        status: 'pending',
        created_at: expect.stringMatching(ISO_MS),
        processed_at: null,
      });
    });

    it('should store a null reason when none is given', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const response = await postRefund(merchant, payment.id, { amount: 100 });
      expect(response.status).toBe(201);
      expect(response.body.reason).toBeNull();
    });

    it('should allow a partial then a full refund, then refuse one more paisa', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      expect((await postRefund(merchant, payment.id, { amount: 3_000 })).status).toBe(201);
      expectError(
        await postRefund(merchant, payment.id, { amount: 7_001 }),
        400,
        'BAD_REQUEST_ERROR',
        'Refund amount exceeds available amount',
      );
      expect((await postRefund(merchant, payment.id, { amount: 7_000 })).status).toBe(201);
      expectError(
        await postRefund(merchant, payment.id, { amount: 1 }),
        400,
        'BAD_REQUEST_ERROR',
        'Refund amount exceeds available amount',
      );
      const [{ sum }] = await sql<{ sum: string }>(
        'SELECT sum(amount)::text AS sum FROM refunds WHERE payment_id = $1',
        [payment.id],
      );
      expect(Number(sum)).toBe(10_000);
    });

    it('should count processed refunds against the available amount', async () => {
      const payment = await successfulPayment(merchant, 5_000);
      const first = await postRefund(merchant, payment.id, { amount: 4_000 });
      expect(first.status).toBe(201);
      await waitForProcessed(merchant, first.body.id);
      expectError(
        await postRefund(merchant, payment.id, { amount: 1_001 }),
        400,
        'BAD_REQUEST_ERROR',
        'Refund amount exceeds available amount',
      );
      expect((await postRefund(merchant, payment.id, { amount: 1_000 })).status).toBe(201);
    });

    it('should serve the /refund alias with the same checks and response', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      expectError(
        await postRefund(merchant, 'pay_DoesNotExist0000', {}, 'refund'),
        404,
        'NOT_FOUND_ERROR',
        'Payment not found',
      );
      expectError(
        await postRefund(other, payment.id, { amount: 1 }, 'refund'),
        404,
        'NOT_FOUND_ERROR',
        'Payment not found',
      );
      expectError(await postRefund(merchant, payment.id, {}, 'refund'), 400, 'BAD_REQUEST_ERROR', 'amount is required');
      expectError(
        await postRefund(merchant, payment.id, { amount: 1.5 }, 'refund'),
        400,
        'BAD_REQUEST_ERROR',
        'amount must be an integer',
      );
      expectError(
        await postRefund(merchant, payment.id, { amount: 0 }, 'refund'),
        400,
        'BAD_REQUEST_ERROR',
        'amount must be greater than 0',
      );
      const failed = await failedPayment(merchant);
      expectError(
        await postRefund(merchant, failed.id, { amount: 1 }, 'refund'),
        400,
        'BAD_REQUEST_ERROR',
        'Only successful payments can be refunded',
      );
      const response = await postRefund(merchant, payment.id, { amount: 6_000, reason: 'alias' }, 'refund');
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(REFUND_ID),
        payment_id: payment.id,
        amount: 6_000,
        reason: 'alias',
        status: 'pending',
        created_at: expect.stringMatching(ISO_MS),
        processed_at: null,
      });
      // The alias and the canonical route share one available amount.
      expectError(
        await postRefund(merchant, payment.id, { amount: 4_001 }),
        400,
        'BAD_REQUEST_ERROR',
        'Refund amount exceeds available amount',
      );
      expect((await postRefund(merchant, payment.id, { amount: 4_000 }, 'refund')).status).toBe(201);
    });

    it('should process a refund, set processed_at and leave the payment status success', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const created = (await postRefund(merchant, payment.id, { amount: 10_000, reason: 'full' })).body as RefundView;
      expect(created.status).toBe('pending');
      const processed = await waitForProcessed(merchant, created.id);
      expect(processed).toEqual({ ...created, status: 'processed', processed_at: expect.stringMatching(ISO_MS) });
      expect(Date.parse(processed.processed_at!)).toBeGreaterThanOrEqual(Date.parse(created.created_at));
      const after = await api().get(`/api/v1/payments/${payment.id}`).set(authHeaders(merchant)).expect(200);
      expect(after.body.status).toBe('success');
      const [row] = await sql<{ status: string }>('SELECT status FROM payments WHERE id = $1', [payment.id]);
      expect(row.status).toBe('success');
    });
  });

  describe('refund reads', () => {
    it('should answer GET /api/v1/refunds/{id} for the owner and 404 "Refund not found" otherwise', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const created = (await postRefund(merchant, payment.id, { amount: 100 })).body as RefundView;
      const fetched = await getRefund(merchant, created.id);
      expect(fetched).toEqual({
        ...created,
        status: expect.stringMatching(/^(pending|processed)$/),
        processed_at: fetched.processed_at,
      });
      expectError(
        await api().get('/api/v1/refunds/rfnd_DoesNotExist0000').set(authHeaders(merchant)),
        404,
        'NOT_FOUND_ERROR',
        'Refund not found',
      );
      expectError(
        await api().get(`/api/v1/refunds/${created.id}`).set(authHeaders(other)),
        404,
        'NOT_FOUND_ERROR',
        'Refund not found',
      );
    });

    it('should list refunds newest first with status filter and count/skip aliases', async () => {
      const lister = await newMerchant();
      const payment = await successfulPayment(lister, 10_000);
      const ids: string[] = [];
      for (const amount of [100, 200, 300]) {
        const response = await postRefund(lister, payment.id, { amount });
        expect(response.status).toBe(201);
        ids.push(response.body.id);
        await sleep(10);
      }
      await Promise.all(ids.map((id) => waitForProcessed(lister, id)));

      const all = await api().get('/api/v1/refunds').set(authHeaders(lister)).expect(200);
      expect(all.body).toEqual({ data: expect.any(Array), total: 3, limit: 10, offset: 0 });
      expect(all.body.data.map((r: RefundView) => r.id)).toEqual([...ids].reverse());
      expect(all.body.data.map((r: RefundView) => r.amount)).toEqual([300, 200, 100]);

      const processed = await api().get('/api/v1/refunds?status=processed').set(authHeaders(lister)).expect(200);
      expect(processed.body.total).toBe(3);
      expect(processed.body.data.every((r: RefundView) => r.status === 'processed')).toBe(true);
      const pending = await api().get('/api/v1/refunds?status=pending').set(authHeaders(lister)).expect(200);
      expect(pending.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });

      const page = await api().get('/api/v1/refunds?count=1&skip=1').set(authHeaders(lister)).expect(200);
      expect(page.body).toEqual({ data: [expect.objectContaining({ id: ids[1] })], total: 3, limit: 1, offset: 1 });
      const limited = await api().get('/api/v1/refunds?limit=2&offset=2').set(authHeaders(lister)).expect(200);
      expect(limited.body).toEqual({ data: [expect.objectContaining({ id: ids[0] })], total: 3, limit: 2, offset: 2 });

      const bad = await api().get('/api/v1/refunds?status=refunded').set(authHeaders(lister));
      expectError(bad, 400, 'BAD_REQUEST_ERROR', /status/);

      const foreign = await api().get('/api/v1/refunds').set(authHeaders(other)).expect(200);
      expect(foreign.body.data.some((r: RefundView) => ids.includes(r.id))).toBe(false);
    });

    it('should list a payment’s refunds and answer 404 "Payment not found" for an unknown or foreign payment', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const otherPayment = await successfulPayment(merchant, 10_000);
      const a = (await postRefund(merchant, payment.id, { amount: 100 })).body as RefundView;
      await sleep(10);
      const b = (await postRefund(merchant, payment.id, { amount: 200 })).body as RefundView;
      await postRefund(merchant, otherPayment.id, { amount: 300 }).expect(201);

      const list = await api().get(`/api/v1/payments/${payment.id}/refunds`).set(authHeaders(merchant)).expect(200);
      expect(list.body).toEqual({ data: expect.any(Array), total: 2, limit: 10, offset: 0 });
      expect(list.body.data.map((r: RefundView) => r.id)).toEqual([b.id, a.id]);

      const paged = await api()
        .get(`/api/v1/payments/${payment.id}/refunds?count=1&skip=1`)
        .set(authHeaders(merchant))
        .expect(200);
      expect(paged.body).toEqual({ data: [expect.objectContaining({ id: a.id })], total: 2, limit: 1, offset: 1 });

      expectError(
        await api().get('/api/v1/payments/pay_DoesNotExist0000/refunds').set(authHeaders(merchant)),
        404,
        'NOT_FOUND_ERROR',
        'Payment not found',
      );
      expectError(
        await api().get(`/api/v1/payments/${payment.id}/refunds`).set(authHeaders(other)),
        404,
        'NOT_FOUND_ERROR',
        'Payment not found',
      );
    });
  });

  describe('concurrency', () => {
    it('should let exactly 10 of 25 concurrent 1000-paise refunds of a 10000-paise payment succeed', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const responses = await Promise.all(
        Array.from({ length: 25 }, () => postRefund(merchant, payment.id, { amount: 1_000 }).then((r) => r)),
      );
      const created = responses.filter((r) => r.status === 201);
      const refused = responses.filter((r) => r.status === 400);
      expect({ created: created.length, refused: refused.length }).toEqual({ created: 10, refused: 15 });
      for (const response of refused) {
        expectError(response, 400, 'BAD_REQUEST_ERROR', 'Refund amount exceeds available amount');
      }
      const [{ sum }] = await sql<{ sum: string }>(
        'SELECT sum(amount)::text AS sum FROM refunds WHERE payment_id = $1',
        [payment.id],
      );
      expect(Number(sum)).toBe(10_000);
    });

    it('should let exactly one of 10 concurrent captures succeed', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => capture(merchant, payment.id).then((r) => r)),
      );
      const ok = responses.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      expect(ok[0].body).toEqual(expect.objectContaining({ id: payment.id, captured: true, status: 'success' }));
      const others = responses.filter((r) => r.status !== 200);
      expect(others).toHaveLength(9);
      for (const response of others) {
        expectError(response, 400, 'BAD_REQUEST_ERROR', 'Payment already captured');
      }
    });
  });

  describe('POST /api/v1/payments/{id}/capture (CONTRACT §5.4)', () => {
    it('should answer 404 "Payment not found" for an unknown or foreign payment', async () => {
      expectError(await capture(merchant, 'pay_DoesNotExist0000', {}), 404, 'NOT_FOUND_ERROR', 'Payment not found');
      const payment = await successfulPayment(merchant, 10_000);
      expectError(await capture(other, payment.id), 404, 'NOT_FOUND_ERROR', 'Payment not found');
    });

    it('should refuse pending and failed payments with 400 "Payment not in capturable state"', async () => {
      const order = await createOrder(merchant, { amount: 10_000 });
      const pending = await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
      expectError(await capture(merchant, pending.id), 400, 'BAD_REQUEST_ERROR', 'Payment not in capturable state');
      const failed = await failedPayment(merchant);
      expectError(await capture(merchant, failed.id), 400, 'BAD_REQUEST_ERROR', 'Payment not in capturable state');
      expectError(
        await capture(merchant, failed.id, { amount: 10_000 }),
        400,
        'BAD_REQUEST_ERROR',
        'Payment not in capturable state',
      );
    });

    it('should refuse a wrong amount with 400 "Capture amount must match payment amount"', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      for (const amount of [9_999, 10_001, '10000', 10_000.5]) {
        expectError(
          await capture(merchant, payment.id, { amount }),
          400,
          'BAD_REQUEST_ERROR',
          'Capture amount must match payment amount',
        );
      }
      const [row] = await sql<{ captured: boolean }>('SELECT captured FROM payments WHERE id = $1', [payment.id]);
      expect(row.captured).toBe(false);
    });

    it('should capture with the matching amount and answer the full payment with a new updated_at', async () => {
      const payment = await successfulPayment(merchant, 10_000);
      await sleep(5);
      const response = await capture(merchant, payment.id, { amount: 10_000 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...payment, captured: true, updated_at: expect.stringMatching(ISO_MS) });
      expect(Date.parse(response.body.updated_at)).toBeGreaterThan(Date.parse(payment.updated_at));
      expectError(
        await capture(merchant, payment.id, { amount: 10_000 }),
        400,
        'BAD_REQUEST_ERROR',
        'Payment already captured',
      );
    });

    it('should capture with no body, and emit no webhook', async () => {
      const capturer = await newMerchant();
      const receiver = await WebhookReceiver.start();
      try {
        await api()
          .put('/api/v1/webhooks/config')
          .set(authHeaders(capturer))
          .send({ webhook_url: receiver.url() })
          .expect(200);
        const payment = await successfulPayment(capturer, 10_000);
        // Let the payment's own events be logged first.
        await eventually(async () => {
          const rows = await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1 AND event = $2', [
            capturer.id,
            'payment.success',
          ]);
          return rows.length > 0 ? rows : undefined;
        });
        await sleep(500);
        const before = await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [capturer.id]);
        const response = await capture(capturer, payment.id);
        expect(response.status).toBe(200);
        expect(response.body.captured).toBe(true);
        expect(Date.parse(response.body.updated_at)).toBeGreaterThan(Date.parse(payment.updated_at));
        await sleep(1_500);
        const after = await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [capturer.id]);
        expect(after).toHaveLength(before.length);
        const fetched = await api().get(`/api/v1/payments/${payment.id}`).set(authHeaders(capturer)).expect(200);
        expect(fetched.body).toEqual(response.body);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('refund events (CONTRACT §7.1)', () => {
    let eventsMerchant: Merchant;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      eventsMerchant = await newMerchant();
      receiver = await WebhookReceiver.start();
      await api()
        .put('/api/v1/webhooks/config')
        .set(authHeaders(eventsMerchant))
        .send({ webhook_url: receiver.url() })
        .expect(200);
    });

    afterAll(async () => {
      await receiver?.close();
    });

    it('should log and deliver exactly one refund.created and one refund.processed', async () => {
      const payment = await successfulPayment(eventsMerchant, 10_000);
      const created = (await postRefund(eventsMerchant, payment.id, { amount: 1_234, reason: 'events' }).expect(201))
        .body as RefundView;
      const processed = await waitForProcessed(eventsMerchant, created.id);

      const delivered = await receiver.waitFor(2, (request) => request.body.includes(created.id));
      await sleep(1_000);
      const createdRows = await webhookRows(eventsMerchant.id, 'refund.created', created.id);
      const processedRows = await webhookRows(eventsMerchant.id, 'refund.processed', created.id);
      expect(createdRows).toHaveLength(1);
      expect(processedRows).toHaveLength(1);
      expect(createdRows[0].payload).toEqual({
        event: 'refund.created',
        timestamp: expect.any(Number),
        data: { refund: created },
      });
      expect(processedRows[0].payload).toEqual({
        event: 'refund.processed',
        timestamp: expect.any(Number),
        data: { refund: processed },
      });

      const events = receiver
        .received()
        .filter((request) => request.body.includes(created.id))
        .map((request) => JSON.parse(request.body).event)
        .sort();
      expect(delivered.length).toBeGreaterThanOrEqual(2);
      expect(events).toEqual(['refund.created', 'refund.processed']);
    });

    it('should process a duplicated refund job idempotently', async () => {
      const payment = await successfulPayment(eventsMerchant, 10_000);
      const created = (await postRefund(eventsMerchant, payment.id, { amount: 500 }).expect(201)).body as RefundView;
      const processed = await waitForProcessed(eventsMerchant, created.id);
      await eventually(async () => {
        const rows = await webhookRows(eventsMerchant.id, 'refund.processed', created.id);
        return rows.length > 0 ? rows : undefined;
      });

      const queue = new Queue('refunds', {
        connection: { url: 'redis://127.0.0.1:6379' },
        prefix: process.env.GW_TEST_QUEUE_PREFIX,
      });
      try {
        await queue.add('process-refund', { refundId: created.id }, { jobId: `dup-${Date.now()}` });
        await sleep(2_000);
      } finally {
        await queue.close();
      }

      expect(await webhookRows(eventsMerchant.id, 'refund.processed', created.id)).toHaveLength(1);
      expect(await webhookRows(eventsMerchant.id, 'refund.created', created.id)).toHaveLength(1);
      const again = await getRefund(eventsMerchant, created.id);
      expect(again).toEqual(processed);
      const [row] = await sql<{ processed_at: Date }>('SELECT processed_at FROM refunds WHERE id = $1', [created.id]);
      expect(row.processed_at.toISOString()).toBe(processed.processed_at);
    });
  });

  describe('Razorpay SDK compatibility (CONTRACT §5.5a)', () => {
    it('should serve orders, payments, capture and refunds through the razorpay Node SDK', async () => {
      const sdkMerchant = await newMerchant();
      const rz = new Razorpay({ key_id: sdkMerchant.key, key_secret: sdkMerchant.secret });
      (rz.api as unknown as { rq: { defaults: { baseURL: string } } }).rq.defaults.baseURL =
        `${sharedGatewayUrl()}/api`;

      const order = (await rz.orders.create({
        amount: 20_000,
        currency: 'INR',
        receipt: 'rcpt_sdk',
      })) as unknown as Body;
      expect(order).toEqual(expect.objectContaining({ id: expect.any(String), amount: 20_000, currency: 'INR' }));
      const fetchedOrder = (await rz.orders.fetch(order.id as string)) as unknown as Body;
      expect(fetchedOrder.id).toBe(order.id);
      const orders = (await rz.orders.all({ count: 5 })) as unknown as { data: Body[] };
      expect(orders.data.map((o) => o.id)).toContain(order.id);

      const created = await createPayment(order.id as string, { method: 'upi', vpa: 'success@test' }, sdkMerchant);
      await waitForFinalPayment(created.id, sdkMerchant);
      const payment = (await rz.payments.fetch(created.id)) as unknown as Body;
      expect(payment).toEqual(expect.objectContaining({ id: created.id, status: 'success', captured: false }));

      const captured = (await rz.payments.capture(created.id, 20_000, 'INR')) as unknown as Body;
      expect(captured).toEqual(expect.objectContaining({ id: created.id, captured: true }));

      const refund = (await rz.payments.refund(created.id, {
        amount: 5_000,
        notes: { a: 'b' },
        speed: 'normal',
      })) as unknown as Body;
      expect(refund).toEqual(
        expect.objectContaining({ id: expect.stringMatching(REFUND_ID), payment_id: created.id, amount: 5_000 }),
      );
      const fetchedRefund = (await rz.refunds.fetch(refund.id as string)) as unknown as Body;
      expect(fetchedRefund.id).toBe(refund.id);
      const refunds = (await rz.refunds.all({ count: 5 })) as unknown as { data: Body[] };
      expect(refunds.data.map((r) => r.id)).toContain(refund.id);

      const publicPayment = await api().get(`/api/v1/payments/${created.id}/public`).expect(200);
      expect(publicPayment.body.signature).toMatch(/^[0-9a-f]{64}$/);
      expect(
        validatePaymentVerification(
          { order_id: order.id as string, payment_id: created.id },
          publicPayment.body.signature,
          sdkMerchant.secret,
        ),
      ).toBe(true);
      expect(
        validatePaymentVerification(
          { order_id: order.id as string, payment_id: created.id },
          publicPayment.body.signature,
          'wrong_secret',
        ),
      ).toBe(false);
    });
  });
});
