/**
 * Test merchant webhook receiver (CONTRACT.md §7.6).
 *
 * Node built-ins only, so it runs from a bare `node:20-alpine` container (the compose service
 * `test-merchant` mounts this folder read-only) as well as through `npm run test-merchant`.
 *
 *   PORT          listen port                       (default 4000)
 *   WEBHOOK_SECRET  HMAC key for X-Webhook-Signature  (default whsec_test_abc123)
 *   FAIL_FIRST_N  answer the first N POST /webhook requests with 500 (default 0)
 *
 * Routes: POST /webhook, GET /received, GET /health.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEFAULT_PORT = 4000;
export const DEFAULT_SECRET = 'whsec_test_abc123';

// Gateway payloads are a few KB; anything this large is not a webhook.
const MAX_BODY_BYTES = 1024 * 1024;

/** Lowercase hex HMAC-SHA256 of `message`, keyed with the UTF-8 bytes of the whole secret. */
export function sign(secret, message) {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

function signatureMatches(expectedHex, received) {
  if (typeof received !== 'string') {
    return false;
  }
  const expected = Buffer.from(expectedHex, 'utf8');
  const actual = Buffer.from(received.trim(), 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals only that the header is malformed.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function header(req, name) {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

function send(res, status, body, contentType = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Keep draining (Node discards the rest) so the 413 can still be written.
        reject(Object.assign(new Error('Payload too large'), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}

/**
 * Starts a receiver. Resolves once it is listening.
 *
 * @param {{ port?: number, host?: string, secret?: string, failFirstN?: number, log?: (line: string) => void }} [options]
 *   `port: 0` picks a free port; `log` defaults to console.log (console.warn for rejections).
 * @returns {Promise<{ server: import('node:http').Server, url: string, port: number, received: object[], close: () => Promise<void> }>}
 */
export async function createTestMerchant(options = {}) {
  const port = options.port ?? DEFAULT_PORT;
  const secret = options.secret ?? DEFAULT_SECRET;
  const failFirstN = options.failFirstN ?? 0;
  const log = options.log ?? console.log;
  const warn = options.log ?? console.warn;
  if (!Number.isInteger(failFirstN) || failFirstN < 0) {
    throw new TypeError(`failFirstN must be a non-negative integer, got ${failFirstN}`);
  }

  /** One entry per POST /webhook since start, oldest first (GET /received). */
  const received = [];
  let webhookRequests = 0;

  async function handleWebhook(req, res) {
    const ordinal = ++webhookRequests;
    const entry = {
      webhook_id: header(req, 'x-webhook-id'),
      event: header(req, 'x-webhook-event'),
      verified: false,
      received_at: new Date().toISOString(),
    };
    received.push(entry);

    const text = await readBody(req);
    const parsed = parseJson(text);
    if (
      parsed.ok &&
      parsed.value !== null &&
      typeof parsed.value === 'object' &&
      typeof parsed.value.event === 'string'
    ) {
      entry.event = parsed.value.event;
    }

    if (ordinal <= failFirstN) {
      warn(`💥 Simulated failure ${ordinal}/${failFirstN}: ${entry.event ?? '(no event)'}`);
      send(res, 500, 'Simulated failure');
      return;
    }
    if (!parsed.ok) {
      warn('❌ Malformed JSON body');
      send(res, 400, 'Malformed JSON');
      return;
    }
    // The gateway guarantees JSON.stringify(JSON.parse(body)) === body (§7.2), so a receiver that
    // re-serializes the parsed body (as Express apps usually do) computes the same signature.
    const expected = sign(secret, JSON.stringify(parsed.value));
    if (!signatureMatches(expected, header(req, 'x-webhook-signature'))) {
      warn(`❌ Invalid signature: ${entry.event ?? '(no event)'}`);
      send(res, 401, 'Invalid signature');
      return;
    }
    entry.verified = true;
    log(`✅ Webhook verified: ${entry.event}`);
    send(res, 200, 'OK');
  }

  async function handle(req, res) {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const routes = {
      '/webhook': { POST: () => handleWebhook(req, res) },
      '/received': { GET: () => sendJson(res, 200, received) },
      '/health': { GET: () => sendJson(res, 200, { status: 'ok' }) },
    };
    const route = routes[pathname];
    if (!route) {
      send(res, 404, 'Not found');
      return;
    }
    const handler = route[req.method === 'HEAD' ? 'GET' : (req.method ?? '')];
    if (!handler) {
      res.setHeader('Allow', Object.keys(route).join(', '));
      send(res, 405, 'Method not allowed');
      return;
    }
    await handler();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
        send(res, error.status ?? 500, error.status ? error.message : 'Internal error');
      } else {
        res.destroy();
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  const close = () =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    });

  return { server, url: `http://127.0.0.1:${boundPort}`, port: boundPort, received, close };
}

function intFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

async function main() {
  let config;
  try {
    config = {
      port: intFromEnv('PORT', DEFAULT_PORT, 0),
      secret: process.env.WEBHOOK_SECRET || DEFAULT_SECRET,
      failFirstN: intFromEnv('FAIL_FIRST_N', 0, 0),
    };
  } catch (error) {
    console.error(`test-merchant: ${error.message}`);
    process.exit(1);
  }
  const merchant = await createTestMerchant(config);
  console.log(
    `Test merchant listening on port ${merchant.port} (POST /webhook, GET /received, GET /health)` +
      (config.failFirstN > 0 ? `; failing the first ${config.failFirstN} webhook(s)` : ''),
  );

  let stopping = false;
  const stop = (signal) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.log(`Received ${signal}, shutting down`);
    // Webhook requests finish in milliseconds; don't let a stuck client keep the container alive.
    setTimeout(() => process.exit(0), 5000).unref();
    merchant.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function isMainModule() {
  if (!process.argv[1]) {
    return false;
  }
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((error) => {
    console.error('test-merchant failed to start:', error);
    process.exit(1);
  });
}
