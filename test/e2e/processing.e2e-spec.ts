import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  type Credentials,
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
} from '../support/api.js';
import { sql } from '../support/db.js';
import {
  type Gateway,
  REDIS_URL,
  createDatabase,
  dropDatabase,
  startGateway,
  waitForHealthy,
} from '../support/gateway.mjs';

jest.setTimeout(60_000);

const FINAL = ['success', 'failed'];
const FINAL_EVENTS = ['payment.success', 'payment.failed'];
const DECLINED = { error_code: 'PAYMENT_FAILED', error_description: 'Payment declined by bank' };
/** A 32-byte key as 64 hex characters, required by NODE_ENV=production. */
const PRODUCTION_KEY = 'a1'.repeat(32);

interface PaymentBody {
  id: string;
  order_id: string;
  status: string;
  error_code: string | null;
  error_description: string | null;
  created_at: string;
  updated_at: string;
}

type Instrument = Record<string, unknown>;

const upi = (vpa: string): Instrument => ({ method: 'upi', vpa });
const card = (number: string): Instrument => ({
  method: 'card',
  card: { number, expiry_month: '12', expiry_year: '2035', cvv: '123', holder_name: 'E2E Tester' },
});

interface Receiver {
  url: string;
  close(): Promise<void>;
}

/** The merchant's webhook endpoint: a real local HTTP server that accepts everything. */
async function startReceiver(): Promise<Receiver> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh merchant on `gateway`, with its webhook_url pointing at `receiver` when given. */
async function merchantOn(gateway: Gateway, receiver?: Receiver): Promise<Credentials> {
  const merchant = await newMerchant(gateway.url);
  if (receiver) {
    await api(gateway.url)
      .put('/api/v1/webhooks/config')
      .set(authHeaders(merchant))
      .send({ webhook_url: receiver.url })
      .expect(200);
  }
  return merchant;
}

async function pay(gateway: Gateway, creds: Credentials, instrument: Instrument): Promise<PaymentBody> {
  const order = await createOrder(creds, { amount: 50000 }, gateway.url);
  const payment = (await createPayment(order.id, instrument, creds, gateway.url)) as unknown as PaymentBody;
  expect(payment.status).toBe('pending');
  return payment;
}

async function getPayment(gateway: Gateway, creds: Credentials, id: string): Promise<PaymentBody> {
  const response = await api(gateway.url).get(`/api/v1/payments/${id}`).set(authHeaders(creds)).expect(200);
  return response.body as PaymentBody;
}

/**
 * Polls GET fast and keeps every distinct (status, updated_at) it sees, starting from the creation
 * response, until the payment is final.
 */
async function observeUntilFinal(
  gateway: Gateway,
  creds: Credentials,
  created: PaymentBody,
  timeoutMs = 15_000,
  intervalMs = 20,
): Promise<PaymentBody[]> {
  const seen = [created];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const current = await getPayment(gateway, creds, created.id);
    const last = seen[seen.length - 1];
    if (current.status !== last.status || current.updated_at !== last.updated_at) {
      seen.push(current);
    }
    if (FINAL.includes(current.status)) {
      return seen;
    }
    await sleep(intervalMs);
  }
  throw new Error(`payment ${created.id} not final within ${timeoutMs} ms: ${seen.map((p) => p.status).join(' → ')}`);
}

async function waitFinal(gateway: Gateway, creds: Credentials, id: string, timeoutMs = 15_000): Promise<PaymentBody> {
  return eventually(async () => {
    const payment = await getPayment(gateway, creds, id);
    return FINAL.includes(payment.status) ? payment : undefined;
  }, timeoutMs);
}

async function eventsOf(gateway: Gateway, paymentId: string): Promise<string[]> {
  const rows = await sql<{ event: string }>(
    `SELECT event FROM webhook_logs WHERE payload->'data'->'payment'->>'id' = $1 ORDER BY event`,
    [paymentId],
    gateway.databaseUrl,
  );
  return rows.map((row) => row.event);
}

async function orderStatus(gateway: Gateway, creds: Credentials, orderId: string): Promise<string> {
  const response = await api(gateway.url).get(`/api/v1/orders/${orderId}`).set(authHeaders(creds)).expect(200);
  return response.body.status as string;
}

const ms = (iso: string): number => new Date(iso).getTime();

/** Deletes one prefix's keys (SCAN + DEL), never anything else: other test runs share the Redis server. */
async function deletePrefixKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) {
        deleted += await redis.del(...keys);
      }
    } while (cursor !== '0');
    return deleted;
  } finally {
    await redis.quit();
  }
}

describe('asynchronous payment processing (CONTRACT §6)', () => {
  const started: Gateway[] = [];
  const databases: string[] = [];
  let receiver: Receiver;
  /** TEST_MODE with a bank latency long enough to watch `processing` over HTTP. */
  let testMode: Gateway;
  /** Row 1: TEST_MODE with TEST_PAYMENT_SUCCESS=false. */
  let declineAll: Gateway;
  /** Rows 2 and 4 outside TEST_MODE: every non-test payment is declined. */
  let ratesZero: Gateway;
  /** Row 4: every non-test payment succeeds after a random latency in [1000, 2000] ms. */
  let ratesOne: Gateway;
  /** NODE_ENV=production: test instruments are ordinary instruments. */
  let production: Gateway;

  const boot = async (name: string, env: Record<string, string>): Promise<Gateway> => {
    const databaseUrl = await createDatabase();
    databases.push(databaseUrl);
    const gateway = await startGateway({ env, databaseUrl, name: `processing-${name}`, noWait: true });
    started.push(gateway);
    // Several gateways boot side by side on a busy machine: allow more than the harness's 30 s.
    await waitForHealthy(gateway.url, 120_000, gateway.process);
    return gateway;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    const outside = { TEST_MODE: 'false', PROCESSING_DELAY_MIN: '100', PROCESSING_DELAY_MAX: '200' };
    [testMode, declineAll] = await Promise.all([
      boot('test-mode', { TEST_MODE: 'true', TEST_PROCESSING_DELAY: '1500' }),
      boot('decline-all', { TEST_MODE: 'true', TEST_PAYMENT_SUCCESS: 'false' }),
    ]);
    [ratesZero, ratesOne, production] = await Promise.all([
      boot('rates-zero', { ...outside, UPI_SUCCESS_RATE: '0', CARD_SUCCESS_RATE: '0' }),
      boot('rates-one', {
        TEST_MODE: 'false',
        UPI_SUCCESS_RATE: '1',
        CARD_SUCCESS_RATE: '1',
        PROCESSING_DELAY_MIN: '1000',
        PROCESSING_DELAY_MAX: '2000',
      }),
      boot('production', {
        ...outside,
        NODE_ENV: 'production',
        APP_ENCRYPTION_KEY: PRODUCTION_KEY,
        UPI_SUCCESS_RATE: '0',
        CARD_SUCCESS_RATE: '0',
      }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(started.map((gateway) => gateway.stop()));
    await Promise.all(databases.map((databaseUrl) => dropDatabase(databaseUrl)));
    await Promise.all(started.map((gateway) => deletePrefixKeys(gateway.queuePrefix)));
    await receiver?.close();
  }, 60_000);

  describe('life of a payment', () => {
    it('should go pending → processing → success, visible over GET, and mark the order paid', async () => {
      const creds = await merchantOn(testMode);
      const created = await pay(testMode, creds, upi('success@test'));

      const seen = await observeUntilFinal(testMode, creds, created);

      expect(seen.map((payment) => payment.status)).toEqual(['pending', 'processing', 'success']);
      const [pending, processing, success] = seen;
      expect(ms(processing.updated_at)).toBeGreaterThan(ms(pending.updated_at));
      expect(ms(success.updated_at)).toBeGreaterThan(ms(processing.updated_at));
      // The bank latency (TEST_PROCESSING_DELAY) sits between the two transitions.
      expect(ms(success.updated_at) - ms(processing.updated_at)).toBeGreaterThanOrEqual(1500 - 1);
      expect(success).toMatchObject({ error_code: null, error_description: null, created_at: created.created_at });
      expect(await orderStatus(testMode, creds, created.order_id)).toBe('paid');
    });

    it('should go pending → processing → failed with the decline error and leave the order created', async () => {
      const creds = await merchantOn(testMode);
      const created = await pay(testMode, creds, upi('failure@test'));

      const seen = await observeUntilFinal(testMode, creds, created);

      expect(seen.map((payment) => payment.status)).toEqual(['pending', 'processing', 'failed']);
      expect(ms(seen[1].updated_at)).toBeGreaterThan(ms(seen[0].updated_at));
      expect(ms(seen[2].updated_at)).toBeGreaterThan(ms(seen[1].updated_at));
      expect(seen[2]).toMatchObject(DECLINED);
      expect(await orderStatus(testMode, creds, created.order_id)).toBe('created');
    });

    it('should record payment.created and payment.pending at creation and exactly one final event', async () => {
      const creds = await merchantOn(testMode, receiver);
      const succeeding = await pay(testMode, creds, upi('success@test'));
      const failing = await pay(testMode, creds, card('4000000000000002'));

      // Written in the creating transaction: present as soon as the 201 is answered.
      expect(await eventsOf(testMode, succeeding.id)).toEqual(['payment.created', 'payment.pending']);
      expect(await eventsOf(testMode, failing.id)).toEqual(['payment.created', 'payment.pending']);

      await waitFinal(testMode, creds, succeeding.id);
      await waitFinal(testMode, creds, failing.id);
      // Give a duplicate settlement, if any, the time to show up.
      await sleep(1500);
      expect(await eventsOf(testMode, succeeding.id)).toEqual([
        'payment.created',
        'payment.pending',
        'payment.success',
      ]);
      expect(await eventsOf(testMode, failing.id)).toEqual(['payment.created', 'payment.failed', 'payment.pending']);
    });

    it('should ignore duplicate start and settle jobs once a payment is final', async () => {
      const creds = await merchantOn(testMode, receiver);
      const payments = await Promise.all([
        pay(testMode, creds, upi('success@test')),
        pay(testMode, creds, upi('failure@test')),
      ]);
      const finals = await Promise.all(payments.map((payment) => waitFinal(testMode, creds, payment.id)));
      expect(finals.map((payment) => payment.status)).toEqual(['success', 'failed']);

      const queue = new Queue('payments', { connection: { url: REDIS_URL }, prefix: testMode.queuePrefix });
      try {
        const jobs: Job[] = [];
        for (const payment of finals) {
          const opposite = payment.status === 'success' ? 'failed' : 'success';
          const suffix = `${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;
          jobs.push(
            await queue.add(
              'start-payment',
              { paymentId: payment.id, testOutcome: null },
              { jobId: `dup-start.${payment.id}.${suffix}` },
            ),
            await queue.add(
              'settle-payment',
              { paymentId: payment.id, testOutcome: null },
              { jobId: `dup-settle.${payment.id}.${suffix}` },
            ),
            // A settlement that did not re-read the state would flip the outcome here.
            await queue.add(
              'settle-payment',
              { paymentId: payment.id, testOutcome: opposite },
              { jobId: `dup-settle-opposite.${payment.id}.${suffix}` },
            ),
          );
        }
        const states = await eventually(async () => {
          const current = await Promise.all(jobs.map((job) => job.getState()));
          return current.every((state) => state === 'completed' || state === 'failed') ? current : undefined;
        }, 15_000);
        expect(states).toEqual(jobs.map(() => 'completed'));
      } finally {
        await queue.close();
      }

      for (const payment of finals) {
        const after = await getPayment(testMode, creds, payment.id);
        expect(after).toEqual(payment);
        expect((await eventsOf(testMode, payment.id)).filter((event) => FINAL_EVENTS.includes(event))).toEqual([
          payment.status === 'success' ? 'payment.success' : 'payment.failed',
        ]);
      }
      expect(await orderStatus(testMode, creds, finals[0].order_id)).toBe('paid');
      expect(await orderStatus(testMode, creds, finals[1].order_id)).toBe('created');
    });

    it('should leave the outbox empty once everything is processed', async () => {
      const creds = await merchantOn(testMode, receiver);
      const payments = await Promise.all([
        pay(testMode, creds, upi('success@test')),
        pay(testMode, creds, card('4242424242424242')),
      ]);
      await Promise.all(payments.map((payment) => waitFinal(testMode, creds, payment.id)));

      const remaining = await eventually(async () => {
        const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM outbox', [], testMode.databaseUrl);
        return row.n === 0 ? row.n : undefined;
      }, 10_000);
      expect(remaining).toBe(0);
    });
  });

  describe('outcome precedence', () => {
    const outcomes = async (
      gateway: Gateway,
      creds: Credentials,
      instruments: Instrument[],
    ): Promise<PaymentBody[]> => {
      const created = await Promise.all(instruments.map((instrument) => pay(gateway, creds, instrument)));
      return Promise.all(created.map((payment) => waitFinal(gateway, creds, payment.id)));
    };

    it('should fail every payment, test instruments included, with TEST_MODE and TEST_PAYMENT_SUCCESS=false (row 1)', async () => {
      const creds = await merchantOn(declineAll, receiver);
      const finals = await outcomes(declineAll, creds, [
        upi('success@test'),
        card('4111111111111111'),
        card('4242424242424242'),
        upi('user@paytm'),
      ]);
      for (const payment of finals) {
        expect(payment).toMatchObject({ status: 'failed', ...DECLINED });
        expect(await orderStatus(declineAll, creds, payment.order_id)).toBe('created');
        expect(await eventsOf(declineAll, payment.id)).toEqual([
          'payment.created',
          'payment.failed',
          'payment.pending',
        ]);
      }
    });

    it('should let test instruments decide over TEST_MODE (row 2 before row 3)', async () => {
      const creds = await merchantOn(testMode);
      const finals = await outcomes(testMode, creds, [
        upi('failure@test'),
        card('4000000000000002'),
        upi('success@test'),
        card('4111111111111111'),
        card('4242424242424242'),
      ]);
      expect(finals.map((payment) => payment.status)).toEqual(['failed', 'failed', 'success', 'success', 'success']);
      expect(finals[0]).toMatchObject(DECLINED);
      expect(finals[1]).toMatchObject(DECLINED);
      expect(finals[2]).toMatchObject({ error_code: null, error_description: null });
    });

    it('should let test instruments decide over zero success rates outside TEST_MODE (row 2 before row 4)', async () => {
      const creds = await merchantOn(ratesZero, receiver);
      const finals = await outcomes(ratesZero, creds, [
        upi('success@test'),
        card('4111111111111111'),
        card('4242424242424242'),
        upi('failure@test'),
        card('4000000000000002'),
      ]);
      expect(finals.map((payment) => payment.status)).toEqual(['success', 'success', 'success', 'failed', 'failed']);
      expect(await orderStatus(ratesZero, creds, finals[0].order_id)).toBe('paid');
      expect(await eventsOf(ratesZero, finals[0].id)).toEqual([
        'payment.created',
        'payment.pending',
        'payment.success',
      ]);
    });

    it('should succeed every ordinary payment in TEST_MODE (row 3)', async () => {
      const creds = await merchantOn(testMode);
      const finals = await outcomes(testMode, creds, [
        upi('user@paytm'),
        upi('john.doe@okhdfcbank'),
        card('5555555555554444'),
        card('378282246310005'),
      ]);
      expect(finals.map((payment) => payment.status)).toEqual(['success', 'success', 'success', 'success']);
      for (const payment of finals) {
        expect(await orderStatus(testMode, creds, payment.order_id)).toBe('paid');
      }
    });

    it('should decline every ordinary payment outside TEST_MODE when the success rates are 0 (row 4)', async () => {
      const creds = await merchantOn(ratesZero, receiver);
      const finals = await outcomes(ratesZero, creds, [
        upi('user@paytm'),
        upi('john.doe@okhdfcbank'),
        card('5555555555554444'),
        card('378282246310005'),
      ]);
      for (const payment of finals) {
        expect(payment).toMatchObject({ status: 'failed', ...DECLINED });
        expect(await orderStatus(ratesZero, creds, payment.order_id)).toBe('created');
        expect(await eventsOf(ratesZero, payment.id)).toEqual(['payment.created', 'payment.failed', 'payment.pending']);
      }
    });

    it('should approve every ordinary payment outside TEST_MODE when the success rates are 1, within the latency bounds (row 4)', async () => {
      const creds = await merchantOn(ratesOne, receiver);
      const instruments = [upi('user@paytm'), upi('a.b@okicici'), card('5555555555554444'), card('378282246310005')];
      const created = await Promise.all(instruments.map((instrument) => pay(ratesOne, creds, instrument)));

      // 100 ms polls catch `processing` (at least 1000 ms long) without loading the gateway.
      const histories = await Promise.all(
        created.map((payment) => observeUntilFinal(ratesOne, creds, payment, 15_000, 100)),
      );

      const queue = new Queue('payments', { connection: { url: REDIS_URL }, prefix: ratesOne.queuePrefix });
      try {
        const settlements = await queue.getJobs(['completed']);
        for (const seen of histories) {
          expect(seen.map((payment) => payment.status)).toEqual(['pending', 'processing', 'success']);
          const [, processing, success] = seen;
          // The latency the worker drew is in the settlement job's schedule. Measured from the processing
          // transaction to the due time it can only look longer than drawn, and the job's delay (counted from
          // when the job reached Redis) only shorter, so these two bounds hold however loaded the machine is.
          const settlement = settlements.find(
            (job) => job.name === 'settle-payment' && (job.data as { paymentId: string }).paymentId === processing.id,
          );
          expect(settlement).toBeDefined();
          const delay = settlement!.opts.delay ?? 0;
          const dueAt = settlement!.timestamp + delay;
          expect(dueAt - ms(processing.updated_at)).toBeGreaterThanOrEqual(1000 - 1);
          expect(delay).toBeLessThanOrEqual(2000);
          // Observed over HTTP: never settled before the latency, and not long after it was due (a loose
          // bound: other sessions load this machine).
          expect(ms(success.updated_at) - ms(processing.updated_at)).toBeGreaterThanOrEqual(1000 - 1);
          expect(ms(success.updated_at)).toBeGreaterThanOrEqual(dueAt - 5);
          expect(ms(success.updated_at) - dueAt).toBeLessThanOrEqual(5000);
          expect(await orderStatus(ratesOne, creds, success.order_id)).toBe('paid');
          expect(await eventsOf(ratesOne, success.id)).toEqual([
            'payment.created',
            'payment.pending',
            'payment.success',
          ]);
        }
      } finally {
        await queue.close();
      }
    });

    it('should ignore test instruments in production (zero rates decline them)', async () => {
      const creds = await merchantOn(production);
      const finals = await outcomes(production, creds, [
        upi('success@test'),
        card('4111111111111111'),
        card('4242424242424242'),
      ]);
      for (const payment of finals) {
        expect(payment).toMatchObject({ status: 'failed', ...DECLINED });
      }
      expect(await orderStatus(production, creds, finals[0].order_id)).toBe('created');
    });
  });
});
