import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { validateWebhookSignature } from 'razorpay/dist/utils/razorpay-utils.js';
import { Webhook } from 'standardwebhooks';
import {
  type Credentials,
  TEST_KEY,
  TEST_SECRET,
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
  waitForFinalPayment,
} from '../support/api.js';
import { sql } from '../support/db.js';
import {
  type Gateway,
  createDatabase,
  dropDatabase,
  freePort,
  sharedDatabaseUrl,
  sharedGatewayUrl,
  startGateway,
  waitForHealthy,
} from '../support/gateway.mjs';
import { type ReceivedRequest, WebhookReceiver } from '../support/webhook-receiver.js';

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEEDED_SECRET = 'whsec_test_abc123';
const seeded: Credentials = { key: TEST_KEY, secret: TEST_SECRET };
/** CONTRACT §7.4 with WEBHOOK_RETRY_INTERVALS_TEST=true: delay before attempts 2..5. */
const TEST_RETRY_GAPS_MS = [5_000, 10_000, 15_000, 20_000];
const GAP_TOLERANCE_MS = 1_500;

interface AttemptView {
  attempt_number: number;
  started_at: string;
  duration_ms: number | null;
  url: string | null;
  response_code: number | null;
  response_body: string | null;
  error: string | null;
}

interface LogView {
  id: string;
  event: string;
  status: string;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  next_retry_at: string | null;
  response_code: number | null;
  response_body: string | null;
  payload: Record<string, unknown>;
  delivery_attempts: AttemptView[];
}

// Every test waits for real deliveries over HTTP; the default 5 s is too short on a busy machine.
jest.setTimeout(30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- gateway calls (the shared gateway unless a url is given) ----

async function setUrl(merchant: Credentials, webhookUrl: string | null, gateway = sharedGatewayUrl()) {
  await api(gateway)
    .put('/api/v1/webhooks/config')
    .set(authHeaders(merchant))
    .send({ webhook_url: webhookUrl })
    .expect(200);
}

async function sendTest(merchant: Credentials, gateway = sharedGatewayUrl()): Promise<string> {
  const response = await api(gateway).post('/api/v1/webhooks/test').set(authHeaders(merchant)).expect(201);
  return response.body.id;
}

async function regenerateSecret(merchant: Credentials, gateway = sharedGatewayUrl()): Promise<string> {
  const response = await api(gateway).post('/api/v1/webhooks/regenerate-secret').set(authHeaders(merchant)).expect(200);
  return response.body.webhook_secret;
}

async function getLog(merchant: Credentials, id: string, gateway = sharedGatewayUrl()): Promise<LogView> {
  return (await api(gateway).get(`/api/v1/webhooks/${id}`).set(authHeaders(merchant)).expect(200)).body;
}

async function waitForLog(
  merchant: Credentials,
  id: string,
  done: (log: LogView) => boolean,
  { gateway = sharedGatewayUrl(), timeoutMs = 15_000 } = {},
) {
  return eventually(async () => {
    const log = await getLog(merchant, id, gateway);
    return done(log) ? log : undefined;
  }, timeoutMs);
}

/** A gateway with its own database (and so its own seeded merchant); start-up is slow on a busy machine. */
async function startDedicatedGateway(name: string, env: Record<string, string>) {
  const databaseUrl = await createDatabase();
  const gateway = await startGateway({ databaseUrl, name, env, noWait: true });
  try {
    await waitForHealthy(gateway.url, 120_000, gateway.process);
  } catch (error) {
    await gateway.stop('SIGKILL');
    await dropDatabase(databaseUrl);
    throw new Error(`${(error as Error).message}\n--- gateway output ---\n${gateway.output()}`);
  }
  return { gateway, databaseUrl };
}

// ---- what a merchant does with a delivery ----

const header = (request: ReceivedRequest, name: string): string => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
};

/** The merchant-side check of X-Webhook-Signature: hex HMAC-SHA256 of the raw body, constant-time compare. */
function hexSignatureMatches(request: ReceivedRequest, secret: string): boolean {
  const received = Buffer.from(header(request, 'x-webhook-signature'), 'utf8');
  const expected = Buffer.from(createHmac('sha256', secret).update(request.body, 'utf8').digest('hex'), 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function standardWebhooksHeaders(request: ReceivedRequest): Record<string, string> {
  return {
    'webhook-id': header(request, 'webhook-id'),
    'webhook-timestamp': header(request, 'webhook-timestamp'),
    'webhook-signature': header(request, 'webhook-signature'),
  };
}

/** Standard Webhooks verification with the reference library (raw format only for the seeded secret). */
function standardSignatureMatches(request: ReceivedRequest, secret: string): boolean {
  const verifier = secret === SEEDED_SECRET ? new Webhook(secret, { format: 'raw' }) : new Webhook(secret);
  try {
    verifier.verify(request.body, standardWebhooksHeaders(request));
    return true;
  } catch {
    return false;
  }
}

function expectSignedWith(request: ReceivedRequest, secret: string): void {
  expect(header(request, 'x-webhook-signature')).toMatch(/^[0-9a-f]{64}$/);
  expect(header(request, 'webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  expect({ hex: hexSignatureMatches(request, secret), standard: standardSignatureMatches(request, secret) }).toEqual({
    hex: true,
    standard: true,
  });
}

function expectNotSignedWith(request: ReceivedRequest, secret: string): void {
  expect({ hex: hexSignatureMatches(request, secret), standard: standardSignatureMatches(request, secret) }).toEqual({
    hex: false,
    standard: false,
  });
}

/** §7.2: exactly event, timestamp, data, in that order, compact, stable under re-serialisation. */
function parseExactBody(body: string): { event: string; timestamp: number; data: Record<string, unknown> } {
  const parsed = JSON.parse(body);
  expect(Object.keys(parsed)).toEqual(['event', 'timestamp', 'data']);
  expect(JSON.stringify(parsed)).toBe(body);
  expect(Number.isInteger(parsed.timestamp)).toBe(true);
  return parsed;
}

function expectTimestampNear(request: ReceivedRequest): void {
  const timestamp = header(request, 'webhook-timestamp');
  expect(timestamp).toMatch(/^\d+$/);
  expect(Math.abs(Number(timestamp) - request.arrivedAt / 1000)).toBeLessThanOrEqual(2);
}

describe('webhook delivery', () => {
  const receivers: WebhookReceiver[] = [];
  async function newReceiver(port?: number): Promise<WebhookReceiver> {
    const receiver = await WebhookReceiver.start(port);
    receivers.push(receiver);
    return receiver;
  }

  /**
   * A delivery that always gets 500 takes ~50 s to exhaust its five attempts, so it starts first and
   * runs while the other tests do; the tests that inspect it come last.
   */
  const exhausted = {} as { merchant: Merchant; receiver: WebhookReceiver; logId: string; sentAt: number };

  /**
   * Four 500s, then a fifth attempt that answers 500 only after 3 s; the log is retried manually while
   * that fifth attempt is in flight (~50 s in), from the receiver's side so the timing is exact.
   */
  const retriedInFlight = {} as {
    merchant: Merchant;
    receiver: WebhookReceiver;
    logId: string;
    retry: Promise<{ at: number; status: number; body: unknown }>;
  };

  beforeAll(async () => {
    retriedInFlight.merchant = await newMerchant();
    retriedInFlight.receiver = await newReceiver();
    const fail = { status: 500, body: 'failing' };
    retriedInFlight.receiver.plan(fail, fail, fail, fail, { status: 500, body: 'slow fifth', delayMs: 3_000 });
    await setUrl(retriedInFlight.merchant, retriedInFlight.receiver.url('/retried-in-flight'));
    retriedInFlight.logId = await sendTest(retriedInFlight.merchant);
    retriedInFlight.retry = retriedInFlight.receiver.waitFor(5, undefined, 90_000).then(async () => {
      const at = Date.now();
      const response = await api()
        .post(`/api/v1/webhooks/${retriedInFlight.logId}/retry`)
        .set(authHeaders(retriedInFlight.merchant));
      return { at, status: response.status, body: response.body as unknown };
    });
    // Observed by the test at the end; never an unhandled rejection if that test is skipped.
    retriedInFlight.retry.catch(() => undefined);

    exhausted.merchant = await newMerchant();
    exhausted.receiver = await newReceiver();
    exhausted.receiver.respondWith({ status: 500, body: 'server exploded' });
    await setUrl(exhausted.merchant, exhausted.receiver.url('/always-500'));
    exhausted.sentAt = Date.now();
    exhausted.logId = await sendTest(exhausted.merchant);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  describe('payload', () => {
    it('should deliver payment.created, payment.pending and payment.success with the exact §7.2 body', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/payments?tenant=42'));
      const order = await createOrder(merchant);
      const before = Math.floor(Date.now() / 1000);
      const payment = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, merchant);
      const created = Math.ceil(Date.now() / 1000);
      const final = await waitForFinalPayment(payment.id, merchant);
      expect(final.status).toBe('success');
      const requests = await receiver.waitFor(3);
      await sleep(500);
      expect(receiver.requests).toHaveLength(3);

      const byEvent = new Map(requests.map((r) => [header(r, 'x-webhook-event'), r]));
      expect([...byEvent.keys()].sort()).toEqual(['payment.created', 'payment.pending', 'payment.success']);
      for (const event of ['payment.created', 'payment.pending']) {
        const body = parseExactBody(byEvent.get(event)!.body);
        expect(body).toEqual({ event, timestamp: expect.any(Number), data: { payment } });
        expect(body.timestamp).toBeGreaterThanOrEqual(before);
        expect(body.timestamp).toBeLessThanOrEqual(created);
      }
      const success = parseExactBody(byEvent.get('payment.success')!.body);
      expect(success).toEqual({ event: 'payment.success', timestamp: expect.any(Number), data: { payment: final } });
      expect(success.data.payment).toMatchObject({ status: 'success', captured: false, error_code: null });
      expect(Math.abs(success.timestamp - Date.parse(final.updated_at) / 1000)).toBeLessThanOrEqual(1);

      // One log per event; X-Webhook-Id names it and its payload is the body that was sent.
      const list = await api().get('/api/v1/webhooks').set(authHeaders(merchant)).expect(200);
      expect(list.body.total).toBe(3);
      expect(list.body.data.map((l: { id: string }) => l.id).sort()).toEqual(
        requests.map((r) => header(r, 'x-webhook-id')).sort(),
      );
      for (const request of requests) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe('/payments?tenant=42');
        const log = await getLog(merchant, header(request, 'x-webhook-id'));
        expect(log.event).toBe(header(request, 'x-webhook-event'));
        expect(log.payload).toEqual(JSON.parse(request.body));
        const [row] = await sql<{ body: string }>('SELECT body FROM webhook_logs WHERE id = $1', [log.id]);
        expect(row.body).toBe(request.body);
      }
      await waitForLog(merchant, list.body.data[0].id, (l) => l.status === 'success');
    });

    it('should deliver payment.failed with the declined card payment', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/failed'));
      const order = await createOrder(merchant, { amount: 12345, receipt: 'r-1' });
      const payment = await createPayment(
        order.id,
        {
          method: 'card',
          card: { number: '4000000000000002', expiry_month: '12', expiry_year: '2030', cvv: '123', holder_name: 'A' },
        },
        merchant,
      );
      const final = await waitForFinalPayment(payment.id, merchant);
      expect(final).toMatchObject({ status: 'failed', error_code: 'PAYMENT_FAILED', card_last4: '0002' });
      const [request] = await receiver.waitFor(1, (r) => header(r, 'x-webhook-event') === 'payment.failed');
      expect(parseExactBody(request.body)).toEqual({
        event: 'payment.failed',
        timestamp: expect.any(Number),
        data: { payment: final },
      });
      const created = await receiver.waitFor(1, (r) => header(r, 'x-webhook-event') === 'payment.created');
      expect(parseExactBody(created[0].body).data.payment).toEqual(payment);
      expect(receiver.requests.map((r) => header(r, 'x-webhook-event')).sort()).toEqual([
        'payment.created',
        'payment.failed',
        'payment.pending',
      ]);
    });

    it('should deliver webhook.test with the §7.1 data and the §7.3 headers', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/hooks/in?tenant=42&x=%20y'));
      const before = Math.floor(Date.now() / 1000);
      const sentAt = Date.now();
      const id = await sendTest(merchant);
      const [request] = await receiver.waitFor(1);
      expect(request.arrivedAt - sentAt).toBeLessThan(2_000);
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hooks/in?tenant=42&x=%20y');
      const body = parseExactBody(request.body);
      expect(body).toEqual({
        event: 'webhook.test',
        timestamp: expect.any(Number),
        data: { message: 'This is a test webhook', merchant_id: merchant.id },
      });
      expect(body.timestamp).toBeGreaterThanOrEqual(before);
      expect(body.timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      expect(request.body).toBe(
        `{"event":"webhook.test","timestamp":${body.timestamp},"data":{"message":"This is a test webhook","merchant_id":"${merchant.id}"}}`,
      );
      expect(header(request, 'content-type')).toBe('application/json');
      expect(header(request, 'user-agent')).toBe('PaymentGateway-Webhooks/1.0');
      expect(header(request, 'x-webhook-event')).toBe('webhook.test');
      expect(header(request, 'x-webhook-id')).toMatch(UUID);
      expect(header(request, 'x-webhook-id')).toBe(id);
      expect(header(request, 'webhook-id')).toBe(id);
      expectTimestampNear(request);
      expectSignedWith(request, merchant.webhookSecret);
      await waitForLog(merchant, id, (l) => l.status === 'success');
    });
  });

  describe('signatures', () => {
    it('should sign with the merchant’s generated secret, verifiable by node:crypto, standardwebhooks and razorpay', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/signed'));
      await sendTest(merchant);
      const [request] = await receiver.waitFor(1);
      expectSignedWith(request, merchant.webhookSecret);
      expect(
        validateWebhookSignature(request.body, header(request, 'x-webhook-signature'), merchant.webhookSecret),
      ).toBe(true);
      // The key is the base64-decoded secret: the hex signature's key (whole string) must not verify it.
      expect(() =>
        new Webhook(merchant.webhookSecret, { format: 'raw' }).verify(request.body, standardWebhooksHeaders(request)),
      ).toThrow();
      // Tampering with the body breaks both signatures.
      const tampered = { ...request, body: request.body.replace('This is a test webhook', 'This is a forged webhook') };
      expectNotSignedWith(tampered, merchant.webhookSecret);
    });

    it('should sign with the new secret after regenerate-secret', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/rotated'));
      const secret = await regenerateSecret(merchant);
      expect(secret).not.toBe(merchant.webhookSecret);
      await sendTest(merchant);
      const [request] = await receiver.waitFor(1);
      expectSignedWith(request, secret);
      expectNotSignedWith(request, merchant.webhookSecret);
    });

    it('should sign a retry pending at rotation time with the new secret, same id and same body', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.plan({ status: 500, body: 'try later' }, { status: 200, body: 'OK' });
      await setUrl(merchant, receiver.url('/pending-rotation'));
      const id = await sendTest(merchant);
      const [first] = await receiver.waitFor(1);
      expectSignedWith(first, merchant.webhookSecret);

      const waiting = await waitForLog(merchant, id, (l) => l.attempts === 1);
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1, response_code: 500, response_body: 'try later' });
      expect(waiting.next_retry_at).toMatch(ISO_MS);
      const scheduledIn = Date.parse(waiting.next_retry_at!) - Date.parse(waiting.last_attempt_at!);
      expect(Math.abs(scheduledIn - 5_000)).toBeLessThanOrEqual(GAP_TOLERANCE_MS);

      const secret = await regenerateSecret(merchant);
      const [, second] = await receiver.waitFor(2, undefined, 15_000);
      expectSignedWith(second, secret);
      expectNotSignedWith(second, merchant.webhookSecret);
      expect(second.body).toBe(first.body);
      expect(header(second, 'x-webhook-id')).toBe(id);
      expect(header(second, 'webhook-id')).toBe(id);
      expect(Number(header(second, 'webhook-timestamp'))).toBeGreaterThan(Number(header(first, 'webhook-timestamp')));
      expectTimestampNear(second);
      await waitForLog(merchant, id, (l) => l.status === 'success');
    }, 30_000);
  });

  describe('outcomes', () => {
    it('should succeed on the third attempt after two 500s, at the scheduled times', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.plan({ status: 500, body: 'one' }, { status: 500, body: 'two' }, { status: 200, body: 'three' });
      await setUrl(merchant, receiver.url('/third-time'));
      const id = await sendTest(merchant);
      const log = await waitForLog(merchant, id, (l) => l.status !== 'pending', { timeoutMs: 30_000 });
      expect(log).toMatchObject({
        status: 'success',
        attempts: 3,
        next_retry_at: null,
        response_code: 200,
        response_body: 'three',
      });
      expect(log.delivery_attempts.map((a) => [a.attempt_number, a.response_code, a.response_body])).toEqual([
        [1, 500, 'one'],
        [2, 500, 'two'],
        [3, 200, 'three'],
      ]);
      await sleep(1_000);
      const requests = receiver.received();
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((r) => header(r, 'x-webhook-id')))).toEqual(new Set([id]));
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      const gaps = [requests[1].arrivedAt - requests[0].arrivedAt, requests[2].arrivedAt - requests[1].arrivedAt];
      expect(gaps.map((gap, i) => Math.abs(gap - TEST_RETRY_GAPS_MS[i]) <= GAP_TOLERANCE_MS)).toEqual([true, true]);
    }, 40_000);

    it.each([201, 202, 204, 299])('should count a %i answer as success', async (status) => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.respondWith({ status, body: 'fine' });
      await setUrl(merchant, receiver.url('/2xx'));
      const id = await sendTest(merchant);
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1);
      expect(log).toMatchObject({ status: 'success', attempts: 1, next_retry_at: null, response_code: status });
      expect(log.delivery_attempts).toEqual([expect.objectContaining({ attempt_number: 1, response_code: status })]);
    });

    it.each([302, 307])(
      'should count a %i redirect as a failure and not follow it',
      async (status) => {
        const merchant = await newMerchant();
        const receiver = await newReceiver();
        receiver.plan({ status, body: 'moved', headers: { Location: receiver.url('/redirect-target') } });
        await setUrl(merchant, receiver.url('/redirecting'));
        const id = await sendTest(merchant);
        const log = await waitForLog(merchant, id, (l) => l.attempts >= 1);
        expect(log).toMatchObject({ status: 'pending', attempts: 1, response_code: status, response_body: 'moved' });
        expect(log.next_retry_at).toMatch(ISO_MS);
        expect(log.delivery_attempts).toEqual([
          expect.objectContaining({ attempt_number: 1, response_code: status, url: receiver.url('/redirecting') }),
        ]);
        await sleep(1_000);
        expect(receiver.received('/redirect-target')).toEqual([]);
        // The next scheduled attempt goes to the configured URL again, and succeeds.
        const delivered = await waitForLog(merchant, id, (l) => l.status === 'success');
        expect(delivered.attempts).toBe(2);
        expect(receiver.received('/redirect-target')).toEqual([]);
        expect(receiver.received('/redirecting')).toHaveLength(2);
      },
      30_000,
    );

    it('should record ECONNREFUSED for a closed port and deliver once the endpoint is up', async () => {
      const merchant = await newMerchant();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/refused`;
      await setUrl(merchant, url);
      const id = await sendTest(merchant);
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1);
      expect(log).toMatchObject({ status: 'pending', attempts: 1, response_code: null, response_body: null });
      expect(log.delivery_attempts).toEqual([
        {
          attempt_number: 1,
          started_at: expect.stringMatching(ISO_MS),
          duration_ms: expect.any(Number),
          url,
          response_code: null,
          response_body: null,
          error: expect.stringContaining('ECONNREFUSED'),
        },
      ]);
      const receiver = await newReceiver(port);
      const delivered = await waitForLog(merchant, id, (l) => l.status === 'success');
      expect(delivered.attempts).toBe(2);
      expect(receiver.received('/refused')).toHaveLength(1);
    }, 30_000);

    it('should store only the first 4096 bytes of the response body', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      const big = '0123456789abcdef'.repeat(1024);
      receiver.respondWith({ status: 200, body: big });
      await setUrl(merchant, receiver.url('/big'));
      const id = await sendTest(merchant);
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1);
      expect(log.status).toBe('success');
      expect(log.response_body).toBe(big.slice(0, 4096));
      expect(log.delivery_attempts[0].response_body).toBe(big.slice(0, 4096));
      const [row] = await sql<{ response_body: string }>(
        'SELECT response_body FROM webhook_attempts WHERE webhook_log_id = $1',
        [id],
      );
      expect(row.response_body).toHaveLength(4096);
    });

    it('should send each attempt to the merchant’s current webhook_url', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.plan({ status: 500, body: 'old endpoint' });
      await setUrl(merchant, receiver.url('/old'));
      const id = await sendTest(merchant);
      await waitForLog(merchant, id, (l) => l.attempts >= 1);
      await setUrl(merchant, receiver.url('/new'));
      const log = await waitForLog(merchant, id, (l) => l.status === 'success');
      expect(log.delivery_attempts.map((a) => a.url)).toEqual([receiver.url('/old'), receiver.url('/new')]);
      expect(receiver.received('/new')[0].body).toBe(receiver.received('/old')[0].body);
    }, 30_000);

    it('should fail an attempt made while no webhook_url is configured, and keep retrying', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.plan({ status: 500, body: 'down' });
      await setUrl(merchant, receiver.url('/removed'));
      const id = await sendTest(merchant);
      await waitForLog(merchant, id, (l) => l.attempts >= 1);
      await setUrl(merchant, null);
      const second = await waitForLog(merchant, id, (l) => l.attempts >= 2);
      expect(second).toMatchObject({ status: 'pending', attempts: 2, response_code: null, response_body: null });
      expect(second.delivery_attempts[1]).toMatchObject({
        attempt_number: 2,
        response_code: null,
        response_body: null,
        error: expect.any(String),
      });
      expect(receiver.requests).toHaveLength(1);
      await setUrl(merchant, receiver.url('/restored'));
      const third = await waitForLog(merchant, id, (l) => l.status === 'success', { timeoutMs: 20_000 });
      expect(third.attempts).toBe(3);
      expect(receiver.received('/restored')).toHaveLength(1);
    }, 40_000);

    it('should record a DNS failure without a response code', async () => {
      const merchant = await newMerchant();
      const url = 'http://webhook-receiver.invalid/hook';
      await setUrl(merchant, url);
      const id = await sendTest(merchant);
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1);
      expect(log).toMatchObject({ status: 'pending', attempts: 1, response_code: null, response_body: null });
      expect(log.delivery_attempts).toEqual([
        expect.objectContaining({ attempt_number: 1, url, response_code: null, error: expect.any(String) }),
      ]);
      expect(log.delivery_attempts[0].error).not.toBe('');
      const receiver = await newReceiver();
      await setUrl(merchant, receiver.url('/resolvable'));
      expect((await waitForLog(merchant, id, (l) => l.status === 'success')).attempts).toBe(2);
    }, 30_000);

    it('should record a response body containing a NUL byte like any other', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.respondWith({ status: 200, body: 'ok\u0000done' });
      await setUrl(merchant, receiver.url('/nul'));
      const id = await sendTest(merchant);
      // On timeout, assert on the state reached so the failure shows it.
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1, { timeoutMs: 10_000 }).catch(() =>
        getLog(merchant, id),
      );
      expect(log).toMatchObject({ status: 'success', attempts: 1, response_code: 200, next_retry_at: null });
      expect(log.response_body).toMatch(/^ok/);
      await sleep(1_000);
      expect(receiver.requests).toHaveLength(1);
    }, 20_000);

    it('should create no webhook logs for a merchant without a webhook_url', async () => {
      const merchant = await newMerchant();
      const order = await createOrder(merchant);
      const payment = await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
      await waitForFinalPayment(payment.id, merchant);
      await sleep(500);
      expect(await sql('SELECT id FROM webhook_logs WHERE merchant_id = $1', [merchant.id])).toEqual([]);
      const list = await api().get('/api/v1/webhooks').set(authHeaders(merchant)).expect(200);
      expect(list.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });
    });
  });

  describe('on a gateway with WEBHOOK_TIMEOUT_MS=1000', () => {
    let gateway: Gateway | undefined;
    let databaseUrl: string | undefined;
    let seededReceiver: WebhookReceiver;

    beforeAll(async () => {
      seededReceiver = await newReceiver();
      ({ gateway, databaseUrl } = await startDedicatedGateway('webhooks-timeout-1000', {
        WEBHOOK_TIMEOUT_MS: '1000',
        TEST_MERCHANT_WEBHOOK_URL: seededReceiver.url('/seeded'),
      }));
    }, 150_000);

    afterAll(async () => {
      await gateway?.stop();
      if (databaseUrl) {
        await dropDatabase(databaseUrl);
      }
    }, 30_000);

    it('should seed the test merchant with TEST_MERCHANT_WEBHOOK_URL and whsec_test_abc123', async () => {
      const response = await api(gateway!.url).get('/api/v1/webhooks/config').set(authHeaders(seeded)).expect(200);
      expect(response.body).toEqual({ webhook_url: seededReceiver.url('/seeded'), webhook_secret: SEEDED_SECRET });
    });

    it('should sign the seeded merchant’s deliveries with whsec_test_abc123 (hex and raw Standard Webhooks)', async () => {
      await setUrl(seeded, seededReceiver.url('/seeded'), gateway!.url);
      const order = await createOrder(seeded, { amount: 50000 }, gateway!.url);
      const payment = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, seeded, gateway!.url);
      await waitForFinalPayment(payment.id, seeded, gateway!.url);
      const id = await sendTest(seeded, gateway!.url);
      const requests = await seededReceiver.waitFor(4);
      expect(requests.map((r) => header(r, 'x-webhook-event')).sort()).toEqual([
        'payment.created',
        'payment.pending',
        'payment.success',
        'webhook.test',
      ]);
      for (const request of requests) {
        expectSignedWith(request, SEEDED_SECRET);
        expect(validateWebhookSignature(request.body, header(request, 'x-webhook-signature'), SEEDED_SECRET)).toBe(
          true,
        );
        expectTimestampNear(request);
      }
      const test = requests.find((r) => header(r, 'x-webhook-event') === 'webhook.test')!;
      expect(header(test, 'x-webhook-id')).toBe(id);
      expect(JSON.parse(test.body).data).toEqual({
        message: 'This is a test webhook',
        merchant_id: '550e8400-e29b-41d4-a716-446655440000',
      });
      const [row] = await sql<{ webhook_secret: string }>(
        'SELECT webhook_secret FROM merchants WHERE api_key = $1',
        [TEST_KEY],
        gateway!.databaseUrl,
      );
      expect(row.webhook_secret).not.toBe(SEEDED_SECRET);
    });

    it('should record "timeout after 1000 ms" with no response code when the endpoint hangs', async () => {
      const merchant = await newMerchant(gateway!.url);
      const receiver = await newReceiver();
      receiver.plan({ hang: true }, { status: 200, body: 'OK' });
      await setUrl(merchant, receiver.url('/hang'), gateway!.url);
      const id = await sendTest(merchant, gateway!.url);
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1, { gateway: gateway!.url });
      expect(log).toMatchObject({ status: 'pending', attempts: 1, response_code: null, response_body: null });
      expect(log.delivery_attempts).toEqual([
        {
          attempt_number: 1,
          started_at: expect.stringMatching(ISO_MS),
          duration_ms: expect.any(Number),
          url: receiver.url('/hang'),
          response_code: null,
          response_body: null,
          error: 'timeout after 1000 ms',
        },
      ]);
      expect(log.delivery_attempts[0].duration_ms).toBeGreaterThanOrEqual(900);
      expect(log.delivery_attempts[0].duration_ms).toBeLessThan(3_000);
      const [row] = await sql<{ error: string; response_code: number | null }>(
        'SELECT error, response_code FROM webhook_attempts WHERE webhook_log_id = $1',
        [id],
        gateway!.databaseUrl,
      );
      expect(row).toEqual({ error: 'timeout after 1000 ms', response_code: null });
      const delivered = await waitForLog(merchant, id, (l) => l.status === 'success', { gateway: gateway!.url });
      expect(delivered.attempts).toBe(2);
      expect(receiver.requests.map((r) => r.body)).toEqual([receiver.requests[0].body, receiver.requests[0].body]);
    }, 30_000);

    it('should accept an answer that arrives within WEBHOOK_TIMEOUT_MS', async () => {
      const merchant = await newMerchant(gateway!.url);
      const receiver = await newReceiver();
      receiver.respondWith({ status: 200, body: 'slow but fine', delayMs: 500 });
      await setUrl(merchant, receiver.url('/slow'), gateway!.url);
      const id = await sendTest(merchant, gateway!.url);
      const log = await waitForLog(merchant, id, (l) => l.attempts >= 1, { gateway: gateway!.url });
      expect(log).toMatchObject({ status: 'success', attempts: 1, response_code: 200, response_body: 'slow but fine' });
      expect(log.delivery_attempts[0].duration_ms).toBeGreaterThanOrEqual(450);
    });
  });

  describe('on a gateway with WEBHOOK_TIMEOUT_MS=3000 and WORKER_CONCURRENCY=2', () => {
    let gateway: Gateway | undefined;
    let databaseUrl: string | undefined;

    beforeAll(async () => {
      ({ gateway, databaseUrl } = await startDedicatedGateway('webhooks-slow-merchant', {
        WEBHOOK_TIMEOUT_MS: '3000',
        WORKER_CONCURRENCY: '2',
      }));
    }, 150_000);

    afterAll(async () => {
      await gateway?.stop();
      if (databaseUrl) {
        await dropDatabase(databaseUrl);
      }
    }, 30_000);

    it('should deliver another merchant’s webhook within ~1 s while one merchant’s endpoint hangs', async () => {
      const slow = await newMerchant(gateway!.url);
      const fast = await newMerchant(gateway!.url);
      const slowReceiver = await newReceiver();
      const fastReceiver = await newReceiver();
      slowReceiver.respondWith({ hang: true });
      await setUrl(slow, slowReceiver.url('/hangs'), gateway!.url);
      await setUrl(fast, fastReceiver.url('/fast'), gateway!.url);
      for (let i = 0; i < 10; i++) {
        await sendTest(slow, gateway!.url);
      }
      await slowReceiver.waitFor(2, undefined, 5_000);
      const sentAt = Date.now();
      await sendTest(fast, gateway!.url);
      const [request] = await fastReceiver.waitFor(1, undefined, 20_000);
      // ~1 s, with room for a busy machine; queued behind the hanging endpoint it would take ~15 s.
      expect(request.arrivedAt - sentAt).toBeLessThan(2_000);
      // Every one of the slow merchant's deliveries was still attempted and timed out on its own.
      const rows = await eventually(async () => {
        const found = await sql<{ error: string }>(
          `SELECT a.error FROM webhook_attempts a JOIN webhook_logs l ON l.id = a.webhook_log_id
           WHERE l.merchant_id = $1 AND a.attempt_number = 1`,
          [slow.id],
          gateway!.databaseUrl,
        );
        return found.length === 10 ? found : undefined;
      }, 20_000);
      expect(rows.map((r) => r.error)).toEqual(Array(10).fill('timeout after 3000 ms'));
    }, 60_000);
  });

  describe('manual retry while an attempt is in flight', () => {
    it('should run the retry’s attempt right after the in-flight one, never two at once', async () => {
      const merchant = await newMerchant();
      const receiver = await newReceiver();
      receiver.plan({ status: 500, body: 'slow', delayMs: 2_000 });
      await setUrl(merchant, receiver.url('/in-flight'));
      const id = await sendTest(merchant);
      await receiver.waitFor(1);
      for (let i = 0; i < 3; i++) {
        await api().post(`/api/v1/webhooks/${id}/retry`).set(authHeaders(merchant)).expect(200);
      }
      const log = await waitForLog(merchant, id, (l) => l.status === 'success', { timeoutMs: 20_000 });
      expect(log).toMatchObject({ next_retry_at: null, response_code: 200 });
      await sleep(1_000);
      const requests = receiver.received();
      expect(requests).toHaveLength(2);
      expect(requests[1].arrivedAt).toBeGreaterThanOrEqual(requests[0].finishedAt!);
      // The retry asked for an attempt now: it starts once the in-flight one is over, not on the old schedule.
      expect(requests[1].arrivedAt - requests[0].finishedAt!).toBeLessThan(3_000);
    }, 30_000);
  });

  describe('retry schedule', () => {
    it('should make exactly five attempts 0/5/10/15/20 s apart, then fail for good', async () => {
      const { merchant, receiver, logId, sentAt } = exhausted;
      const log = await waitForLog(merchant, logId, (l) => l.status !== 'pending', { timeoutMs: 75_000 });
      await sleep(3_000);
      const requests = receiver.received('/always-500');
      expect(requests).toHaveLength(5);
      expect(requests[0].arrivedAt - sentAt).toBeLessThan(2_000);
      const gaps = requests.slice(1).map((r, i) => r.arrivedAt - requests[i].arrivedAt);
      expect(
        gaps.map((gap, i) => ({
          gap: Math.round(gap / 100) / 10,
          ok: Math.abs(gap - TEST_RETRY_GAPS_MS[i]) <= GAP_TOLERANCE_MS,
        })),
      ).toEqual(TEST_RETRY_GAPS_MS.map(() => expect.objectContaining({ ok: true })));
      expect(new Set(requests.map((r) => header(r, 'x-webhook-id')))).toEqual(new Set([logId]));
      expect(new Set(requests.map((r) => header(r, 'webhook-id')))).toEqual(new Set([logId]));
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      for (const request of requests) {
        expectTimestampNear(request);
        expectSignedWith(request, merchant.webhookSecret);
      }

      expect(log).toMatchObject({
        status: 'failed',
        attempts: 5,
        next_retry_at: null,
        response_code: 500,
        response_body: 'server exploded',
      });
      expect(log.last_attempt_at).toBe(log.delivery_attempts[4].started_at);
      expect(log.delivery_attempts).toEqual(
        [1, 2, 3, 4, 5].map((n) => ({
          attempt_number: n,
          started_at: expect.stringMatching(ISO_MS),
          duration_ms: expect.any(Number),
          url: receiver.url('/always-500'),
          response_code: 500,
          response_body: 'server exploded',
          error: null,
        })),
      );
      const rows = await sql<{ attempt_number: number; response_code: number; response_body: string }>(
        `SELECT attempt_number, response_code, response_body FROM webhook_attempts
         WHERE webhook_log_id = $1 ORDER BY attempt_number`,
        [logId],
        sharedDatabaseUrl(),
      );
      expect(rows).toEqual(
        [1, 2, 3, 4, 5].map((n) => ({ attempt_number: n, response_code: 500, response_body: 'server exploded' })),
      );
      const [stored] = await sql<{ status: string; attempts: number; next_retry_at: Date | null }>(
        'SELECT status, attempts, next_retry_at FROM webhook_logs WHERE id = $1',
        [logId],
      );
      expect(stored).toEqual({ status: 'failed', attempts: 5, next_retry_at: null });
    }, 90_000);

    it('should start a fresh cycle on manual retry after failure, continuing attempt numbers', async () => {
      const { merchant, receiver, logId } = exhausted;
      await waitForLog(merchant, logId, (l) => l.status === 'failed', { timeoutMs: 75_000 });
      const before = receiver.received('/always-500');
      receiver.plan({ status: 500, body: 'still down', delayMs: 1_500 }, { status: 200, body: 'recovered' });
      const retriedAt = Date.now();
      const response = await api().post(`/api/v1/webhooks/${logId}/retry`).set(authHeaders(merchant)).expect(200);
      expect(response.body).toEqual({ id: logId, status: 'pending', message: 'Webhook retry scheduled' });
      const reset = await getLog(merchant, logId);
      expect(reset).toMatchObject({
        status: 'pending',
        attempts: 0,
        last_attempt_at: null,
        response_code: null,
        response_body: null,
      });
      expect(Math.abs(Date.parse(reset.next_retry_at!) - retriedAt)).toBeLessThan(3_000);

      const sixth = await waitForLog(merchant, logId, (l) => l.attempts >= 1);
      expect(sixth).toMatchObject({ status: 'pending', attempts: 1, response_code: 500, response_body: 'still down' });
      const done = await waitForLog(merchant, logId, (l) => l.status !== 'pending', { timeoutMs: 20_000 });
      expect(done).toMatchObject({
        status: 'success',
        attempts: 2,
        next_retry_at: null,
        response_code: 200,
        response_body: 'recovered',
      });
      expect(done.delivery_attempts.map((a) => [a.attempt_number, a.response_code, a.response_body])).toEqual([
        [1, 500, 'server exploded'],
        [2, 500, 'server exploded'],
        [3, 500, 'server exploded'],
        [4, 500, 'server exploded'],
        [5, 500, 'server exploded'],
        [6, 500, 'still down'],
        [7, 200, 'recovered'],
      ]);
      const requests = receiver.received('/always-500');
      expect(requests).toHaveLength(before.length + 2);
      const [retry6, retry7] = requests.slice(before.length);
      expect(retry6.arrivedAt - retriedAt).toBeLessThan(2_000);
      // 5 s after attempt 6, which the receiver answered 1.5 s after it arrived.
      const gap = retry7.arrivedAt - retry6.arrivedAt;
      expect(gap).toBeGreaterThanOrEqual(TEST_RETRY_GAPS_MS[0] - GAP_TOLERANCE_MS);
      expect(gap).toBeLessThanOrEqual(TEST_RETRY_GAPS_MS[0] + 1_500 + GAP_TOLERANCE_MS);
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      expect(new Set(requests.map((r) => header(r, 'x-webhook-id')))).toEqual(new Set([logId]));
    }, 90_000);

    it('should start a fresh cycle when retried while the fifth attempt is in flight', async () => {
      const { merchant, receiver, logId } = retriedInFlight;
      const retry = await retriedInFlight.retry;
      expect(retry).toMatchObject({
        status: 200,
        body: { id: logId, status: 'pending', message: 'Webhook retry scheduled' },
      });
      const fifth = receiver.received()[4];
      expect(retry.at).toBeLessThan(fifth.arrivedAt + 3_000);
      // On timeout, assert on the state reached so the failure shows it.
      const log = await waitForLog(merchant, logId, (l) => l.status === 'success', { timeoutMs: 20_000 }).catch(() =>
        getLog(merchant, logId),
      );
      expect({
        status: log.status,
        attempts: log.attempts,
        response_code: log.response_code,
        next_retry_at: log.next_retry_at,
      }).toEqual({
        status: 'success',
        attempts: expect.any(Number),
        response_code: 200,
        next_retry_at: null,
      });
      expect(log.attempts).toBeGreaterThanOrEqual(1);
      expect(log.attempts).toBeLessThanOrEqual(2);
      const requests = receiver.received();
      expect(requests.length).toBeGreaterThanOrEqual(6);
      for (let i = 1; i < requests.length; i++) {
        expect(requests[i].arrivedAt).toBeGreaterThanOrEqual(requests[i - 1].finishedAt!);
      }
      expect(log.delivery_attempts.map((a) => a.attempt_number)).toEqual(requests.map((_, i) => i + 1));
    }, 120_000);
  });
});
