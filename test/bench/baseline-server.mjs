/**
 * Baseline for scenarios (a) and (b): the least a create-payment / read-payment endpoint can do on this
 * machine with node:http and pg against the gateway's own schema. No framework, no auth lookup, no
 * validation beyond parsing, no queue; same pool size as the gateway (DATABASE_POOL_SIZE).
 *
 *   POST /api/v1/payments      {order_id, method, vpa} + Idempotency-Key
 *        one transaction: INSERT payments + INSERT outbox + INSERT idempotency_keys (completed, with the
 *        response), then 201 with the payment JSON. The order (amount, currency) is read once and cached.
 *   GET  /api/v1/payments/:id  SELECT * FROM payments WHERE id = $1 AND merchant_id = $2, 200 JSON.
 *   GET  /health               200.
 *
 * Env: PORT, DATABASE_URL, MERCHANT_ID, DATABASE_POOL_SIZE (default 20).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const merchantId = process.env.MERCHANT_ID;
const db = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 20),
});
const orders = new Map();

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function paymentId() {
  const bytes = randomBytes(16);
  let id = 'pay_';
  for (const b of bytes) id += ALPHABET[b % 62];
  return id;
}

function toResponse(row) {
  return {
    id: row.id,
    order_id: row.order_id,
    amount: row.amount,
    currency: row.currency,
    method: row.method,
    vpa: row.vpa,
    card_network: row.card_network,
    card_last4: row.card_last4,
    status: row.status,
    captured: row.captured,
    error_code: row.error_code,
    error_description: row.error_description,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function order(id) {
  let cached = orders.get(id);
  if (!cached) {
    const { rows } = await db.query('SELECT id, amount, currency FROM orders WHERE id = $1 AND merchant_id = $2', [
      id,
      merchantId,
    ]);
    cached = rows[0] ?? null;
    if (cached) orders.set(id, cached);
  }
  return cached;
}

async function createPayment(req, res, raw) {
  const key = req.headers['idempotency-key'];
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return send(res, 400, { error: { code: 'BAD_REQUEST_ERROR', description: 'invalid JSON' } });
  }
  const found = await order(body.order_id);
  if (!found) return send(res, 404, { error: { code: 'NOT_FOUND_ERROR', description: 'Order not found' } });
  const fingerprint = createHash('sha256').update(`POST\n/api/v1/payments\n${raw}`).digest('hex');
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const id = paymentId();
    const {
      rows: [row],
    } = await client.query(
      `INSERT INTO payments (id, order_id, merchant_id, amount, currency, method, vpa)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [id, found.id, merchantId, found.amount, found.currency, body.method, body.vpa ?? null],
    );
    const payment = toResponse(row);
    const text = JSON.stringify(payment);
    await client.query(
      `INSERT INTO outbox (queue, job_name, job_id, payload, run_at) VALUES ('payments', 'start-payment', $1, $2::jsonb, now())`,
      [`payment-start.${id}`, JSON.stringify({ paymentId: id })],
    );
    if (key) {
      await client.query(
        `INSERT INTO idempotency_keys (key, merchant_id, request_fingerprint, state, response_code, response_body, response, expires_at)
         VALUES ($1, $2, $3, 'completed', 201, $4::text, $4::jsonb, now() + interval '24 hours')`,
        [key, merchantId, fingerprint, text],
      );
    }
    await client.query('COMMIT');
    res.writeHead(201, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function readPayment(res, id) {
  const { rows } = await db.query('SELECT * FROM payments WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
  if (!rows[0]) return send(res, 404, { error: { code: 'NOT_FOUND_ERROR', description: 'Payment not found' } });
  send(res, 200, toResponse(rows[0]));
}

const PAYMENT_PATH = '/api/v1/payments/';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const handle = async () => {
      if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
      if (req.method === 'POST' && req.url === '/api/v1/payments') {
        return createPayment(req, res, Buffer.concat(chunks).toString('utf8'));
      }
      if (req.method === 'GET' && req.url.startsWith(PAYMENT_PATH)) {
        return readPayment(res, req.url.slice(PAYMENT_PATH.length));
      }
      send(res, 404, { error: { code: 'NOT_FOUND_ERROR', description: 'Not found' } });
    };
    handle().catch((error) => {
      console.error(error);
      if (!res.headersSent) send(res, 500, { error: { code: 'SERVER_ERROR', description: error.message } });
    });
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

const shutdown = () => {
  server.close();
  server.closeAllConnections?.();
  void db.end().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
