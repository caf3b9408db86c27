/**
 * The scenarios of test/bench/README.md and the run context they share. Each scenario receives the
 * context (sizes, gateway and baseline sessions, the webhook receiver) and returns a plain result
 * object; run.mjs turns results into the table.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  AUTH_HEADERS,
  REDIS_URL,
  WEBHOOK_SECRET,
  cannon,
  cleanRedisPrefix,
  createDatabase,
  createPaymentRequests,
  dropAllDatabases,
  dropDatabase,
  gatewayDist,
  jsonClient,
  migrate,
  paced,
  parallel,
  percentile,
  pool,
  createRawSender,
  rawSend,
  readPaymentRequests,
  round,
  sampleRss,
  sleep,
  startBaselineServer,
  startGateway,
  startReceiver,
} from './infra.mjs';

const MB = 2 ** 20;
const mb = (bytes) => round(bytes / MB, 1);

/** Sizes of a full run and of `--smoke` (a few seconds per scenario, only proves the scenarios work). */
export const SIZES = {
  full: {
    warmupSeconds: 3,
    warmupRequests: 0,
    loadSeconds: 15,
    connections: 50,
    readIds: 200,
    pipelinePayments: 1000,
    pipelineDelayMs: 5000,
    pipelineTimeoutS: 120,
    realisticDelayMs: [5000, 10000],
    webhookLatencyPayments: 500,
    webhookLatencyRate: 100,
    webhookLatencyDelayMs: 1000,
    webhookEvents: 5000,
    webhookWarmupEvents: 500,
    webhookTimeoutS: 180,
    webhookApiSeconds: 10,
    webhookApiConnections: 10,
  },
  smoke: {
    warmupSeconds: 0,
    warmupRequests: 3,
    loadSeconds: 1,
    connections: 10,
    readIds: 20,
    pipelinePayments: 20,
    pipelineDelayMs: 500,
    pipelineTimeoutS: 30,
    realisticDelayMs: [1000, 2000],
    webhookLatencyPayments: 20,
    webhookLatencyRate: 100,
    webhookLatencyDelayMs: 500,
    webhookEvents: 20,
    webhookWarmupEvents: 0,
    webhookTimeoutS: 30,
    webhookApiSeconds: 1,
    webhookApiConnections: 4,
  },
};

/**
 * The gateway environment of each scenario (on top of NODE_ENV=test, TEST_MODE=true, LOG_LEVEL=warn).
 * (a), (b) and (e) do not depend on the bank latency; they use (c)'s so that --smoke can share one gateway.
 */
export function gatewayEnv(sizes, scenario) {
  // The rate limiter stays on (its Redis round-trip is part of every request) but can never block the load.
  const limits = { RATE_LIMIT_API_PER_MINUTE: '100000000', RATE_LIMIT_PUBLIC_PER_MINUTE: '100000000' };
  if (scenario === 'd') return { ...limits, TEST_PROCESSING_DELAY: String(sizes.webhookLatencyDelayMs) };
  if (scenario === 'c2') {
    const [min, max] = sizes.realisticDelayMs;
    return {
      ...limits,
      TEST_MODE: 'false',
      PROCESSING_DELAY_MIN: String(min),
      PROCESSING_DELAY_MAX: String(max),
      UPI_SUCCESS_RATE: '1',
    };
  }
  return { ...limits, TEST_PROCESSING_DELAY: String(sizes.pipelineDelayMs) };
}

// ---------------------------------------------------------------------------------------------------
// Shared steps

/** Warm-up (discarded) then the measured autocannon run, sampling the server's RSS throughout. */
async function measuredLoad(ctx, { url, pid, requests, spawnedAt }) {
  const rss = sampleRss(pid);
  try {
    // Warm-up (JIT, connections, pools): seconds in a full run, a few requests per connection in --smoke.
    const { warmupSeconds, warmupRequests, connections } = ctx.sizes;
    if (warmupSeconds > 0 || warmupRequests > 0) {
      await cannon({ url, connections, seconds: warmupSeconds, amount: warmupRequests * connections, requests });
    }
    const from = performance.now();
    const figures = await cannon({ url, connections: ctx.sizes.connections, seconds: ctx.sizes.loadSeconds, requests });
    const to = performance.now();
    return {
      ...figures,
      peak_rss_mb: mb(rss.stop().peakBytes),
      // Seconds since the process was spawned: --skip-seconds / --until-seconds for a CPU profile of it.
      ...(spawnedAt && { load_window_s: [round((from - spawnedAt) / 1000, 1), round((to - spawnedAt) / 1000, 1)] }),
    };
  } finally {
    rss.stop();
  }
}

/** Counts of work the gateway still has to do (PostgreSQL is the truth). */
async function backlog(db) {
  const {
    rows: [row],
  } = await db.query(
    `SELECT (SELECT count(*) FROM payments WHERE status IN ('pending', 'processing'))::int AS payments,
            (SELECT count(*) FROM outbox)::int AS outbox,
            (SELECT count(*) FROM webhook_logs WHERE status = 'pending')::int AS webhooks`,
  );
  return row;
}

/** Waits until the gateway has nothing left to do, so the next measurement starts quiet. */
export async function waitForQuiet(db, timeoutS = 60) {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const left = await backlog(db);
    if (left.payments === 0 && left.outbox === 0 && left.webhooks === 0) return;
    if (Date.now() > deadline) throw new Error(`gateway still busy after ${timeoutS} s: ${JSON.stringify(left)}`);
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------------
// (a) create payment, (b) read payment

/**
 * A baseline measured before and after the gateway (B-G-B), so that load drifting on a shared machine
 * shows instead of silently skewing the ratio: the mean of both runs, both runs, and their drift.
 */
function bracketed(before, after, key = 'requests_per_second') {
  const mean = (a, b) => (a === null || b === null ? null : round((a + b) / 2, 1));
  const value = mean(before[key], after[key]);
  return {
    [key]: value,
    ...(before.latency_ms && {
      latency_ms: {
        p50: mean(before.latency_ms.p50, after.latency_ms.p50),
        p99: mean(before.latency_ms.p99, after.latency_ms.p99),
      },
    }),
    ...(before.errors !== undefined && {
      errors: before.errors + after.errors,
      responses: before.responses + after.responses,
    }),
    ...(before.peak_rss_mb !== undefined && { peak_rss_mb: Math.max(before.peak_rss_mb, after.peak_rss_mb) }),
    drift: value ? round(Math.abs(before[key] - after[key]) / value, 2) : null,
    before,
    after,
  };
}

export async function createPayment(ctx) {
  const server = await ctx.baseline('a_base');
  const baselineLoad = () =>
    measuredLoad(ctx, { url: server.url, pid: server.pid, requests: createPaymentRequests(server.orderId) });
  const before = await baselineLoad();
  const session = await ctx.gateway('a');
  const api = jsonClient(session.url, 2);
  let gateway;
  try {
    const order = await api.createOrder();
    gateway = await measuredLoad(ctx, {
      url: session.url,
      pid: session.pid,
      spawnedAt: session.spawnedAt,
      requests: createPaymentRequests(order.id),
    });
    const {
      rows: [{ created }],
    } = await session.db.query(`SELECT count(*)::int AS created FROM payments`);
    gateway.payments_in_database = created;
  } finally {
    await api.close();
  }
  const startupMs = session.startupMs;
  await ctx.stopGateways(); // its workers would still be processing what it created
  const baseline = bracketed(before, await baselineLoad());
  return {
    gateway,
    baseline,
    ratio: round(gateway.requests_per_second / baseline.requests_per_second, 2),
    gateway_startup_ms: startupMs,
  };
}

export async function readPayment(ctx) {
  const n = ctx.sizes.readIds;
  const server = await ctx.baseline('b_base');
  const baselineApi = jsonClient(server.url, 10);
  let baselineIds;
  try {
    baselineIds = (await parallel(n, 10, () => baselineApi.createPayment(server.orderId))).map((p) => p.id);
  } finally {
    await baselineApi.close();
  }
  const baselineLoad = () =>
    measuredLoad(ctx, { url: server.url, pid: server.pid, requests: readPaymentRequests(baselineIds) });
  const before = await baselineLoad();
  const session = await ctx.gateway('b');
  const api = jsonClient(session.url, 10);
  let gateway;
  try {
    const order = await api.createOrder();
    const ids = (await parallel(n, 10, () => api.createPayment(order.id))).map((p) => p.id);
    // Read a quiet gateway: the payments just created are processed before the load starts.
    await waitForQuiet(session.db);
    gateway = await measuredLoad(ctx, {
      url: session.url,
      pid: session.pid,
      spawnedAt: session.spawnedAt,
      requests: readPaymentRequests(ids),
    });
  } finally {
    await api.close();
  }
  await ctx.stopGateways();
  const baseline = bracketed(before, await baselineLoad());
  return {
    gateway,
    baseline,
    ratio: round(gateway.requests_per_second / baseline.requests_per_second, 2),
  };
}

// ---------------------------------------------------------------------------------------------------
// (c) pipeline, (c2) the same with the realistic 5-10 s bank latency

async function pipeline(ctx, label, bankDelayMs) {
  const n = ctx.sizes.pipelinePayments;
  const session = await ctx.gateway(label);
  const api = jsonClient(session.url, 50);
  const rss = sampleRss(session.pid);
  try {
    const order = await api.createOrder();
    const t0 = performance.now();
    const ids = (await parallel(n, 50, () => api.createPayment(order.id))).map((p) => p.id);
    const creationS = (performance.now() - t0) / 1000;
    const deadline = Date.now() + ctx.sizes.pipelineTimeoutS * 1000;
    let final = 0;
    let allFinalS = null;
    for (;;) {
      const {
        rows: [row],
      } = await session.db.query(
        `SELECT count(*) FILTER (WHERE status IN ('success', 'failed'))::int AS final,
                count(*) FILTER (WHERE status = 'success')::int AS success
         FROM payments WHERE id = ANY($1)`,
        [ids],
      );
      final = row.final;
      if (final === n) {
        allFinalS = (performance.now() - t0) / 1000;
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    const {
      rows: [spread],
    } = await session.db.query(
      `SELECT extract(epoch FROM max(updated_at) - min(created_at))::float8 AS span_s,
              count(*) FILTER (WHERE status = 'success')::int AS success
       FROM payments WHERE id = ANY($1)`,
      [ids],
    );
    return {
      payments: n,
      bank_delay_ms: bankDelayMs,
      creation_s: round(creationS, 2),
      creation_per_second: round(n / creationS, 0),
      all_final_s: round(allFinalS, 2),
      final,
      success: spread.success,
      ideal_s: round(Math.max(...[bankDelayMs].flat()) / 1000 + creationS, 2),
      database_span_s: round(spread.span_s, 2),
      peak_rss_mb: mb(rss.stop().peakBytes),
      timed_out: allFinalS === null,
      load_window_s: [
        round((t0 - session.spawnedAt) / 1000, 1),
        round((performance.now() - session.spawnedAt) / 1000, 1),
      ],
    };
  } finally {
    rss.stop();
    await api.close();
  }
}

export function pipelineTestMode(ctx) {
  return pipeline(ctx, 'c', ctx.sizes.pipelineDelayMs);
}

export function pipelineRealistic(ctx) {
  return pipeline(ctx, 'c2', ctx.sizes.realisticDelayMs);
}

// ---------------------------------------------------------------------------------------------------
// (d) webhook latency

/** Waits until the receiver has a payment.success for every id (or the deadline), then the latency figures. */
async function successLatencies(receiver, ids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let snapshot;
  for (;;) {
    snapshot = await receiver.call('snapshot', { ids });
    if (snapshot.success.every(Boolean) || Date.now() > deadline) break;
    await sleep(200);
  }
  const latencies = snapshot.success
    .filter(Boolean)
    .map((s) => s.receivedAt - s.updatedAt)
    .sort((a, b) => a - b);
  return {
    delivered: latencies.length,
    missing: ids.length - latencies.length,
    latency_ms: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
      min: latencies[0] ?? null,
    },
    receiver: { total: snapshot.total, by_event: snapshot.byEvent, bad_signatures: snapshot.badSignatures },
  };
}

/**
 * Baseline of (d): the floor for "final status -> receiver" on this machine. At the same steady rate,
 * one statement sets a payment final (UPDATE ... updated_at = now() RETURNING *, autocommit) and the
 * raw sender signs and POSTs its payment.success at once: no outbox, no queue, no worker.
 */
async function rawWebhookLatency(ctx, receiver, n, rate) {
  const server = await ctx.baseline('d_base');
  const client = jsonClient(server.url, 10);
  const db = pool(server.databaseUrl, 20);
  const sender = await createRawSender({ url: receiver.webhookUrl, secret: WEBHOOK_SECRET });
  try {
    const ids = (await parallel(n, 10, () => client.createPayment(server.orderId))).map((p) => p.id);
    // Warm-up: open the pool's connections and the sender's sockets before measuring.
    await Promise.all(Array.from({ length: 20 }, () => db.query('SELECT 1')));
    const warmBody = JSON.stringify({ event: 'webhook.test', timestamp: 0, data: {} });
    await parallel(64, 64, () => sender.send({ id: randomUUID(), event: 'webhook.test', body: warmBody }));
    await receiver.call('reset');
    const { ratePerSecond } = await paced(n, rate, async (i) => {
      const {
        rows: [row],
      } = await db.query(
        `UPDATE payments SET status = 'success', updated_at = now() WHERE id = $1
         RETURNING id, order_id, amount, currency, method, vpa, status, captured, created_at, updated_at`,
        [ids[i]],
      );
      const payment = { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
      const event = 'payment.success';
      const body = JSON.stringify({ event, timestamp: Math.floor(Date.now() / 1000), data: { payment } });
      await sender.send({ id: randomUUID(), event, body });
    });
    return { achieved_rate_per_second: round(ratePerSecond, 1), ...(await successLatencies(receiver, ids, 30_000)) };
  } finally {
    await sender.close();
    await db.end();
    await client.close();
  }
}

export async function webhookLatency(ctx) {
  const n = ctx.sizes.webhookLatencyPayments;
  const rate = ctx.sizes.webhookLatencyRate;
  const receiver = await ctx.receiver();
  const baseline = await rawWebhookLatency(ctx, receiver, n, rate);

  const session = await ctx.gateway('d');
  const api = jsonClient(session.url, 50);
  try {
    await api.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.webhookUrl });
    const order = await api.createOrder();
    await receiver.call('reset');
    const createLatencies = [];
    const { results, ratePerSecond } = await paced(n, rate, async () => {
      const began = performance.now();
      const payment = await api.createPayment(order.id);
      createLatencies.push(performance.now() - began);
      return payment.id;
    });
    const failedCreates = results.filter((r) => r.status === 'rejected');
    if (failedCreates.length > 0) {
      throw new Error(`${failedCreates.length} payment creations failed: ${failedCreates[0].reason.message}`);
    }
    const ids = results.map((r) => r.value);
    const gateway = await successLatencies(receiver, ids, ctx.sizes.webhookLatencyDelayMs + 60_000);
    createLatencies.sort((a, b) => a - b);
    await api.call('PUT', '/api/v1/webhooks/config', { webhook_url: null });
    return {
      payments: n,
      rate_per_second: rate,
      gateway: {
        achieved_rate_per_second: round(ratePerSecond, 1),
        ...gateway,
        create_latency_ms: {
          p50: round(percentile(createLatencies, 50), 1),
          p99: round(percentile(createLatencies, 99), 1),
        },
      },
      baseline,
    };
  } finally {
    await api.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// (e) webhook throughput

function deliveries(n, prefix) {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: n }, (_, i) => {
    const id = randomUUID();
    const now = new Date().toISOString();
    const payment = {
      id: `pay_${prefix}${String(i).padStart(10, '0')}`,
      order_id: 'order_bench00000000001',
      amount: 50000,
      currency: 'INR',
      method: 'upi',
      vpa: 'user@paytm',
      card_network: null,
      card_last4: null,
      status: 'success',
      captured: false,
      error_code: null,
      error_description: null,
      created_at: now,
      updated_at: now,
    };
    const event = 'payment.success';
    return { id, event, body: JSON.stringify({ event, timestamp, data: { payment } }) };
  });
}

async function waitForDeliveries(receiver, n, timeoutS) {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const snapshot = await receiver.call('snapshot');
    if (snapshot.total >= n || Date.now() > deadline) return snapshot;
    await sleep(100);
  }
}

function throughput(snapshot, n, startedAt) {
  const windowS = snapshot.lastAt && snapshot.firstAt ? (snapshot.lastAt - snapshot.firstAt) / 1000 : null;
  return {
    events: n,
    delivered: snapshot.total,
    deliveries_per_second: windowS ? round((snapshot.total - 1) / windowS, 0) : null,
    first_to_last_s: round(windowS, 2),
    start_to_last_s: snapshot.lastAt ? round((snapshot.lastAt - startedAt) / 1000, 2) : null,
    bad_signatures: snapshot.badSignatures,
    duplicates: snapshot.duplicates,
  };
}

/** webhook_logs rows (pending, due now) exactly as WebhookEventsService writes them, plus their BullMQ jobs. */
async function injectBacklog(session, merchantId, batch) {
  const { DEFAULT_JOB_OPTIONS, JOBS, QUEUES, jobId } = await import(
    pathToFileURL(join(gatewayDist(), 'jobs', 'queues.js')).href
  );
  for (let i = 0; i < batch.length; i += 1000) {
    const chunk = batch.slice(i, i + 1000);
    await session.db.query(
      `INSERT INTO webhook_logs (id, merchant_id, event, payload, body, next_retry_at)
       SELECT e.id, $1, e.event, e.body::jsonb, e.body, now()
       FROM unnest($2::uuid[], $3::text[], $4::text[]) AS e(id, event, body)`,
      [merchantId, chunk.map((d) => d.id), chunk.map((d) => d.event), chunk.map((d) => d.body)],
    );
  }
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES.webhooks, {
    connection,
    prefix: session.queuePrefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  const startedAt = Date.now();
  try {
    for (let i = 0; i < batch.length; i += 500) {
      await queue.addBulk(
        batch.slice(i, i + 500).map((d) => ({
          name: JOBS.deliverWebhook,
          data: { webhookLogId: d.id },
          opts: { jobId: jobId('webhook', d.id, 1) },
        })),
      );
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  return startedAt;
}

export async function webhookThroughput(ctx) {
  const n = ctx.sizes.webhookEvents;
  const warm = ctx.sizes.webhookWarmupEvents;
  const receiver = await ctx.receiver();

  // Baseline: the raw undici sender, warmed up, then n deliveries; again after the gateway (B-G-B).
  const rawRun = async (prefix) => {
    if (warm > 0) {
      await rawSend({ url: receiver.webhookUrl, secret: WEBHOOK_SECRET, deliveries: deliveries(warm, 'w') });
    }
    await receiver.call('reset');
    const rawStartedAt = Date.now();
    const raw = await rawSend({ url: receiver.webhookUrl, secret: WEBHOOK_SECRET, deliveries: deliveries(n, prefix) });
    return { ...throughput(await waitForDeliveries(receiver, n, 30), n, rawStartedAt), failed: raw.failed };
  };
  const before = await rawRun('r');

  // Gateway: n due deliveries injected at once (rows + jobs), counted at the receiver.
  const session = await ctx.gateway('e');
  const api = jsonClient(session.url, 20);
  const rss = sampleRss(session.pid);
  try {
    await api.call('PUT', '/api/v1/webhooks/config', { webhook_url: receiver.webhookUrl });
    const { id: merchantId } = await api.call('GET', '/api/v1/test/merchant');
    if (warm > 0) {
      await receiver.call('reset');
      await injectBacklog(session, merchantId, deliveries(warm, 'v'));
      await waitForDeliveries(receiver, warm, ctx.sizes.webhookTimeoutS);
      await waitForQuiet(session.db);
    }
    await receiver.call('reset');
    const since = (t) => round((t - session.spawnedAt) / 1000, 1);
    const from = performance.now();
    const startedAt = await injectBacklog(session, merchantId, deliveries(n, 'g'));
    const gateway = throughput(await waitForDeliveries(receiver, n, ctx.sizes.webhookTimeoutS), n, startedAt);
    gateway.load_window_s = [since(from), since(performance.now())];
    const {
      rows: [logs],
    } = await session.db.query(
      `SELECT count(*) FILTER (WHERE status = 'success')::int AS success, count(*)::int AS total FROM webhook_logs`,
    );
    gateway.logs_success = logs.success;
    gateway.peak_rss_mb = mb(rss.peek());

    // End to end through the API: POST /api/v1/webhooks/test in a loop, deliveries counted at the receiver.
    await waitForQuiet(session.db, ctx.sizes.webhookTimeoutS);
    await receiver.call('reset');
    const apiStartedAt = Date.now();
    const apiFrom = performance.now();
    const load = await cannon({
      url: session.url,
      connections: ctx.sizes.webhookApiConnections,
      seconds: ctx.sizes.webhookApiSeconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/webhooks/test',
          headers: AUTH_HEADERS,
        },
      ],
    });
    // Count the events the gateway recorded once it is quiet (requests in flight when autocannon
    // stopped still create events, and autocannon does not count their answers).
    await sleep(1000);
    await waitForQuiet(session.db, ctx.sizes.webhookTimeoutS);
    const {
      rows: [{ created }],
    } = await session.db.query(`SELECT count(*)::int AS created FROM webhook_logs WHERE event = 'webhook.test'`);
    const viaApi = {
      ...throughput(await waitForDeliveries(receiver, created, ctx.sizes.webhookTimeoutS), created, apiStartedAt),
      api_requests_per_second: load.requests_per_second,
      api_errors: load.errors,
      api_latency_ms: load.latency_ms,
      load_window_s: [since(apiFrom), since(performance.now())],
    };
    await api.call('PUT', '/api/v1/webhooks/config', { webhook_url: null });
    const peakRssMb = mb(rss.stop().peakBytes);
    await ctx.stopGateways();
    const baseline = bracketed(before, await rawRun('s'), 'deliveries_per_second');
    baseline.bad_signatures = before.bad_signatures + baseline.after.bad_signatures;
    baseline.delivered = Math.min(before.delivered, baseline.after.delivered);
    baseline.events = n;
    return {
      gateway,
      baseline,
      ratio: gateway.deliveries_per_second && round(gateway.deliveries_per_second / baseline.deliveries_per_second, 2),
      via_api: {
        ...viaApi,
        ratio: viaApi.deliveries_per_second && round(viaApi.deliveries_per_second / baseline.deliveries_per_second, 2),
      },
      peak_rss_mb: peakRssMb,
    };
  } finally {
    rss.stop();
    await api.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Run context
/**
 * The run context handed to every scenario: gateway and baseline sessions (each on a fresh database,
 * the gateway with its own queue prefix), the webhook receiver, and cleanup of all of it.
 *
 * A full run gives every scenario its own gateway and baseline server, started after the previous
 * scenario's are gone, so no scenario measures another one's backlog. --smoke reuses a running gateway
 * whose environment is the same (after it has gone quiet) and one baseline server, to stay short.
 */

/** A database with the gateway's schema (its own migrations), one merchant and one order. */
async function baselineDatabase(runId, label) {
  const databaseUrl = await createDatabase(runId, label);
  await migrate(databaseUrl);
  const db = pool(databaseUrl, 1);
  try {
    const {
      rows: [merchant],
    } = await db.query(
      `INSERT INTO merchants (name, email, password_hash, api_key, api_secret)
       VALUES ('Baseline', 'baseline@example.com', 'x', 'key_baseline', 'x') RETURNING id`,
    );
    const orderId = 'order_baseline00000001';
    await db.query(`INSERT INTO orders (id, merchant_id, amount) VALUES ($1, $2, 50000)`, [orderId, merchant.id]);
    return { databaseUrl, merchantId: merchant.id, orderId };
  } finally {
    await db.end();
  }
}

export function createContext(runId, smoke) {
  const sizes = smoke ? SIZES.smoke : SIZES.full;
  /** Running gateways by environment (a full run keeps at most one). */
  const gateways = new Map();
  let baseline = null;
  let receiver = null;
  const logErrors = {};
  const envKey = (env) => JSON.stringify(Object.entries(env).sort());

  async function launchGateway(label, env) {
    const databaseUrl = await createDatabase(runId, label);
    const queuePrefix = `gwbench_${runId}_${label}`;
    const started = await startGateway({ name: `${runId}-gateway-${label}`, databaseUrl, queuePrefix, env });
    console.log(`  gateway ${label} up in ${started.startupMs} ms (pid ${started.pid}, ${JSON.stringify(env)})`);
    return { ...started, label, env, db: pool(databaseUrl, 4) };
  }

  async function closeGateway(key) {
    const pending = gateways.get(key);
    if (!pending) return;
    gateways.delete(key);
    const session = await pending.catch(() => null);
    if (!session) return;
    await session.db.end().catch(() => undefined);
    const code = await session.stop();
    if (code !== 0 && code !== 'SIGTERM') console.warn(`  (gateway ${session.label} exited with ${code})`);
    // Errors the gateway logged (pino level >= 50) while it was measured.
    const errors = session
      .output()
      .split('\n')
      .filter((line) => /"level":(5|6)\d/.test(line));
    if (errors.length > 0) {
      console.warn(`  gateway ${session.label} logged ${errors.length} error(s), e.g. ${errors[0].slice(0, 300)}`);
      logErrors[session.label] = { count: errors.length, first: errors.slice(0, 3) };
    }
    await dropDatabase(session.databaseUrl).catch((error) =>
      console.warn(`  could not drop database: ${error.message}`),
    );
    await cleanRedisPrefix(session.queuePrefix).catch((error) =>
      console.warn(`  could not clean Redis: ${error.message}`),
    );
  }

  async function closeBaseline() {
    if (!baseline) return;
    const pending = baseline;
    baseline = null;
    const session = await pending.catch(() => null);
    if (!session) return;
    await session.stop();
    await dropDatabase(session.databaseUrl).catch((error) =>
      console.warn(`  could not drop database: ${error.message}`),
    );
  }

  async function launchBaseline(label) {
    const { databaseUrl, merchantId, orderId } = await baselineDatabase(runId, label);
    const server = await startBaselineServer({ name: `${runId}-${label}`, databaseUrl, merchantId, poolSize: 20 });
    return { ...server, databaseUrl, orderId };
  }

  return {
    runId,
    smoke,
    sizes,
    /** Error lines from the gateways' logs, by gateway label. */
    logErrors,

    /**
     * --smoke only: starts, in parallel, everything the selected scenarios will need (the baseline
     * server and one gateway per distinct environment), so start-up costs are paid once.
     */
    async prestart(scenarios) {
      if (!smoke) return;
      const jobs = [];
      if (scenarios.includes('a') || scenarios.includes('b')) jobs.push(this.baseline('base'));
      for (const scenario of scenarios) jobs.push(this.gateway(scenario, { wait: false }));
      await Promise.all(jobs);
    },

    /** A gateway (role all, NODE_ENV=test, TEST_MODE unless its env says otherwise) on a fresh database. */
    async gateway(scenario, { wait = true } = {}) {
      const env = gatewayEnv(sizes, scenario);
      const key = envKey(env);
      if (smoke && gateways.has(key)) {
        const session = await gateways.get(key);
        if (session.alive()) {
          if (wait) await waitForQuiet(session.db);
          return session;
        }
        await closeGateway(key);
      }
      if (!smoke) {
        // One gateway at a time (the baseline server, if any, stays up idle for its second run).
        for (const other of [...gateways.keys()]) await closeGateway(other);
      }
      const pending = launchGateway(scenario, env);
      gateways.set(key, pending);
      return pending;
    },

    /** The raw node:http + pg baseline server on a fresh database with the same schema. */
    async baseline(label) {
      if (baseline && smoke) {
        const session = await baseline;
        if (session.alive()) return session;
        await closeBaseline();
      }
      await closeBaseline();
      baseline = launchBaseline(label);
      return baseline;
    },

    async receiver() {
      receiver ??= startReceiver();
      return receiver;
    },

    /** A full run stops its gateway(s) before a baseline is measured again; --smoke keeps them. */
    async stopGateways() {
      if (smoke) return;
      for (const key of [...gateways.keys()]) await closeGateway(key);
    },

    /** After each scenario: a full run stops its gateway and baseline so the next one starts quiet. */
    async afterScenario() {
      if (smoke) return;
      await closeBaseline();
      for (const key of [...gateways.keys()]) await closeGateway(key);
    },

    async close() {
      await closeBaseline().catch((error) => console.warn(`  cleanup: ${error.message}`));
      for (const key of [...gateways.keys()]) {
        await closeGateway(key).catch((error) => console.warn(`  cleanup: ${error.message}`));
      }
      if (receiver) await (await receiver.catch(() => null))?.stop().catch(() => undefined);
      receiver = null;
      await dropAllDatabases();
    },
  };
}
