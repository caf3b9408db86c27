import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
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
  type StartOptions,
  createDatabase,
  dropDatabase,
  startGateway,
  waitForHealthy,
} from '../support/gateway.mjs';
import { type TcpProxy, startTcpProxy } from '../support/tcp-proxy.js';

jest.setTimeout(150_000);

const FINAL = ['success', 'failed'];

interface PaymentBody {
  id: string;
  status: string;
  vpa: string | null;
  card_last4: string | null;
}

type Instrument = Record<string, unknown>;

const upi = (vpa: string): Instrument => ({ method: 'upi', vpa });
const card = (number: string): Instrument => ({
  method: 'card',
  card: { number, expiry_month: '12', expiry_year: '2035', cvv: '123' },
});

/** TEST_MODE outcomes: the test instruments decide, everything else succeeds (CONTRACT §6 rows 2-3). */
const expectedOutcome = (payment: PaymentBody): string =>
  payment.vpa === 'failure@test' || payment.card_last4 === '0002' ? 'failed' : 'success';

/** A mix of instruments whose outcome is known in TEST_MODE. */
const mixedInstruments = (count: number): Instrument[] =>
  Array.from(
    { length: count },
    (_, i) =>
      [upi('user@paytm'), upi('success@test'), upi('failure@test'), card('4111111111111111'), card('4000000000000002')][
        i % 5
      ],
  );

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

function uniquePrefix(label: string): string {
  return `gwtest_${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
}

/** The processes and databases of one scenario, all torn down in afterAll. */
class Cluster {
  readonly processes: Gateway[] = [];
  private readonly databases: string[] = [];

  async database(): Promise<string> {
    const databaseUrl = await createDatabase();
    this.databases.push(databaseUrl);
    return databaseUrl;
  }

  /** HTTP roles are awaited generously (other sessions load the machine); workers have no HTTP. */
  async start(options: StartOptions & { http: boolean }): Promise<Gateway> {
    const { http, ...rest } = options;
    const gateway = await startGateway({ ...rest, noWait: true });
    this.processes.push(gateway);
    if (http) {
      await waitForHealthy(gateway.url, 90_000, gateway.process);
    }
    return gateway;
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((gateway) => gateway.stop('SIGKILL')));
    await Promise.all(this.databases.map((databaseUrl) => dropDatabase(databaseUrl)));
    const prefixes = new Set(this.processes.map((gateway) => gateway.queuePrefix));
    await Promise.all([...prefixes].map((prefix) => deletePrefixKeys(prefix)));
  }
}

async function merchantWithWebhooks(gateway: Gateway, receiver: Receiver): Promise<Credentials> {
  const merchant = await newMerchant(gateway.url);
  await api(gateway.url)
    .put('/api/v1/webhooks/config')
    .set(authHeaders(merchant))
    .send({ webhook_url: receiver.url })
    .expect(200);
  return merchant;
}

/** Creates one payment per instrument, `parallel` requests at a time; every one must be a 201. */
async function createPayments(
  gateway: Gateway,
  creds: Credentials,
  instruments: Instrument[],
  parallel = 10,
): Promise<PaymentBody[]> {
  const created: PaymentBody[] = new Array<PaymentBody>(instruments.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < instruments.length) {
      const index = next++;
      const order = await createOrder(creds, { amount: 10000 + index }, gateway.url);
      created[index] = (await createPayment(
        order.id,
        instruments[index],
        creds,
        gateway.url,
      )) as unknown as PaymentBody;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  for (const payment of created) {
    expect(payment.status).toBe('pending');
  }
  return created;
}

async function statuses(databaseUrl: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; status: string }>(
    'SELECT id, status FROM payments WHERE id = ANY($1::text[])',
    [ids],
    databaseUrl,
  );
  return new Map(rows.map((row) => [row.id, row.status]));
}

async function countNotFinal(databaseUrl: string, ids: string[]): Promise<number> {
  const current = await statuses(databaseUrl, ids);
  return ids.filter((id) => !FINAL.includes(current.get(id) ?? '')).length;
}

async function waitAllFinal(databaseUrl: string, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let left = ids.length;
  while (Date.now() < deadline) {
    left = await countNotFinal(databaseUrl, ids);
    if (left === 0) {
      return;
    }
    await sleep(500);
  }
  throw new Error(`${left} of ${ids.length} payment(s) still not final after ${timeoutMs} ms`);
}

/** Final-event webhook_logs rows per payment id. */
async function finalEvents(databaseUrl: string, ids: string[]): Promise<Map<string, string[]>> {
  const rows = await sql<{ id: string; event: string }>(
    `SELECT payload->'data'->'payment'->>'id' AS id, event FROM webhook_logs
     WHERE event IN ('payment.success', 'payment.failed') AND payload->'data'->'payment'->>'id' = ANY($1::text[])`,
    [ids],
    databaseUrl,
  );
  const byPayment = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    byPayment.get(row.id)?.push(row.event);
  }
  return byPayment;
}

/**
 * Every payment has the final status its instrument dictates and exactly one final event; only the
 * payments that break this are listed, so a failure names them.
 */
async function expectSettledOnce(databaseUrl: string, payments: PaymentBody[]): Promise<void> {
  const ids = payments.map((payment) => payment.id);
  const final = await statuses(databaseUrl, ids);
  const events = await finalEvents(databaseUrl, ids);
  const wrong = payments
    .map((payment) => ({
      id: payment.id,
      instrument: payment.vpa ?? `card …${payment.card_last4}`,
      expected: expectedOutcome(payment),
      status: final.get(payment.id),
      events: events.get(payment.id),
    }))
    .filter((p) => p.status !== p.expected || p.events?.length !== 1 || p.events[0] !== `payment.${p.expected}`);
  expect(wrong).toEqual([]);
}

interface FlushScenario {
  databaseUrl: string;
  payments: PaymentBody[];
  deletedKeys: number;
}

/** Deletes this prefix's keys only (SCAN + DEL): other test runs share the Redis server. */
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

describe('resilience of payment processing (CONTRACT §6 guarantees)', () => {
  const cluster = new Cluster();
  let receiver: Receiver;

  let flushScenario: Promise<FlushScenario | Error>;

  /**
   * Payments created by an api process while no worker runs, then their jobs deleted from Redis, then a
   * worker started: only the sweeper (pending for more than 30 s) can bring them back. Arranged first so
   * that its clock runs while the other scenarios execute; the last test checks the outcome.
   */
  const arrangeFlush = async (): Promise<FlushScenario> => {
    const databaseUrl = await cluster.database();
    const queuePrefix = uniquePrefix('flush');
    const apiProcess = await cluster.start({
      http: true,
      name: 'resilience-flush-api',
      databaseUrl,
      queuePrefix,
      env: { APP_ROLE: 'api' },
    });
    const creds = await merchantWithWebhooks(apiProcess, receiver);
    const payments = await createPayments(apiProcess, creds, mixedInstruments(10));
    // Relayed: the jobs live only in Redis now.
    await eventually(async () => {
      const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM outbox', [], databaseUrl);
      return row.n === 0 ? true : undefined;
    }, 15_000);
    const deletedKeys = await deletePrefixKeys(queuePrefix);
    await cluster.start({ http: false, name: 'resilience-flush-worker', databaseUrl, queuePrefix, args: ['--worker'] });
    return { databaseUrl, payments, deletedKeys };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    flushScenario = arrangeFlush().catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
  });

  afterAll(async () => {
    // Never tear down under a scenario that is still being arranged.
    await flushScenario;
    await cluster.close();
    await receiver?.close();
  }, 120_000);

  it('should settle every payment exactly once after the worker is killed with SIGKILL mid-batch', async () => {
    const databaseUrl = await cluster.database();
    const queuePrefix = uniquePrefix('kill');
    const env = { TEST_PROCESSING_DELAY: '1000' };
    const [apiProcess, worker] = await Promise.all([
      cluster.start({
        http: true,
        name: 'resilience-kill-api',
        databaseUrl,
        queuePrefix,
        env: { ...env, APP_ROLE: 'api' },
      }),
      cluster.start({ http: false, name: 'resilience-kill-worker', databaseUrl, queuePrefix, env, args: ['--worker'] }),
    ]);
    const creds = await merchantWithWebhooks(apiProcess, receiver);
    // The worker is up once it settles a payment.
    const [warmUp] = await createPayments(apiProcess, creds, [upi('user@paytm')]);
    await waitAllFinal(databaseUrl, [warmUp.id], 60_000);

    const killed = sleep(1000).then(() => worker.stop('SIGKILL'));
    const payments = await createPayments(apiProcess, creds, mixedInstruments(200));
    await killed;
    const ids = payments.map((payment) => payment.id);
    // The kill landed mid-batch: work was left behind.
    expect(await countNotFinal(databaseUrl, ids)).toBeGreaterThan(0);

    await cluster.start({
      http: false,
      name: 'resilience-kill-worker-2',
      databaseUrl,
      queuePrefix,
      env,
      args: ['--worker'],
    });
    // Most finish at once; jobs that were active at the kill wait for BullMQ's stalled-job check
    // (the lock expires after 30 s, checks run every 30 s) or the sweeper; a loaded machine adds more.
    await waitAllFinal(databaseUrl, ids, 120_000);
    // Give a duplicate settlement, if any, the time to show up.
    await sleep(2000);
    await expectSettledOnce(databaseUrl, payments);
  }, 240_000);

  describe('with Redis behind a proxy', () => {
    let proxy: TcpProxy;

    beforeAll(async () => {
      proxy = await startTcpProxy('127.0.0.1', 6379);
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it('should accept payments while Redis is unreachable and settle them all once it is back', async () => {
      const databaseUrl = await cluster.database();
      // Start-up checks Redis, so the proxy is up while the gateway boots.
      const gateway = await cluster.start({
        http: true,
        name: 'resilience-redis-outage',
        databaseUrl,
        env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
      });
      const creds = await merchantWithWebhooks(gateway, receiver);

      await proxy.cut();
      const cutAt = Date.now();
      const payments = await createPayments(gateway, creds, mixedInstruments(10));
      const ids = payments.map((payment) => payment.id);
      const health = await api(gateway.url).get('/health');
      expect({ status: health.status, redis: health.body.redis }).toEqual({ status: 503, redis: 'disconnected' });
      await sleep(Math.max(0, 5000 - (Date.now() - cutAt)));
      // Nothing could reach a worker during the outage.
      expect([...(await statuses(databaseUrl, ids)).values()]).toEqual(ids.map(() => 'pending'));
      await proxy.restore();

      await waitAllFinal(databaseUrl, ids, 60_000);
      await sleep(2000);
      await expectSettledOnce(databaseUrl, payments);
      const [outbox] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM outbox', [], databaseUrl);
      expect(outbox.n).toBe(0);
    }, 150_000);
  });

  it("should settle payments whose jobs were flushed from Redis before they ran (this prefix's keys only)", async () => {
    const arranged = await flushScenario;
    if (arranged instanceof Error) {
      throw arranged;
    }
    const ids = arranged.payments.map((payment) => payment.id);
    expect(arranged.deletedKeys).toBeGreaterThan(0);

    // The sweeper re-creates jobs for payments pending longer than 30 s; it runs every 15 s.
    await waitAllFinal(arranged.databaseUrl, ids, 75_000);
    await sleep(2000);
    await expectSettledOnce(arranged.databaseUrl, arranged.payments);
  }, 150_000);
});
