import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
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

jest.setTimeout(120_000);

const FINAL = ['success', 'failed'];

interface PaymentBody {
  id: string;
  order_id: string;
  status: string;
  vpa: string | null;
}

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

function uniquePrefix(label: string): string {
  return `gwtest_${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Starts a process of the cluster; HTTP roles are awaited with a generous timeout because other
 * sessions load the machine, worker-only ones (no HTTP) are returned at once.
 */
class Cluster {
  readonly processes: Gateway[] = [];
  private readonly databases: string[] = [];

  async database(): Promise<string> {
    const databaseUrl = await createDatabase();
    this.databases.push(databaseUrl);
    return databaseUrl;
  }

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

async function createPayments(gateway: Gateway, creds: Credentials, vpas: string[]): Promise<PaymentBody[]> {
  return Promise.all(
    vpas.map(async (vpa) => {
      const order = await createOrder(creds, { amount: 10000 }, gateway.url);
      const payment = (await createPayment(
        order.id,
        { method: 'upi', vpa },
        creds,
        gateway.url,
      )) as unknown as PaymentBody;
      expect(payment.status).toBe('pending');
      return payment;
    }),
  );
}

async function statuses(databaseUrl: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; status: string }>(
    'SELECT id, status FROM payments WHERE id = ANY($1::text[])',
    [ids],
    databaseUrl,
  );
  return new Map(rows.map((row) => [row.id, row.status]));
}

async function waitAllFinal(databaseUrl: string, ids: string[], timeoutMs: number): Promise<Map<string, string>> {
  return eventually(
    async () => {
      const current = await statuses(databaseUrl, ids);
      return ids.every((id) => FINAL.includes(current.get(id) ?? '')) ? current : undefined;
    },
    timeoutMs,
    250,
  );
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

const expectedOutcome = (payment: PaymentBody): string => (payment.vpa === 'failure@test' ? 'failed' : 'success');

/** Final status as the instrument dictates, and exactly one final event per payment. */
async function expectSettledOnce(databaseUrl: string, payments: PaymentBody[]): Promise<void> {
  const ids = payments.map((payment) => payment.id);
  const final = await statuses(databaseUrl, ids);
  const events = await finalEvents(databaseUrl, ids);
  const outcome = payments.map((payment) => ({
    id: payment.id,
    status: final.get(payment.id),
    events: events.get(payment.id),
  }));
  expect(outcome).toEqual(
    payments.map((payment) => ({
      id: payment.id,
      status: expectedOutcome(payment),
      events: [`payment.${expectedOutcome(payment)}`],
    })),
  );
}

async function jobsStatus(gateway: Gateway): Promise<Record<string, unknown>> {
  const response = await api(gateway.url).get('/api/v1/test/jobs/status').expect(200);
  return response.body as Record<string, unknown>;
}

/** The error code of a TCP connection attempt to 127.0.0.1:port, or null when it connects. */
function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Sends SIGTERM and reports how the process ended and how long it took. */
async function terminate(gateway: Gateway): Promise<{ code: number | null; signal: string | null; elapsedMs: number }> {
  const startedAt = Date.now();
  const code = await gateway.stop('SIGTERM');
  return { code, signal: gateway.process.signalCode, elapsedMs: Date.now() - startedAt };
}

const mixedVpas = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => (i % 3 === 2 ? 'failure@test' : i % 3 === 1 ? 'success@test' : 'user@paytm'));

describe('process roles (DESIGN "Roles and scaling")', () => {
  describe('api and worker processes on one database and one queue prefix', () => {
    const cluster = new Cluster();
    let receiver: Receiver;
    let databaseUrl: string;
    let queuePrefix: string;
    let apiProcess: Gateway;
    let creds: Credentials;
    let waiting: PaymentBody[] = [];

    beforeAll(async () => {
      receiver = await startReceiver();
      databaseUrl = await cluster.database();
      queuePrefix = uniquePrefix('roles');
      apiProcess = await cluster.start({
        http: true,
        name: 'roles-api',
        databaseUrl,
        queuePrefix,
        env: { APP_ROLE: 'api' },
      });
      creds = await merchantWithWebhooks(apiProcess, receiver);
    }, 120_000);

    afterAll(async () => {
      await cluster.close();
      await receiver?.close();
    }, 60_000);

    it('should accept payments on the api role and leave them pending while no worker runs', async () => {
      waiting = await createPayments(apiProcess, creds, mixedVpas(6));

      // Longer than the outbox relay's grace period and many times the TEST_MODE latency.
      await sleep(3000);

      const current = await statuses(
        databaseUrl,
        waiting.map((payment) => payment.id),
      );
      expect([...current.values()]).toEqual(waiting.map(() => 'pending'));
      const status = await jobsStatus(apiProcess);
      expect(status.worker_status).toBe('stopped');
      // The start jobs wait in Redis (the api role produced them, nobody consumes them).
      expect(status.pending).toBeGreaterThanOrEqual(waiting.length);
      expect(status.processing).toBe(0);
    });

    it('should complete the waiting payments once a worker process starts, and report it running', async () => {
      const worker = await cluster.start({
        http: false,
        name: 'roles-worker',
        databaseUrl,
        queuePrefix,
        args: ['--worker'],
      });

      await waitAllFinal(
        databaseUrl,
        waiting.map((payment) => payment.id),
        90_000,
      );
      await sleep(1000);
      await expectSettledOnce(databaseUrl, waiting);
      expect((await jobsStatus(apiProcess)).worker_status).toBe('running');

      // Payments created while the worker runs complete as well.
      const more = await createPayments(apiProcess, creds, mixedVpas(3));
      await waitAllFinal(
        databaseUrl,
        more.map((payment) => payment.id),
        30_000,
      );
      await expectSettledOnce(databaseUrl, more);

      // --worker has no HTTP listener on its PORT.
      expect(await connectError(worker.port)).toBe('ECONNREFUSED');
    });

    it('should exit 0 within 10 s on SIGTERM and be reported stopped once the heartbeat expires', async () => {
      const worker = cluster.processes.find((gw) => gw.process.spawnargs.includes('--worker'))!;

      const ended = await terminate(worker);

      expect(ended.elapsedMs).toBeLessThan(10_000);
      // The heartbeat TTL is 15 s.
      const stopped = await eventually(
        async () => ((await jobsStatus(apiProcess)).worker_status === 'stopped' ? true : undefined),
        22_000,
        500,
      );
      expect(stopped).toBe(true);
      // A clean exit, not death by the re-raised signal (a shell reports that as 143).
      expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 0, signal: null });
    });

    it('should process payments without an HTTP listener in APP_ROLE=worker', async () => {
      const worker = await cluster.start({
        http: false,
        name: 'roles-worker-env',
        databaseUrl,
        queuePrefix,
        env: { APP_ROLE: 'worker' },
      });
      const payments = await createPayments(apiProcess, creds, mixedVpas(3));

      await waitAllFinal(
        databaseUrl,
        payments.map((payment) => payment.id),
        90_000,
      );
      await expectSettledOnce(databaseUrl, payments);
      expect((await jobsStatus(apiProcess)).worker_status).toBe('running');
      expect(await connectError(worker.port)).toBe('ECONNREFUSED');

      const ended = await terminate(worker);
      expect(ended.elapsedMs).toBeLessThan(10_000);
    });
  });

  describe('graceful shutdown of a role-all gateway', () => {
    const cluster = new Cluster();
    let receiver: Receiver;

    beforeAll(async () => {
      receiver = await startReceiver();
    });

    afterAll(async () => {
      await cluster.close();
      await receiver?.close();
    }, 60_000);

    it('should exit within 10 s on SIGTERM with payments in flight, and a new worker should finish each exactly once', async () => {
      const databaseUrl = await cluster.database();
      const queuePrefix = uniquePrefix('shutdown');
      const env = { TEST_PROCESSING_DELAY: '2000' };
      const gateway = await cluster.start({ http: true, name: 'roles-all', databaseUrl, queuePrefix, env });
      const creds = await merchantWithWebhooks(gateway, receiver);
      const payments = await createPayments(gateway, creds, mixedVpas(20));
      const ids = payments.map((payment) => payment.id);
      // In flight: picked up by the worker, waiting for the bank, not yet final.
      await eventually(
        async () => ([...(await statuses(databaseUrl, ids)).values()].includes('processing') ? true : undefined),
        10_000,
        50,
      );

      const ended = await terminate(gateway);

      expect(ended.elapsedMs).toBeLessThan(10_000);
      const atShutdown = [...(await statuses(databaseUrl, ids)).values()];
      expect(atShutdown.filter((status) => !FINAL.includes(status)).length).toBeGreaterThan(0);

      await cluster.start({
        http: false,
        name: 'roles-worker-after-shutdown',
        databaseUrl,
        queuePrefix,
        env,
        args: ['--worker'],
      });
      await waitAllFinal(databaseUrl, ids, 90_000);
      // Give a duplicate settlement, if any, the time to show up.
      await sleep(2000);
      await expectSettledOnce(databaseUrl, payments);
    });
  });
});
