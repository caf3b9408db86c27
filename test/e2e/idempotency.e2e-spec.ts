import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Response } from 'supertest';
import {
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
  waitForFinalPayment,
} from '../support/api.js';
import { sql } from '../support/db.js';
import { REDIS_URL, startGateway } from '../support/gateway.mjs';

// The gateway runs as a separate process, with real PostgreSQL and Redis; the concurrency tests fire 50 requests.
jest.setTimeout(60_000);

type Merchant = Awaited<ReturnType<typeof newMerchant>>;
type Body = Record<string, unknown>;

const REUSED = {
  error: { code: 'IDEMPOTENCY_KEY_REUSED', description: 'Idempotency-Key was already used with a different request' },
};
const INVALID_KEY = 'Idempotency-Key must be 1-255 printable ASCII characters';
const DEAD_WEBHOOK_URL = 'http://127.0.0.1:1/webhook';

interface KeyRow {
  key: string;
  merchant_id: string;
  request_fingerprint: string;
  state: string;
  response_code: number | null;
  response_body: string | null;
  response: unknown;
  created_at: Date;
  expires_at: Date;
  locked_until: Date | null;
}

function newKey(): string {
  return `idem-${randomUUID()}`;
}

/** Same canonical form as src/idempotency/fingerprint.ts: sorted keys at every depth, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Body)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonical(body ?? {})}`)
    .digest('hex');
}

/** POST with a raw JSON text body (so whitespace and key order are under the test's control). */
function post(
  path: string,
  merchant: Merchant,
  body: Body | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return api()
    .post(path)
    .set(authHeaders(merchant))
    .set(headers)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

async function keyRows(merchantId: string, key: string): Promise<KeyRow[]> {
  return sql<KeyRow>('SELECT * FROM idempotency_keys WHERE merchant_id = $1 AND key = $2', [merchantId, key]);
}

async function count(table: 'orders' | 'payments' | 'refunds', merchantId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE merchant_id = $1`, [
    merchantId,
  ]);
  return row.n;
}

async function countEvents(merchantId: string, event: string): Promise<number> {
  const [row] = await sql<{ n: number }>(
    'SELECT count(*)::int AS n FROM webhook_logs WHERE merchant_id = $1 AND event = $2',
    [merchantId, event],
  );
  return row.n;
}

function expectReplay(response: Response, first: Response): void {
  expect(response.status).toBe(first.status);
  expect(response.text).toBe(first.text);
  expect(response.headers['idempotent-replayed']).toBe('true');
}

function expectNotReplayed(response: Response): void {
  expect(response.headers['idempotent-replayed']).toBeUndefined();
}

function expectInProgress(response: Response): void {
  expect(response.status).toBe(409);
  expect(response.body.error.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
  expect(response.headers['retry-after']).toBe('1');
}

async function successfulPayment(merchant: Merchant): Promise<string> {
  const order = await createOrder(merchant, { amount: 50000 });
  const payment = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, merchant);
  const final = (await waitForFinalPayment(payment.id, merchant)) as { status: string };
  expect(final.status).toBe('success');
  return payment.id;
}

async function configureDeadWebhook(merchant: Merchant): Promise<void> {
  const response = await api()
    .put('/api/v1/webhooks/config')
    .set(authHeaders(merchant))
    .send({ webhook_url: DEAD_WEBHOOK_URL });
  expect(response.status).toBe(200);
}

describe('Idempotency-Key (CONTRACT §2.5)', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
  });

  describe('first use and replay', () => {
    it('should process the first use normally and store the exact 2xx response', async () => {
      const key = newKey();
      const body = { amount: 50000, receipt: 'r-first', notes: { b: '2', a: '1' } };
      const response = await post('/api/v1/orders', merchant, body, { 'Idempotency-Key': key });

      expect(response.status).toBe(201);
      expectNotReplayed(response);
      const rows = await keyRows(merchant.id, key);
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row.state).toBe('completed');
      expect(row.response_code).toBe(201);
      expect(row.response_body).toBe(response.text);
      expect(row.response).toEqual(response.body);
      expect(row.request_fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(row.request_fingerprint).toBe(fingerprint('POST', '/api/v1/orders', body));
      const retentionMs = new Date(row.expires_at).getTime() - new Date(row.created_at).getTime();
      expect(Math.abs(retentionMs - 24 * 3600_000)).toBeLessThan(5_000);
    });

    it('should replay an order byte for byte when the same JSON is sent with another key order and whitespace', async () => {
      const m = await newMerchant();
      const key = newKey();
      const first = await post('/api/v1/orders', m, '{"amount":50000,"receipt":"r1","notes":{"a":"1","b":"2"}}', {
        'Idempotency-Key': key,
      });
      expect(first.status).toBe(201);

      const again = await post(
        '/api/v1/orders',
        m,
        '{\n  "notes" : { "b": "2",  "a": "1" },\n  "receipt": "r1",\n  "amount": 50000\n}',
        { 'Idempotency-Key': key },
      );

      expectReplay(again, first);
      expect(await count('orders', m.id)).toBe(1);
    });

    it('should replay the stored payment even after the payment has changed state', async () => {
      const m = await newMerchant();
      const order = await createOrder(m, { amount: 50000 });
      const key = newKey();
      const body = { order_id: order.id, method: 'upi', vpa: 'user@paytm' };
      const first = await post('/api/v1/payments', m, body, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      await waitForFinalPayment(first.body.id, m);

      const again = await post(
        '/api/v1/payments',
        m,
        { vpa: 'user@paytm', method: 'upi', order_id: order.id },
        {
          'Idempotency-Key': key,
        },
      );

      expectReplay(again, first);
      expect(again.body.status).toBe(first.body.status);
      expect(await count('payments', m.id)).toBe(1);
    });
  });

  describe('key reuse with a different request', () => {
    it('should answer 422 IDEMPOTENCY_KEY_REUSED for the same key with a different body', async () => {
      const m = await newMerchant();
      const key = newKey();
      expect((await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key })).status).toBe(201);

      const response = await post('/api/v1/orders', m, { amount: 50001 }, { 'Idempotency-Key': key });

      expect(response.status).toBe(422);
      expect(response.body).toEqual(REUSED);
      expect(await count('orders', m.id)).toBe(1);
    });

    it('should answer 422 IDEMPOTENCY_KEY_REUSED for the same key and body on a different path', async () => {
      const m = await newMerchant();
      const key = newKey();
      expect((await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key })).status).toBe(201);

      const response = await post('/api/v1/payments', m, { amount: 50000 }, { 'Idempotency-Key': key });

      expect(response.status).toBe(422);
      expect(response.body).toEqual(REUSED);
      expect(await count('payments', m.id)).toBe(0);
    });

    it('should ignore the query string in the fingerprint', async () => {
      const m = await newMerchant();
      const key = newKey();
      const first = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);

      const again = await post('/api/v1/orders?foo=bar', m, { amount: 50000 }, { 'Idempotency-Key': key });

      expectReplay(again, first);
      expect(await count('orders', m.id)).toBe(1);
    });
  });

  describe('failed first request', () => {
    it('should store nothing when the first request ends 4xx and then accept the key with a valid body', async () => {
      const m = await newMerchant();
      const key = newKey();
      const bad = await post('/api/v1/orders', m, { amount: 5 }, { 'Idempotency-Key': key });
      expect(bad.status).toBe(400);
      expect(await keyRows(m.id, key)).toEqual([]);

      const good = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });

      expect(good.status).toBe(201);
      expectNotReplayed(good);
      expect(await count('orders', m.id)).toBe(1);
      const [row] = await keyRows(m.id, key);
      expect(row.state).toBe('completed');
      expect(row.response_body).toBe(good.text);
    });

    it('should execute the same 4xx request again rather than replay it', async () => {
      const m = await newMerchant();
      const key = newKey();
      const first = await post('/api/v1/orders', m, { amount: 5 }, { 'Idempotency-Key': key });
      const second = await post('/api/v1/orders', m, { amount: 5 }, { 'Idempotency-Key': key });

      expect(first.status).toBe(400);
      expect(second.status).toBe(400);
      expectNotReplayed(second);
      expect(second.body.error.description).toBe('amount must be at least 100');
    });
  });

  describe('in-progress and crashed claims', () => {
    it('should answer 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After: 1 while a claim is held', async () => {
      const m = await newMerchant();
      const key = newKey();
      const body = { amount: 50000 };
      await sql(
        `INSERT INTO idempotency_keys (key, merchant_id, request_fingerprint, state, created_at, expires_at, locked_until)
         VALUES ($1, $2, $3, 'in_progress', now(), now() + interval '24 hours', now() + interval '60 seconds')`,
        [key, m.id, fingerprint('POST', '/api/v1/orders', body)],
      );

      const response = await post('/api/v1/orders', m, body, { 'Idempotency-Key': key });

      expectInProgress(response);
      expect(response.body.error.description).toEqual(expect.any(String));
      expect(await count('orders', m.id)).toBe(0);
      // A different request with the held key is a reuse, whatever the state.
      const other = await post('/api/v1/orders', m, { amount: 60000 }, { 'Idempotency-Key': key });
      expect(other.status).toBe(422);
      expect(other.body).toEqual(REUSED);
    });

    it('should execute normally when the claim was left by a crashed request more than 60 s ago', async () => {
      const m = await newMerchant();
      const key = newKey();
      const body = { amount: 50000 };
      await sql(
        `INSERT INTO idempotency_keys (key, merchant_id, request_fingerprint, state, created_at, expires_at, locked_until)
         VALUES ($1, $2, $3, 'in_progress', now() - interval '2 minutes', now() + interval '23 hours',
                 now() - interval '1 minute')`,
        [key, m.id, fingerprint('POST', '/api/v1/orders', body)],
      );

      const response = await post('/api/v1/orders', m, body, { 'Idempotency-Key': key });

      expect(response.status).toBe(201);
      expectNotReplayed(response);
      expect(await count('orders', m.id)).toBe(1);
      const [row] = await keyRows(m.id, key);
      expect(row.state).toBe('completed');
      expect(row.response_body).toBe(response.text);
    });
  });

  describe('key validation', () => {
    it('should reject a 256-character key with 400 and create nothing', async () => {
      const m = await newMerchant();
      const response = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': 'k'.repeat(256) });

      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: expect.objectContaining({ code: 'BAD_REQUEST_ERROR', description: INVALID_KEY }),
      });
      expect(await count('orders', m.id)).toBe(0);
    });

    it('should reject a key containing a tab or a non-ASCII byte with 400', async () => {
      const m = await newMerchant();
      for (const key of ['a\tb', 'cl\u00e9']) {
        const response = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });
        expect({ key, status: response.status, description: response.body?.error?.description }).toEqual({
          key,
          status: 400,
          description: INVALID_KEY,
        });
      }
      expect(await count('orders', m.id)).toBe(0);
    });

    it('should accept a 255-character key of printable ASCII characters', async () => {
      const m = await newMerchant();
      const key = ` ~!${'x'.repeat(250)}-Z`;
      expect(key).toHaveLength(255);
      const first = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);

      const again = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });

      expectReplay(again, first);
      expect(await count('orders', m.id)).toBe(1);
    });

    it('should treat an empty header as no idempotency', async () => {
      const m = await newMerchant();
      const first = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': '' });
      const second = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': '' });

      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.id).not.toBe(first.body.id);
      expectNotReplayed(second);
      expect(await count('orders', m.id)).toBe(2);
      expect(await sql('SELECT 1 FROM idempotency_keys WHERE merchant_id = $1', [m.id])).toEqual([]);
    });
  });

  describe('scope', () => {
    it('should scope keys per merchant', async () => {
      const [a, b] = await Promise.all([newMerchant(), newMerchant()]);
      const key = newKey();
      const first = await post('/api/v1/orders', a, { amount: 50000 }, { 'Idempotency-Key': key });
      const second = await post('/api/v1/orders', b, { amount: 50000 }, { 'Idempotency-Key': key });

      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.id).not.toBe(first.body.id);
      expectNotReplayed(second);
      expect([await count('orders', a.id), await count('orders', b.id)]).toEqual([1, 1]);
      expect(await keyRows(a.id, key)).toHaveLength(1);
      expect(await keyRows(b.id, key)).toHaveLength(1);
    });

    it('should never touch the key on a 401', async () => {
      const m = await newMerchant();
      const key = newKey();
      const unauthorized = await api()
        .post('/api/v1/orders')
        .set({ 'X-Api-Key': m.key, 'X-Api-Secret': 'wrong-secret', 'Idempotency-Key': key })
        .send({ amount: 50000 });

      expect(unauthorized.status).toBe(401);
      expect(await sql('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toEqual([]);
      // The key is still fresh: a different body is not a reuse.
      const response = await post('/api/v1/orders', m, { amount: 70000 }, { 'Idempotency-Key': key });
      expect(response.status).toBe(201);
      expectNotReplayed(response);
    });

    it('should ignore the header on unauthenticated POST /api/v1/payments/public', async () => {
      const m = await newMerchant();
      const order = await createOrder(m, { amount: 50000 });
      const key = newKey();
      const body = { order_id: order.id, method: 'upi', vpa: 'user@paytm' };
      const first = await api().post('/api/v1/payments/public').set('Idempotency-Key', key).send(body);
      const second = await api().post('/api/v1/payments/public').set('Idempotency-Key', key).send(body);

      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.id).not.toBe(first.body.id);
      expectNotReplayed(second);
      expect(await count('payments', m.id)).toBe(2);
      expect(await sql('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toEqual([]);
    });

    it('should leave GET requests unaffected', async () => {
      const m = await newMerchant();
      const key = newKey();
      const created = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });
      expect(created.status).toBe(201);

      for (let i = 0; i < 2; i++) {
        const response = await api()
          .get(`/api/v1/orders/${created.body.id}`)
          .set(authHeaders(m))
          .set('Idempotency-Key', key);
        expect(response.status).toBe(200);
        expect(response.body.id).toBe(created.body.id);
        expectNotReplayed(response);
      }
      const other = await api().get('/api/v1/orders').set(authHeaders(m)).set('Idempotency-Key', newKey());
      expect(other.status).toBe(200);
      expect(await sql('SELECT key FROM idempotency_keys WHERE merchant_id = $1', [m.id])).toEqual([{ key }]);
    });
  });

  describe('retention', () => {
    it('should treat an expired key as new', async () => {
      const m = await newMerchant();
      const key = newKey();
      const first = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      await sql(
        `UPDATE idempotency_keys SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour'
         WHERE merchant_id = $1 AND key = $2`,
        [m.id, key],
      );

      const again = await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key });

      expect(again.status).toBe(201);
      expectNotReplayed(again);
      expect(again.body.id).not.toBe(first.body.id);
      expect(await count('orders', m.id)).toBe(2);
      const [row] = await keyRows(m.id, key);
      expect(row.response_body).toBe(again.text);
      expect(new Date(row.expires_at).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    });

    it('should let an expired key be used with a different body', async () => {
      const m = await newMerchant();
      const key = newKey();
      expect((await post('/api/v1/orders', m, { amount: 50000 }, { 'Idempotency-Key': key })).status).toBe(201);
      await sql(
        `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE merchant_id = $1 AND key = $2`,
        [m.id, key],
      );

      const response = await post('/api/v1/orders', m, { amount: 60000 }, { 'Idempotency-Key': key });

      expect(response.status).toBe(201);
      expect(response.body.amount).toBe(60000);
    });
  });

  describe('refunds (X-Refund-Idempotency)', () => {
    it('should treat X-Refund-Idempotency like Idempotency-Key on POST /payments/{id}/refunds', async () => {
      const m = await newMerchant();
      const paymentId = await successfulPayment(m);
      const key = newKey();
      const path = `/api/v1/payments/${paymentId}/refunds`;
      const first = await post(path, m, { amount: 100, reason: 'dup' }, { 'X-Refund-Idempotency': key });
      expect(first.status).toBe(201);

      const again = await post(path, m, '{ "reason": "dup", "amount": 100 }', { 'X-Refund-Idempotency': key });
      expectReplay(again, first);

      const different = await post(path, m, { amount: 200 }, { 'X-Refund-Idempotency': key });
      expect(different.status).toBe(422);
      expect(different.body).toEqual(REUSED);

      const aliasPath = await post(
        `/api/v1/payments/${paymentId}/refund`,
        m,
        { amount: 100, reason: 'dup' },
        {
          'X-Refund-Idempotency': key,
        },
      );
      expect(aliasPath.status).toBe(422);
      expect(aliasPath.body).toEqual(REUSED);

      expect(await count('refunds', m.id)).toBe(1);
      const [row] = await keyRows(m.id, key);
      expect(row.response_body).toBe(first.text);
    });

    it('should treat X-Refund-Idempotency like Idempotency-Key on POST /payments/{id}/refund', async () => {
      const m = await newMerchant();
      const paymentId = await successfulPayment(m);
      const key = newKey();
      const path = `/api/v1/payments/${paymentId}/refund`;
      const first = await post(path, m, { amount: 150 }, { 'X-Refund-Idempotency': key });
      expect(first.status).toBe(201);

      const again = await post(path, m, { amount: 150 }, { 'X-Refund-Idempotency': key });

      expectReplay(again, first);
      expect(await count('refunds', m.id)).toBe(1);
    });

    it('should share one key between Idempotency-Key and X-Refund-Idempotency', async () => {
      const m = await newMerchant();
      const paymentId = await successfulPayment(m);
      const key = newKey();
      const path = `/api/v1/payments/${paymentId}/refunds`;
      const first = await post(path, m, { amount: 100 }, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);

      const again = await post(path, m, { amount: 100 }, { 'X-Refund-Idempotency': key });

      expectReplay(again, first);
      expect(await count('refunds', m.id)).toBe(1);
    });
  });

  describe('concurrency', () => {
    const N = 50;

    function expectOneWinner(responses: Response[]): string {
      const created = responses.filter((r) => r.status === 201);
      const others = responses.filter((r) => r.status !== 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const response of others) expectInProgress(response);
      const ids = new Set(created.map((r) => r.body.id as string));
      expect(ids.size).toBe(1);
      const texts = new Set(created.map((r) => r.text));
      expect(texts.size).toBe(1);
      expect(created.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      return [...ids][0];
    }

    it('should create exactly one payment and one set of events for 50 concurrent identical requests', async () => {
      const m = await newMerchant();
      await configureDeadWebhook(m);
      const order = await createOrder(m, { amount: 50000 });
      const key = newKey();
      const body = { order_id: order.id, method: 'upi', vpa: 'user@paytm' };

      const responses = await Promise.all(
        Array.from({ length: N }, () => post('/api/v1/payments', m, body, { 'Idempotency-Key': key })),
      );

      const paymentId = expectOneWinner(responses);
      const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [order.id]);
      expect(row.n).toBe(1);
      await eventually(async () => ((await countEvents(m.id, 'payment.created')) >= 1 ? true : undefined));
      await waitForFinalPayment(paymentId, m);
      await new Promise((r) => setTimeout(r, 500));
      expect(await countEvents(m.id, 'payment.created')).toBe(1);
      expect(await countEvents(m.id, 'payment.pending')).toBe(1);
    });

    it('should create exactly one order for 50 concurrent identical requests', async () => {
      const m = await newMerchant();
      const key = newKey();

      const responses = await Promise.all(
        Array.from({ length: N }, () =>
          post('/api/v1/orders', m, { amount: 50000, receipt: 'conc' }, { 'Idempotency-Key': key }),
        ),
      );

      expectOneWinner(responses);
      expect(await count('orders', m.id)).toBe(1);
    });

    it('should create exactly one refund and one refund.created event for 50 concurrent identical requests', async () => {
      const m = await newMerchant();
      const paymentId = await successfulPayment(m);
      await configureDeadWebhook(m);
      const key = newKey();
      const path = `/api/v1/payments/${paymentId}/refunds`;

      const responses = await Promise.all(
        Array.from({ length: N }, () => post(path, m, { amount: 100 }, { 'X-Refund-Idempotency': key })),
      );

      expectOneWinner(responses);
      expect(await count('refunds', m.id)).toBe(1);
      await eventually(async () => ((await countEvents(m.id, 'refund.created')) >= 1 ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      expect(await countEvents(m.id, 'refund.created')).toBe(1);
    });
  });

  describe('purge', () => {
    it('should schedule the repeatable purge of expired keys on start-up', async () => {
      const gateway = await startGateway({ name: 'idempotency-purge' });
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        const schedulers = `${gateway.queuePrefix}:maintenance:repeat`;
        await eventually(async () =>
          (await redis.zrange(schedulers, 0, -1)).includes('purge-idempotency-keys') ? true : undefined,
        );
        const every = await redis.hget(`${schedulers}:purge-idempotency-keys`, 'every');
        expect(Number(every)).toBeGreaterThan(0);
      } finally {
        redis.disconnect();
        await gateway.stop();
      }
    });
  });
});
