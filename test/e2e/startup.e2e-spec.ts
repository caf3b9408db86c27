import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { api } from '../support/api.js';
import { sql } from '../support/db.js';
import {
  ADMIN_DATABASE_URL,
  REDIS_URL,
  ROOT,
  createDatabase,
  dropDatabase,
  freePort,
  startGateway,
  waitForHealthy,
  type Gateway,
  type StartOptions,
} from '../support/gateway.mjs';

const DIST = resolve(ROOT, process.env.GW_TEST_DIST ?? 'dist');
const MAIN = join(DIST, 'main.js');
/** A stack frame line as Node prints it. */
const STACK_FRAME = /^\s+at /m;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
  output: string;
  elapsedMs: number;
}

/** Like startGateway, with a longer health deadline: several Nest processes booting at once on a busy machine are slow. */
async function startAndWait(options: StartOptions): Promise<Gateway> {
  const gateway = await startGateway({ ...options, noWait: true });
  try {
    await waitForHealthy(gateway.url, 90_000, gateway.process);
  } catch (error) {
    await gateway.stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- gateway output ---\n${gateway.output()}`);
  }
  return gateway;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
}

/** Runs `node <dist>/main.js` with the test defaults plus `env` and waits for it to exit (or kills it). */
async function runMain(env: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(await freePort()),
      // A closed port: a process that wrongly accepts its configuration still cannot touch a database.
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/gw_never_used',
      REDIS_URL,
      QUEUE_PREFIX: uniqueName('gwtest_startup'),
      TEST_MODE: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    output += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.once('close', (exitCode, exitSignal) => done([exitCode, exitSignal])),
  );
  clearTimeout(timer);
  return { code, signal, timedOut, stderr, output, elapsedMs: Date.now() - started };
}

function expectCleanFailure(run: Run, ...mentions: string[]): void {
  expect({ timedOut: run.timedOut, failed: run.code !== 0 && run.code !== null }).toEqual({
    timedOut: false,
    failed: true,
  });
  for (const mention of mentions) {
    expect(run.stderr).toContain(mention);
  }
  expect(run.output).not.toMatch(STACK_FRAME);
}

describe('start-up failures', () => {
  const invalid: [string, string][] = [
    ['PORT', 'abc'],
    ['APP_ROLE', 'bogus'],
    ['UPI_SUCCESS_RATE', '2'],
    ['DATABASE_URL', 'mysql://localhost/payment_gateway'],
    ['APP_ENCRYPTION_KEY', 'too-short'],
  ];

  it.each(invalid)(
    'should refuse to start with %s=%s, naming the variable without a stack trace',
    async (name, value) => {
      const run = await runMain({ [name]: value });
      expectCleanFailure(run, name);
      expect(run.elapsedMs).toBeLessThan(30_000);
    },
    45_000,
  );

  it('should refuse to start when PostgreSQL is unreachable, naming it and the URL', async () => {
    const url = `postgresql://postgres@127.0.0.1:${await freePort()}/gw_unreachable`;
    const run = await runMain({ DATABASE_URL: url });
    expectCleanFailure(run, 'PostgreSQL', url);
  }, 45_000);

  it('should refuse to start when Redis is unreachable, naming Redis', async () => {
    const run = await runMain({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expectCleanFailure(run, 'Redis');
  }, 45_000);

  it('should refuse to start in production without APP_ENCRYPTION_KEY', async () => {
    const run = await runMain({ NODE_ENV: 'production' });
    expectCleanFailure(run, 'APP_ENCRYPTION_KEY');
  }, 45_000);
});

describe('start-up', () => {
  it('should create a missing database and become healthy', async () => {
    const url = new URL(ADMIN_DATABASE_URL);
    url.pathname = `/${uniqueName('gw_test_missing')}`;
    const databaseUrl = url.toString();
    let gateway: Gateway | undefined;
    try {
      gateway = await startAndWait({ databaseUrl, name: 'startup-missing-db' });
      const health = await api(gateway.url).get('/health').expect(200);
      expect(health.body).toMatchObject({ status: 'healthy', database: 'connected', redis: 'connected' });
      await api(gateway.url).get('/api/v1/test/merchant').expect(200);
      const tables = await sql<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        [],
        databaseUrl,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining([
          'merchants',
          'orders',
          'payments',
          'refunds',
          'webhook_logs',
          'webhook_attempts',
          'idempotency_keys',
        ]),
      );
    } finally {
      await gateway?.stop();
      await dropDatabase(databaseUrl);
    }
  }, 120_000);

  it('should remove the test endpoints, instruments and seeding in production', async () => {
    const databaseUrl = await createDatabase();
    let gateway: Gateway | undefined;
    try {
      gateway = await startAndWait({
        databaseUrl,
        name: 'startup-production',
        env: { NODE_ENV: 'production', APP_ENCRYPTION_KEY: randomBytes(32).toString('hex') },
      });
      const merchant = await api(gateway.url).get('/api/v1/test/merchant');
      expect(merchant.status).toBe(404);
      expect(merchant.body.error.code).toBe('NOT_FOUND_ERROR');
      const jobs = await api(gateway.url).get('/api/v1/test/jobs/status');
      expect(jobs.status).toBe(404);
      expect(jobs.body.error.code).toBe('NOT_FOUND_ERROR');
      expect(await sql('SELECT id FROM merchants', [], databaseUrl)).toEqual([]);

      const signup = await api(gateway.url)
        .post('/api/v1/auth/signup')
        .send({ name: 'Prod Merchant', email: 'prod@example.com', password: 'password123' })
        .expect(201);
      const cookie = ([] as string[])
        .concat(signup.headers['set-cookie'] ?? [])
        .find((value) => value.startsWith('gw_session='));
      expect(cookie).toBeDefined();
      expect(cookie!.split(';').map((part) => part.trim().toLowerCase())).toContain('secure');

      // TEST_MODE stays on, so without test instruments failure@test is just another VPA: success.
      const headers = { 'X-Api-Key': signup.body.api_key, 'X-Api-Secret': signup.body.api_secret };
      const order = await api(gateway.url).post('/api/v1/orders').set(headers).send({ amount: 50000 }).expect(201);
      const payment = await api(gateway.url)
        .post('/api/v1/payments')
        .set(headers)
        .send({ order_id: order.body.id, method: 'upi', vpa: 'failure@test' })
        .expect(201);
      const deadline = Date.now() + 15_000;
      let status = payment.body.status as string;
      while (!['success', 'failed'].includes(status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await api(gateway.url).get(`/api/v1/payments/${payment.body.id}`).set(headers)).body.status;
      }
      expect(status).toBe('success');
    } finally {
      await gateway?.stop();
      await dropDatabase(databaseUrl);
    }
  }, 120_000);

  it('should migrate once when two gateways start at the same moment on a fresh database', async () => {
    const databaseUrl = await createDatabase();
    const gateways: Gateway[] = [];
    try {
      const results = await Promise.allSettled([
        startAndWait({ databaseUrl, name: 'startup-concurrent-a' }),
        startAndWait({ databaseUrl, name: 'startup-concurrent-b' }),
      ]);
      for (const result of results) {
        if (result.status === 'fulfilled') {
          gateways.push(result.value);
        }
      }
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'healthy'))).toEqual([
        'healthy',
        'healthy',
      ]);
      for (const gateway of gateways) {
        await api(gateway.url).get('/health').expect(200);
      }
      const migrationFiles = readdirSync(join(DIST, 'migrations')).filter((file) => /^\d+-.+\.js$/.test(file));
      expect(migrationFiles.length).toBeGreaterThan(0);
      const rows = await sql<{ name: string; count: number }>(
        'SELECT name, count(*)::int AS count FROM migrations GROUP BY name',
        [],
        databaseUrl,
      );
      expect(rows).toHaveLength(migrationFiles.length);
      for (const row of rows) {
        expect(row.count).toBe(1);
      }
      const seeded = await sql("SELECT id FROM merchants WHERE email = 'test@example.com'", [], databaseUrl);
      expect(seeded).toHaveLength(1);
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await dropDatabase(databaseUrl);
    }
  }, 150_000);
});
