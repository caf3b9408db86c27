/**
 * Everything the benchmark needs around the thing it measures: fresh databases, Redis key cleanup, the
 * gateway and baseline child processes, the webhook receiver (a worker thread), RSS sampling, load
 * generators (autocannon, paced open-loop load), the raw webhook sender baseline and a description of
 * the machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import pg from 'pg';
import { Agent, Pool, fetch, request } from 'undici';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
export const ROOT = resolve(BENCH_DIR, '..', '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const LOG_DIR = join(RESULTS_DIR, 'logs');
export const ADMIN_DATABASE_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ??
  process.env.TEST_ADMIN_DATABASE_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The seeded test merchant (CONTRACT: outside production). */
export const API_KEY = 'key_test_abc123';
export const API_SECRET = 'secret_test_xyz789';
export const WEBHOOK_SECRET = 'whsec_test_abc123';
export const AUTH_HEADERS = { 'x-api-key': API_KEY, 'x-api-secret': API_SECRET };

/** Folder holding the gateway build (`main.js`, `migrations/`); BENCH_GATEWAY_DIST, default `dist`. */
export function gatewayDist() {
  const dir = process.env.BENCH_GATEWAY_DIST ?? 'dist';
  return isAbsolute(dir) ? dir : join(ROOT, dir);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

const createdDatabases = new Set();

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `gw_bench_<runId>_<label>` and returns its URL. */
export async function createDatabase(runId, label) {
  const name = `gw_bench_${runId}_${label}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  createdDatabases.add(name);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  createdDatabases.delete(name);
}

export async function dropAllDatabases() {
  for (const name of [...createdDatabases]) {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((error) =>
      console.error(`could not drop database ${name}: ${error.message}`),
    );
    createdDatabases.delete(name);
  }
}

/** Applies the gateway's own migrations (same schema, same indexes) without starting it. */
export async function migrate(databaseUrl) {
  const cli = join(gatewayDist(), 'database', 'migrate-cli.js');
  const child = spawn(process.execPath, [cli, 'run'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`migrations failed (exit ${code}):\n${output}`);
}

export function pool(databaseUrl, max = 4) {
  return new pg.Pool({ connectionString: databaseUrl, max });
}

// ---------------------------------------------------------------------------------------------------
// Redis

/** Deletes every key of one queue prefix with SCAN + UNLINK (never FLUSHALL: Redis is shared). */
export async function cleanRedisPrefix(prefix) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------------
// Child processes

/** VmRSS of a process in bytes (Linux /proc; falls back to `ps`), or null once it is gone. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs`; `stop()` returns { peakBytes, samples }. */
export function sampleRss(pid, intervalMs = 200) {
  let peak = 0;
  let samples = 0;
  const take = () => {
    const rss = rssOf(pid);
    if (rss !== null) {
      samples++;
      if (rss > peak) peak = rss;
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    peek: () => peak,
    stop() {
      clearInterval(timer);
      take();
      return { peakBytes: peak, samples };
    },
  };
}

/**
 * Spawns a long-running node child with its output in results/logs/<name>.log. `ready(output)` decides
 * when it is up (or pass `healthUrl`).
 */
async function spawnNode({ name, script, args = [], nodeArgs = [], env, healthUrl, timeoutMs = 60_000 }) {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = createWriteStream(join(LOG_DIR, `${name}.log`));
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    if (output.length < 200_000) output += chunk.toString();
    logFile.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  const handle = {
    name,
    process: child,
    pid: child.pid,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (handle.alive()) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      await new Promise((r) => logFile.end(r));
      return code;
    },
  };
  if (healthUrl) {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (!handle.alive()) {
        await handle.stop();
        throw new Error(
          `${name} exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${tail(output)}`,
        );
      }
      try {
        const response = await fetch(healthUrl);
        if (response.status === 200) break;
        last = `status ${response.status}`;
      } catch (error) {
        last = error.cause?.code ?? error.message;
      }
      if (Date.now() > deadline) {
        await handle.stop('SIGKILL');
        throw new Error(`${name} not healthy after ${timeoutMs} ms (${last}):\n${tail(output)}`);
      }
      await sleep(100);
    }
  }
  return handle;
}

function tail(text, lines = 30) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Node flags for the gateway: those of `npm start` (the heap limit), so the gateway runs as it does in
 * production, then BENCH_GATEWAY_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
export function gatewayNodeArgs() {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const start = scripts.start.split(/\s+/);
  const flags = start.slice(start.indexOf('node') + 1, start.indexOf('dist/main.js'));
  return [...flags, ...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];
}

/**
 * Starts `node <dist>/main.js` (role all) on a fresh port against `databaseUrl` and waits for
 * GET /health 200. The gateway migrates the database and seeds the test merchant itself.
 */
export async function startGateway({ name, databaseUrl, queuePrefix, env = {} }) {
  const main = join(gatewayDist(), 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build the gateway first (see test/bench/README.md)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const gateway = await spawnNode({
    name,
    script: main,
    nodeArgs: gatewayNodeArgs(),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      TEST_MODE: 'true',
      LOG_LEVEL: 'warn',
      ...env,
    },
    healthUrl: `${url}/health`,
  });
  return {
    ...gateway,
    url,
    port,
    queuePrefix,
    databaseUrl,
    spawnedAt: started,
    startupMs: Math.round(performance.now() - started),
  };
}

/** The raw node:http + pg baseline server (test/bench/baseline-server.mjs). */
export async function startBaselineServer({ name, databaseUrl, merchantId, poolSize }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await spawnNode({
    name,
    script: join(BENCH_DIR, 'baseline-server.mjs'),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      MERCHANT_ID: merchantId,
      DATABASE_POOL_SIZE: String(poolSize),
    },
    healthUrl: `${url}/health`,
    timeoutMs: 15_000,
  });
  return { ...server, url, port };
}

/**
 * The merchant's webhook endpoint for scenarios (d) and (e): a node:http server in a worker thread (its
 * own event loop, so it never waits for the benchmark's load generators). Answers every POST with 200
 * at once, checks X-Webhook-Signature and records arrival times. `call('reset' | 'snapshot', {ids})`.
 */
export async function startReceiver() {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'receiver', secret: WEBHOOK_SECRET } });
  let seq = 0;
  const waiting = new Map();
  const ready = new Promise((resolveReady, reject) => {
    worker.once('error', reject);
    worker.on('message', (message) => {
      if (message.port) return resolveReady(message.port);
      waiting.get(message.seq)?.(message.result);
      waiting.delete(message.seq);
    });
  });
  const port = await ready;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    webhookUrl: `${url}/webhook`,
    call: (command, args = {}) =>
      new Promise((resolveReply) => {
        const id = ++seq;
        waiting.set(id, resolveReply);
        worker.postMessage({ seq: id, command, ...args });
      }),
    stop: () => worker.terminate(),
  };
}

function runReceiver(secret) {
  const now = () => Date.now(); // the wall clock PostgreSQL's now() reads on this machine
  let state;
  const reset = () => {
    state = {
      total: 0,
      byEvent: {},
      badSignatures: 0,
      duplicates: 0,
      firstAt: null,
      lastAt: null,
      webhookIds: new Set(),
      /** payment id -> { receivedAt, updatedAt } of its first payment.success delivery. */
      success: new Map(),
    };
  };
  reset();
  const validSignature = (body, signature) => {
    if (typeof signature !== 'string' || signature.length !== 64) return false;
    return timingSafeEqual(createHmac('sha256', secret).update(body).digest(), Buffer.from(signature, 'hex'));
  };
  const server = createHttpServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }).end('OK');
      if (req.method !== 'POST') return;
      const body = Buffer.concat(chunks);
      const event = String(req.headers['x-webhook-event'] ?? 'unknown');
      const webhookId = String(req.headers['x-webhook-id'] ?? '');
      if (!validSignature(body, req.headers['x-webhook-signature'])) state.badSignatures++;
      if (state.webhookIds.has(webhookId)) state.duplicates++;
      else state.webhookIds.add(webhookId);
      state.total++;
      state.byEvent[event] = (state.byEvent[event] ?? 0) + 1;
      state.firstAt ??= at;
      state.lastAt = at;
      if (event === 'payment.success') {
        try {
          const payment = JSON.parse(body.toString('utf8')).data.payment;
          if (!state.success.has(payment.id)) {
            state.success.set(payment.id, { receivedAt: at, updatedAt: Date.parse(payment.updated_at) });
          }
        } catch {
          state.byEvent.unparsable = (state.byEvent.unparsable ?? 0) + 1;
        }
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
  parentPort.on('message', (message) => {
    let result = true;
    if (message.command === 'reset') reset();
    if (message.command === 'snapshot') {
      result = {
        total: state.total,
        byEvent: state.byEvent,
        badSignatures: state.badSignatures,
        duplicates: state.duplicates,
        firstAt: state.firstAt,
        lastAt: state.lastAt,
        successCount: state.success.size,
        ...(message.ids && { success: message.ids.map((id) => state.success.get(id) ?? null) }),
      };
    }
    parentPort.postMessage({ seq: message.seq, result });
  });
}

if (!isMainThread && workerData?.role === 'receiver') runReceiver(workerData.secret);

// ---------------------------------------------------------------------------------------------------
// The machine

/** Commit of the working tree and whether it has local changes (the gateway build may differ from both). */
export function sourceVersion() {
  try {
    const git = (...args) =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit: git('rev-parse', '--short', 'HEAD').trim(), dirty: git('status', '--porcelain').trim() !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model?.trim() ?? 'unknown',
    cpu_count: cpus.length,
    total_memory_mb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load_average_at_start: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

// ---------------------------------------------------------------------------------------------------
// Load: autocannon for closed-loop load, an undici pool for setup and paced (open-loop) load

/**
 * Runs autocannon with `connections` for `seconds` and returns the figures the report needs. `requests`
 * is autocannon's request list (use setupRequest to vary a request).
 */
export async function cannon({ url, connections, seconds, amount, requests, timeoutSeconds = 10 }) {
  const result = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    timeout: timeoutSeconds,
    requests,
  });
  const responses = result.requests.total;
  return {
    requests_per_second: round(responses / result.duration, 1),
    responses,
    duration_s: round(result.duration, 2),
    latency_ms: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.mean, 2),
    },
    errors: result.errors + result.timeouts + result.non2xx,
    error_detail: {
      connection_errors: result.errors,
      timeouts: result.timeouts,
      non_2xx: result.non2xx,
      status_codes: Object.fromEntries(
        Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]),
      ),
    },
  };
}

/** autocannon request list: POST /api/v1/payments with a fresh Idempotency-Key per request. */
export function createPaymentRequests(orderId) {
  const body = JSON.stringify({ order_id: orderId, method: 'upi', vpa: 'user@paytm' });
  return [
    {
      method: 'POST',
      path: '/api/v1/payments',
      headers: { ...AUTH_HEADERS, 'content-type': 'application/json' },
      body,
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, 'idempotency-key': randomUUID() },
      }),
    },
  ];
}

/** autocannon request list: GET /api/v1/payments/{id}, cycling through `ids`. */
export function readPaymentRequests(ids) {
  let next = 0;
  return [
    {
      method: 'GET',
      path: `/api/v1/payments/${ids[0]}`,
      headers: AUTH_HEADERS,
      setupRequest: (request) => ({ ...request, path: `/api/v1/payments/${ids[next++ % ids.length]}` }),
    },
  ];
}

/** A small JSON client over an undici Pool (keep-alive, `connections` sockets). */
export function jsonClient(baseUrl, connections = 50) {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 10_000 });
  async function call(method, path, body, headers = {}) {
    const response = await pool.request({
      method,
      path,
      headers: {
        ...AUTH_HEADERS,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.statusCode >= 400) {
      const error = new Error(`${method} ${path} -> ${response.statusCode}: ${text.slice(0, 300)}`);
      error.statusCode = response.statusCode;
      throw error;
    }
    return json;
  }
  return {
    call,
    createOrder: () => call('POST', '/api/v1/orders', { amount: 50000 }),
    createPayment: (orderId) =>
      call(
        'POST',
        '/api/v1/payments',
        { order_id: orderId, method: 'upi', vpa: 'user@paytm' },
        { 'idempotency-key': randomUUID() },
      ),
    close: () => pool.close(),
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; rejects on the first failure. */
export async function parallel(n, concurrency, task) {
  const results = new Array(n);
  let next = 0;
  async function lane() {
    while (next < n) {
      const i = next++;
      results[i] = await task(i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return results;
}

/**
 * Open-loop pacing: starts `task(i)` at t0 + i * (1000 / perSecond) ms whatever the earlier ones are
 * doing, so a slow server cannot slow the arrival rate (no coordinated omission).
 */
export async function paced(n, perSecond, task) {
  const t0 = performance.now();
  const interval = 1000 / perSecond;
  const running = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    running.push(task(i));
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  const results = await Promise.allSettled(running);
  return { results, sendSeconds, ratePerSecond: n > 1 && sendSeconds > 0 ? (n - 1) / sendSeconds : null };
}

export function round(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

// ---------------------------------------------------------------------------------------------------
// Raw webhook sender (baselines of scenarios d and e)

/**
 * The least a webhook sender can do on this machine: signs each body with the gateway's own signer
 * (X-Webhook-Signature + Standard Webhooks headers, from the build under test) and POSTs it with
 * undici's request() over a pooled Agent configured like the gateway's (keepAliveTimeout 10 s,
 * 64 connections). No database, no queue. `send({ id, event, body })` resolves true on a 2xx.
 */
export async function createRawSender({ url, secret }) {
  const { webhookHeaders } = await import(pathToFileURL(join(gatewayDist(), 'webhooks', 'webhook-signer.js')).href);
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  return {
    async send(delivery) {
      const headers = webhookHeaders({
        secret,
        logId: delivery.id,
        event: delivery.event,
        body: delivery.body,
        timestamp: Math.floor(Date.now() / 1000),
      });
      try {
        const response = await request(url, {
          method: 'POST',
          headers,
          body: delivery.body,
          dispatcher: agent,
          headersTimeout: 5000,
          bodyTimeout: 5000,
          signal: AbortSignal.timeout(5000),
        });
        await response.body.text();
        return response.statusCode >= 200 && response.statusCode < 300;
      } catch {
        return false;
      }
    },
    close: () => agent.close(),
  };
}

/**
 * Sends every `{ id, event, body }` in `deliveries` with at most `inFlight` requests at once.
 * Resolves with { sent, failed, seconds }.
 */
export async function rawSend({ url, secret, deliveries, inFlight = 256 }) {
  const sender = await createRawSender({ url, secret });
  let next = 0;
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  async function lane() {
    while (next < deliveries.length) {
      if (await sender.send(deliveries[next++])) sent++;
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, deliveries.length) }, lane));
  const seconds = (performance.now() - started) / 1000;
  await sender.close();
  return { sent, failed, seconds };
}

// ---------------------------------------------------------------------------------------------------
// CPU profiles

/**
 * Prints a summary of a V8 .cpuprofile (from `node --cpu-prof`): the top functions by self time, self
 * time grouped by package / gateway source file, and the gateway's own functions by inclusive time.
 * `skipSeconds` drops the start of the profile (start-up) so the figures describe the load.
 */
export function summariseProfile(file, { skipSeconds = 0, untilSeconds, top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const skipUs = skipSeconds * 1e6;
  const untilUs = untilSeconds === undefined ? Infinity : untilSeconds * 1e6;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  /** Where a function lives: a package name, a gateway source file, node internals or a V8 pseudo-frame. */
  function place(url) {
    if (!url) return '(v8/native)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    if (url.startsWith('node:')) return 'node:internals';
    const own = /\/(?:dist|\.build\/[^/]+)\/(.+)$/.exec(url);
    if (own) return `gateway ${own[1]}`;
    return url.replace(/^file:\/\//, '');
  }
  function label(node) {
    const f = node.callFrame;
    const name = f.functionName || '(anonymous)';
    if (!f.url) return name;
    return `${name}  ${place(f.url)}:${f.lineNumber + 1}`;
  }

  const self = new Map();
  const byPlace = new Map();
  const total = new Map();
  let sampled = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const elapsed = t - profile.startTime;
    if (elapsed < skipUs || elapsed > untilUs) continue;
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i];
    const node = nodes.get(profile.samples[i]);
    sampled += dt;
    const key = label(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const where = node.callFrame.url ? place(node.callFrame.url) : node.callFrame.functionName;
    byPlace.set(where, (byPlace.get(where) ?? 0) + dt);
    // Inclusive time of gateway functions, each counted once per stack.
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const frame = nodes.get(id);
      if (!place(frame.callFrame.url).startsWith('gateway ')) continue;
      const k = label(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
  }

  const ms = (us) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us) => `${((100 * us) / sampled).toFixed(1).padStart(5)}%`;
  function print(title, map, n) {
    console.log(`\n${title}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
      console.log(`${ms(us)} ms ${pct(us)}  ${key}`);
  }
  const durationS = (profile.endTime - profile.startTime) / 1e6;
  console.log(
    `${file}: ${durationS.toFixed(1)} s profiled, ${(sampled / 1e6).toFixed(1)} s analysed (from ${skipUs / 1e6} s)`,
  );
  print(`Top ${top} functions by self time`, self, top);
  print('Self time by package / gateway file', byPlace, top);
  print(`Gateway functions by total (inclusive) time`, total, top);
}
