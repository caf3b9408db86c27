import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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
import { WebhookReceiver } from '../support/webhook-receiver.js';

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

// Several tests wait for real deliveries over HTTP; the default 5 s is too short on a busy machine.
jest.setTimeout(30_000);

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GENERATED_SECRET = /^whsec_[A-Za-z0-9+/]{32}$/;
const INVALID_URL = 'webhook_url must be a valid http or https URL';
const LOG_KEYS = [
  'id',
  'event',
  'status',
  'attempts',
  'created_at',
  'last_attempt_at',
  'next_retry_at',
  'response_code',
].sort();
/** Razorpay-compatible optional fields an error envelope may add (CONTRACT §5.5a). */
const ERROR_KEYS = ['code', 'description', 'source', 'step', 'reason', 'metadata', 'field'];

function expectError(response: Response, status: number, code: string, description: unknown): void {
  expect({ status: response.status, body: response.body as unknown }).toEqual({
    status,
    body: { error: expect.objectContaining({ code, description }) },
  });
  expect(Object.keys(response.body.error).filter((key) => !ERROR_KEYS.includes(key))).toEqual([]);
}

function expectLogNotFound(response: Response): void {
  expectError(response, 404, 'NOT_FOUND_ERROR', 'Webhook log not found');
}

async function getConfig(merchant: Merchant) {
  return (await api().get('/api/v1/webhooks/config').set(authHeaders(merchant)).expect(200)).body;
}

async function setUrl(merchant: Merchant, webhookUrl: unknown) {
  return api().put('/api/v1/webhooks/config').set(authHeaders(merchant)).send({ webhook_url: webhookUrl });
}

async function sendTest(merchant: Merchant): Promise<string> {
  const response = await api().post('/api/v1/webhooks/test').set(authHeaders(merchant)).expect(201);
  return response.body.id;
}

async function getLog(merchant: Merchant, id: string) {
  return (await api().get(`/api/v1/webhooks/${id}`).set(authHeaders(merchant)).expect(200)).body;
}

async function waitForLog(
  merchant: Merchant,
  id: string,
  done: (log: Record<string, unknown>) => boolean,
  timeoutMs = 15_000,
) {
  return eventually(async () => {
    const log = await getLog(merchant, id);
    return done(log) ? log : undefined;
  }, timeoutMs);
}

/** A 24-byte key written as exactly 32 characters of standard base64 (CONTRACT §7.5). */
function expectGeneratedSecret(secret: string): void {
  expect(secret).toMatch(GENERATED_SECRET);
  const encoded = secret.slice('whsec_'.length);
  const decoded = Buffer.from(encoded, 'base64');
  expect(decoded).toHaveLength(24);
  expect(decoded.toString('base64')).toBe(encoded);
}

describe('webhook management', () => {
  const receivers: WebhookReceiver[] = [];
  /** A receiver of its own per test, so one test's plan never answers another test's deliveries. */
  async function newReceiver(): Promise<WebhookReceiver> {
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    return receiver;
  }

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  describe('configuration', () => {
    it('should return a null webhook_url and the generated secret for a new merchant', async () => {
      const merchant = await newMerchant();
      const response = await api().get('/api/v1/webhooks/config').set(authHeaders(merchant)).expect(200);
      expect(response.body).toEqual({ webhook_url: null, webhook_secret: merchant.webhookSecret });
      expectGeneratedSecret(response.body.webhook_secret);
    });

    it.each(['http://localhost:4000/webhook', 'https://merchant.example/hooks/gateway?source=pg&v=1'])(
      'should store the http(s) URL %s as sent',
      async (url) => {
        const merchant = await newMerchant();
        const response = await setUrl(merchant, url);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ webhook_url: url, webhook_secret: merchant.webhookSecret });
        expect(await getConfig(merchant)).toEqual({ webhook_url: url, webhook_secret: merchant.webhookSecret });
      },
    );

    it('should accept a URL of exactly 2048 characters', async () => {
      const merchant = await newMerchant();
      const prefix = 'https://merchant.example/';
      const url = prefix + 'a'.repeat(2048 - prefix.length);
      expect(url).toHaveLength(2048);
      const response = await setUrl(merchant, url);
      expect(response.status).toBe(200);
      expect((await getConfig(merchant)).webhook_url).toBe(url);
    });

    it.each([null, ''])('should store %p as null (webhooks disabled)', async (value) => {
      const merchant = await newMerchant();
      await setUrl(merchant, 'https://merchant.example/webhook').then((r) => expect(r.status).toBe(200));
      const response = await setUrl(merchant, value);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ webhook_url: null, webhook_secret: merchant.webhookSecret });
      expect(await getConfig(merchant)).toEqual({ webhook_url: null, webhook_secret: merchant.webhookSecret });
      const [row] = await sql<{ webhook_url: string | null }>('SELECT webhook_url FROM merchants WHERE id = $1', [
        merchant.id,
      ]);
      expect(row.webhook_url).toBeNull();
    });

    it.each<[string, unknown]>([
      ['ftp://x', 'ftp://x'],
      ['not a url', 'not a url'],
      ['a number', 123],
      ['a URL over 2048 characters', 'https://merchant.example/' + 'a'.repeat(2048)],
      ['http:// without a host', 'http://'],
      ['a relative path', '/webhook'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['an object', { url: 'https://merchant.example/webhook' }],
      ['an array', ['https://merchant.example/webhook']],
      ['a boolean', true],
    ])('should reject %s with 400 and change nothing', async (_label, value) => {
      const merchant = await newMerchant();
      await setUrl(merchant, 'https://merchant.example/original').then((r) => expect(r.status).toBe(200));
      const response = await setUrl(merchant, value);
      expectError(response, 400, 'BAD_REQUEST_ERROR', INVALID_URL);
      expect(await getConfig(merchant)).toEqual({
        webhook_url: 'https://merchant.example/original',
        webhook_secret: merchant.webhookSecret,
      });
    });

    it('should regenerate a whsec_ secret of 24 random bytes, different each time', async () => {
      const merchant = await newMerchant();
      const secrets = new Set<string>([merchant.webhookSecret]);
      for (let i = 0; i < 3; i++) {
        const response = await api().post('/api/v1/webhooks/regenerate-secret').set(authHeaders(merchant)).expect(200);
        expect(Object.keys(response.body)).toEqual(['webhook_secret']);
        expectGeneratedSecret(response.body.webhook_secret);
        expect(secrets.has(response.body.webhook_secret)).toBe(false);
        secrets.add(response.body.webhook_secret);
        expect(await getConfig(merchant)).toEqual({ webhook_url: null, webhook_secret: response.body.webhook_secret });
      }
    });

    it('should never store the webhook secret in plaintext', async () => {
      const merchant = await newMerchant();
      const [row] = await sql<{ webhook_secret: string }>('SELECT webhook_secret FROM merchants WHERE id = $1', [
        merchant.id,
      ]);
      expect(row.webhook_secret).not.toContain(merchant.webhookSecret.slice('whsec_'.length));
    });
  });

  describe('test webhook', () => {
    it('should answer 201 with a pending webhook.test log', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/test-201'));
      const response = await api().post('/api/v1/webhooks/test').set(authHeaders(merchant)).expect(201);
      expect(response.body).toEqual({ id: expect.stringMatching(UUID), event: 'webhook.test', status: 'pending' });
      const log = await getLog(merchant, response.body.id);
      expect(log).toMatchObject({ id: response.body.id, event: 'webhook.test' });
      const rows = await sql('SELECT event, merchant_id FROM webhook_logs WHERE id = $1', [response.body.id]);
      expect(rows).toEqual([{ event: 'webhook.test', merchant_id: merchant.id }]);
    });

    it('should refuse without a webhook_url and record nothing', async () => {
      const merchant = await newMerchant();
      const response = await api().post('/api/v1/webhooks/test').set(authHeaders(merchant));
      expectError(response, 400, 'BAD_REQUEST_ERROR', 'webhook_url is not configured');
      const rows = await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [merchant.id]);
      expect(rows).toEqual([]);
    });

    it('should refuse after the webhook_url was cleared', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/cleared'));
      await setUrl(merchant, '');
      const response = await api().post('/api/v1/webhooks/test').set(authHeaders(merchant));
      expectError(response, 400, 'BAD_REQUEST_ERROR', 'webhook_url is not configured');
      expect(await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [merchant.id])).toEqual([]);
    });

    it('should replay a repeated Idempotency-Key without creating a second log', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/idempotent'));
      const key = `wh-test-${randomUUID()}`;
      const first = await api()
        .post('/api/v1/webhooks/test')
        .set(authHeaders(merchant))
        .set('Idempotency-Key', key)
        .expect(201);
      const second = await api()
        .post('/api/v1/webhooks/test')
        .set(authHeaders(merchant))
        .set('Idempotency-Key', key)
        .expect(201);
      expect(second.text).toBe(first.text);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [merchant.id])).toEqual([
        { id: first.body.id },
      ]);
    });
  });

  describe('list', () => {
    let merchant: Merchant;
    let other: Merchant;
    let testLogId: string;
    let paymentId: string;
    /** Ids in contract order (created_at DESC, id DESC), straight from the database. */
    let expectedOrder: string[];
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      merchant = await newMerchant();
      other = await newMerchant();
      // Payment events are accepted, the test webhook keeps failing (so it stays pending).
      receiver = await newReceiver();
      receiver.respondWith((request) =>
        request.headers['x-webhook-event'] === 'webhook.test' && request.path === '/list'
          ? { status: 500, body: 'not today' }
          : { status: 200, body: 'OK' },
      );
      await setUrl(merchant, receiver.url('/list'));
      await setUrl(other, receiver.url('/list-other'));
      await sendTest(other);
      const order = await createOrder(merchant);
      paymentId = (await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, merchant)).id;
      await waitForFinalPayment(paymentId, merchant);
      testLogId = await sendTest(merchant);
      await eventually(async () => {
        const rows = await sql<{ event: string; status: string; attempts: number }>(
          'SELECT event, status, attempts FROM webhook_logs WHERE merchant_id = $1',
          [merchant.id],
        );
        const settled =
          rows.length === 4 &&
          rows.every((r) => (r.event === 'webhook.test' ? r.attempts >= 1 : r.status === 'success'));
        return settled ? true : undefined;
      });
      expectedOrder = (
        await sql<{ id: string }>(
          'SELECT id FROM webhook_logs WHERE merchant_id = $1 ORDER BY created_at DESC, id DESC',
          [merchant.id],
        )
      ).map((r) => r.id);
    }, 60_000);

    afterAll(async () => {
      // Let the failing delivery finish instead of retrying into a closed receiver after this file.
      receiver.respondWith({ status: 200, body: 'OK' });
      await api().post(`/api/v1/webhooks/${testLogId}/retry`).set(authHeaders(merchant)).expect(200);
      await waitForLog(merchant, testLogId, (l) => l.status === 'success', 25_000).catch(() => undefined);
    }, 30_000);

    it('should list only the caller’s logs, newest first, with total, limit and offset', async () => {
      const response = await api().get('/api/v1/webhooks').set(authHeaders(merchant)).expect(200);
      expect(Object.keys(response.body).sort()).toEqual(['data', 'limit', 'offset', 'total']);
      expect(response.body).toMatchObject({ total: 4, limit: 10, offset: 0 });
      expect(response.body.data.map((log: { id: string }) => log.id)).toEqual(expectedOrder);
      expect(response.body.data[0].id).toBe(testLogId);
      for (const log of response.body.data) {
        expect(Object.keys(log).sort()).toEqual(LOG_KEYS);
        expect(log).toEqual({
          id: expect.stringMatching(UUID),
          event: expect.stringMatching(/^(payment\.(created|pending|success)|webhook\.test)$/),
          status: log.event === 'webhook.test' ? 'pending' : 'success',
          attempts: expect.any(Number),
          created_at: expect.stringMatching(ISO_MS),
          last_attempt_at: expect.stringMatching(ISO_MS),
          next_retry_at: log.event === 'webhook.test' ? expect.stringMatching(ISO_MS) : null,
          response_code: log.event === 'webhook.test' ? 500 : 200,
        });
      }
      expect(response.body.data.map((log: { event: string }) => log.event).sort()).toEqual([
        'payment.created',
        'payment.pending',
        'payment.success',
        'webhook.test',
      ]);
    });

    it('should page with limit and offset', async () => {
      const page = await api().get('/api/v1/webhooks?limit=2&offset=1').set(authHeaders(merchant)).expect(200);
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(page.body.data.map((log: { id: string }) => log.id)).toEqual(expectedOrder.slice(1, 3));
      const last = await api().get('/api/v1/webhooks?limit=100&offset=3').set(authHeaders(merchant)).expect(200);
      expect(last.body).toMatchObject({ total: 4, limit: 100, offset: 3 });
      expect(last.body.data.map((log: { id: string }) => log.id)).toEqual(expectedOrder.slice(3));
      const beyond = await api().get('/api/v1/webhooks?limit=1&offset=50').set(authHeaders(merchant)).expect(200);
      expect(beyond.body).toEqual({ data: [], total: 4, limit: 1, offset: 50 });
    });

    it('should accept the Razorpay count and skip aliases', async () => {
      const page = await api().get('/api/v1/webhooks?count=1&skip=2').set(authHeaders(merchant)).expect(200);
      expect(page.body).toMatchObject({ total: 4, limit: 1, offset: 2 });
      expect(page.body.data.map((log: { id: string }) => log.id)).toEqual(expectedOrder.slice(2, 3));
    });

    it('should filter by status', async () => {
      const success = await api().get('/api/v1/webhooks?status=success').set(authHeaders(merchant)).expect(200);
      expect(success.body.total).toBe(3);
      expect(success.body.data.map((log: { status: string }) => log.status)).toEqual(['success', 'success', 'success']);
      expect(success.body.data.map((log: { id: string }) => log.id)).toEqual(
        expectedOrder.filter((id) => id !== testLogId),
      );
      const pending = await api().get('/api/v1/webhooks?status=pending').set(authHeaders(merchant)).expect(200);
      expect(pending.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
      expect(pending.body.data.map((log: { id: string }) => log.id)).toEqual([testLogId]);
      const failed = await api().get('/api/v1/webhooks?status=failed').set(authHeaders(merchant)).expect(200);
      expect(failed.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });
    });

    it('should filter by event, alone and combined with status', async () => {
      for (const event of ['payment.created', 'payment.pending', 'payment.success', 'webhook.test']) {
        const response = await api().get(`/api/v1/webhooks?event=${event}`).set(authHeaders(merchant)).expect(200);
        expect(response.body.total).toBe(1);
        expect(response.body.data).toEqual([expect.objectContaining({ event })]);
      }
      const none = await api().get('/api/v1/webhooks?event=payment.failed').set(authHeaders(merchant)).expect(200);
      expect(none.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });
      const combined = await api()
        .get('/api/v1/webhooks?event=webhook.test&status=success')
        .set(authHeaders(merchant))
        .expect(200);
      expect(combined.body.total).toBe(0);
      const payload = await getLog(
        merchant,
        expectedOrder.find((id) => id !== testLogId)!,
      );
      expect(payload.payload.data.payment.id).toBe(paymentId);
    });

    it('should not show the logs to another merchant', async () => {
      const response = await api().get('/api/v1/webhooks?limit=100').set(authHeaders(other)).expect(200);
      expect(response.body.total).toBe(1);
      expect(response.body.data.map((log: { event: string }) => log.event)).toEqual(['webhook.test']);
      expect(response.body.data.some((log: { id: string }) => expectedOrder.includes(log.id))).toBe(false);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=abc', 'offset'],
      ['offset=2.5', 'offset'],
      ['status=done', 'status'],
      ['status=SUCCESS', 'status'],
      ['status=', 'status'],
      ['event=payment.unknown', 'event'],
      ['event=payment', 'event'],
      ['event=', 'event'],
    ])('should reject ?%s with 400 naming %s', async (query, parameter) => {
      const response = await api().get(`/api/v1/webhooks?${query}`).set(authHeaders(merchant));
      expectError(
        response,
        400,
        'BAD_REQUEST_ERROR',
        parameter === 'limit' ? 'limit must be an integer between 1 and 100' : expect.stringContaining(parameter),
      );
    });
  });

  describe('log detail', () => {
    it('should return the log with its payload and every attempt ordered by attempt_number', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/detail'));
      receiver.plan({ status: 500, body: 'temporarily down' }, { status: 200, body: 'accepted' });
      const before = Math.floor(Date.now() / 1000);
      const id = await sendTest(merchant);
      const after = Math.ceil(Date.now() / 1000);
      const log = await waitForLog(merchant, id, (l) => l.status === 'success', 20_000);
      expect(Object.keys(log).sort()).toEqual([...LOG_KEYS, 'response_body', 'payload', 'delivery_attempts'].sort());
      expect(log).toEqual({
        id,
        event: 'webhook.test',
        status: 'success',
        attempts: 2,
        created_at: expect.stringMatching(ISO_MS),
        last_attempt_at: expect.stringMatching(ISO_MS),
        next_retry_at: null,
        response_code: 200,
        response_body: 'accepted',
        payload: {
          event: 'webhook.test',
          timestamp: expect.any(Number),
          data: { message: 'This is a test webhook', merchant_id: merchant.id },
        },
        delivery_attempts: [
          {
            attempt_number: 1,
            started_at: expect.stringMatching(ISO_MS),
            duration_ms: expect.any(Number),
            url: receiver.url('/detail'),
            response_code: 500,
            response_body: 'temporarily down',
            error: null,
          },
          {
            attempt_number: 2,
            started_at: expect.stringMatching(ISO_MS),
            duration_ms: expect.any(Number),
            url: receiver.url('/detail'),
            response_code: 200,
            response_body: 'accepted',
            error: null,
          },
        ],
      });
      expect(Number.isInteger(log.payload.timestamp)).toBe(true);
      expect(log.payload.timestamp).toBeGreaterThanOrEqual(before);
      expect(log.payload.timestamp).toBeLessThanOrEqual(after);
      for (const attempt of log.delivery_attempts) {
        expect(Number.isInteger(attempt.duration_ms)).toBe(true);
        expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
        expect(Object.keys(attempt).sort()).toEqual(
          ['attempt_number', 'started_at', 'duration_ms', 'url', 'response_code', 'response_body', 'error'].sort(),
        );
      }
      const [first, second] = log.delivery_attempts.map((a: { started_at: string }) => Date.parse(a.started_at));
      expect(first).toBeGreaterThanOrEqual(Date.parse(log.created_at));
      expect(second - first).toBeGreaterThan(3_500);
      expect(log.last_attempt_at).toBe(log.delivery_attempts[1].started_at);
      const listed = await api().get('/api/v1/webhooks').set(authHeaders(merchant)).expect(200);
      const { response_body: _body, payload: _payload, delivery_attempts: _attempts, ...item } = log;
      expect(listed.body.data).toEqual([item]);
    }, 30_000);

    it('should answer 404 for an unknown, a foreign and a malformed id', async () => {
      const owner = await newMerchant();
      const stranger = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(owner, receiver.url('/foreign'));
      const id = await sendTest(owner);
      for (const [who, logId] of [
        [stranger, id],
        [owner, randomUUID()],
        [owner, 'not-a-uuid'],
        [owner, `${id}x`],
        [owner, '12345'],
      ] as const) {
        expectLogNotFound(await api().get(`/api/v1/webhooks/${logId}`).set(authHeaders(who)));
      }
      await getLog(owner, id);
    });
  });

  describe('manual retry', () => {
    it('should reset the log, answer the exact body and deliver again with the next attempt number', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/retry'));
      const id = await sendTest(merchant);
      await waitForLog(merchant, id, (l) => l.status === 'success');
      // The fresh attempt answers slowly so the reset state can be observed before it is recorded.
      receiver.plan({ status: 200, body: 'again', delayMs: 2_000 });
      const response = await api().post(`/api/v1/webhooks/${id}/retry`).set(authHeaders(merchant)).expect(200);
      expect(response.body).toEqual({ id, status: 'pending', message: 'Webhook retry scheduled' });
      expect(Object.keys(response.body)).toEqual(['id', 'status', 'message']);
      const reset = await getLog(merchant, id);
      expect(reset).toMatchObject({
        status: 'pending',
        attempts: 0,
        last_attempt_at: null,
        response_code: null,
        response_body: null,
      });
      expect(reset.next_retry_at).toMatch(ISO_MS);
      expect(Math.abs(Date.parse(reset.next_retry_at) - Date.now())).toBeLessThan(3_000);
      expect(reset.delivery_attempts.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1]);
      const delivered = await waitForLog(merchant, id, (l) => l.status === 'success' && l.attempts === 1);
      expect(delivered).toMatchObject({ next_retry_at: null, response_code: 200, response_body: 'again' });
      expect(delivered.delivery_attempts.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1, 2]);
      expect(receiver.received('/retry').filter((r) => r.headers['x-webhook-id'] === id)).toHaveLength(2);
    }, 30_000);

    it('should answer 404 for an unknown, a foreign and a malformed id', async () => {
      const owner = await newMerchant();
      const stranger = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(owner, receiver.url('/retry-foreign'));
      const id = await sendTest(owner);
      const settled = await waitForLog(owner, id, (l) => l.status === 'success');
      for (const [who, logId] of [
        [stranger, id],
        [owner, randomUUID()],
        [owner, 'not-a-uuid'],
      ] as const) {
        expectLogNotFound(await api().post(`/api/v1/webhooks/${logId}/retry`).set(authHeaders(who)));
      }
      expect(await getLog(owner, id)).toEqual(settled);
    });
  });

  describe('authentication', () => {
    it('should accept the dashboard session cookie on every webhook endpoint', async () => {
      const merchant = await newMerchant();
      const session = { Cookie: merchant.cookie };
      const receiver = await newReceiver();
      const url = receiver.url('/session');
      const put = await api().put('/api/v1/webhooks/config').set(session).send({ webhook_url: url }).expect(200);
      expect(put.body).toEqual({ webhook_url: url, webhook_secret: merchant.webhookSecret });
      const got = await api().get('/api/v1/webhooks/config').set(session).expect(200);
      expect(got.body).toEqual(put.body);
      const regenerated = await api().post('/api/v1/webhooks/regenerate-secret').set(session).expect(200);
      expectGeneratedSecret(regenerated.body.webhook_secret);
      const test = await api().post('/api/v1/webhooks/test').set(session).expect(201);
      expect(test.body).toMatchObject({ event: 'webhook.test', status: 'pending' });
      const list = await api().get('/api/v1/webhooks').set(session).expect(200);
      expect(list.body.data.map((log: { id: string }) => log.id)).toEqual([test.body.id]);
      await waitForLog(merchant, test.body.id, (l) => l.status === 'success');
      const detail = await api().get(`/api/v1/webhooks/${test.body.id}`).set(session).expect(200);
      expect(detail.body.id).toBe(test.body.id);
      const retry = await api().post(`/api/v1/webhooks/${test.body.id}/retry`).set(session).expect(200);
      expect(retry.body).toEqual({ id: test.body.id, status: 'pending', message: 'Webhook retry scheduled' });
      const basic = `Basic ${Buffer.from(`${merchant.key}:${merchant.secret}`).toString('base64')}`;
      const viaBasic = await api().get('/api/v1/webhooks/config').set('Authorization', basic).expect(200);
      expect(viaBasic.body.webhook_secret).toBe(regenerated.body.webhook_secret);
    });

    it('should answer 401 on every webhook endpoint without or with wrong credentials', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/unauthorized'));
      const id = await sendTest(merchant);
      const calls = [
        () => api().get('/api/v1/webhooks/config'),
        () => api().put('/api/v1/webhooks/config').send({ webhook_url: 'https://evil.example/hook' }),
        () => api().post('/api/v1/webhooks/regenerate-secret'),
        () => api().post('/api/v1/webhooks/test'),
        () => api().get('/api/v1/webhooks'),
        () => api().get(`/api/v1/webhooks/${id}`),
        () => api().post(`/api/v1/webhooks/${id}/retry`),
      ];
      for (const call of calls) {
        expectError(await call(), 401, 'AUTHENTICATION_ERROR', 'Invalid API credentials');
        expectError(
          await call().set(authHeaders({ key: merchant.key, secret: 'secret_test_wrongwrongwrongwrongwrongwrong' })),
          401,
          'AUTHENTICATION_ERROR',
          'Invalid API credentials',
        );
        expectError(
          await call().set('Cookie', 'gw_session=forged'),
          401,
          'AUTHENTICATION_ERROR',
          'Invalid API credentials',
        );
      }
      expect(await getConfig(merchant)).toEqual({
        webhook_url: receiver.url('/unauthorized'),
        webhook_secret: merchant.webhookSecret,
      });
      expect(await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [merchant.id])).toEqual([{ id }]);
    });

    it('should reject a session-authenticated change from another origin', async () => {
      const merchant = await newMerchant();
      const response = await api()
        .put('/api/v1/webhooks/config')
        .set('Cookie', merchant.cookie)
        .set('Origin', 'https://evil.example')
        .send({ webhook_url: 'https://evil.example/steal' });
      expectError(response, 401, 'AUTHENTICATION_ERROR', 'Invalid API credentials');
      const regenerate = await api()
        .post('/api/v1/webhooks/regenerate-secret')
        .set('Cookie', merchant.cookie)
        .set('Origin', 'https://evil.example');
      expectError(regenerate, 401, 'AUTHENTICATION_ERROR', 'Invalid API credentials');
      expect(await getConfig(merchant)).toEqual({ webhook_url: null, webhook_secret: merchant.webhookSecret });
    });
  });
});
