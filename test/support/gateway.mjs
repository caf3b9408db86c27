/**
 * Starts the real, built gateway (`node dist/main.js`) as a child process against the real PostgreSQL
 * and Redis, the way an operator runs it. Every e2e and browser test talks to such a process over HTTP.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const LOG_DIR = join(ROOT, 'artifacts', 'logs');

/** @returns {Promise<number>} */
export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function uniqueSuffix() {
  return `${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
}

/** Creates an empty database; the gateway migrates it when it starts. */
export async function createDatabase(prefix = 'gw_test') {
  const name = `${prefix}_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export function sharedDatabaseUrl() {
  const url = process.env.GW_TEST_DATABASE_URL;
  if (!url) throw new Error('GW_TEST_DATABASE_URL is not set: run tests through jest (global setup)');
  return url;
}

export function sharedGatewayUrl() {
  const url = process.env.GW_TEST_GATEWAY_URL;
  if (!url) throw new Error('GW_TEST_GATEWAY_URL is not set: run tests through jest (global setup)');
  return url;
}

export async function waitForHealthy(url, timeoutMs = 30_000, proc) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null)
      throw new Error(`gateway exited with code ${proc.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
      lastError = `status ${response.status}`;
    } catch (error) {
      lastError = error.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway at ${url} not healthy after ${timeoutMs} ms (${lastError})`);
}

export async function startGateway(options = {}) {
  // GW_TEST_DIST lets a session test its own build while another build rewrites dist/.
  const main = join(process.env.GW_TEST_DIST ?? join(ROOT, 'dist'), 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const databaseUrl = options.databaseUrl ?? sharedDatabaseUrl();
  const queuePrefix = options.queuePrefix ?? `gwtest_${uniqueSuffix()}`;
  const name = options.name ?? `gateway-${port}`;
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = createWriteStream(join(LOG_DIR, `${name}.log`));
  const child = spawn(process.execPath, [main, ...(options.args ?? [])], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      TEST_MODE: 'true',
      TEST_PROCESSING_DELAY: '200',
      TEST_REFUND_DELAY: '200',
      WEBHOOK_RETRY_INTERVALS_TEST: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    logFile.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const gateway = {
    url,
    port,
    databaseUrl,
    queuePrefix,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      logFile.end();
      return code;
    },
  };
  if (!options.noWait) {
    try {
      await waitForHealthy(url, 90_000, child);
    } catch (error) {
      await gateway.stop('SIGKILL');
      throw new Error(`${error.message}\n--- gateway output ---\n${output}`);
    }
  }
  return gateway;
}
