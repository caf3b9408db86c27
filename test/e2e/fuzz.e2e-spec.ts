import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import type { Response } from 'supertest';
import {
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
  waitForFinalPayment,
} from '../support/api.js';
import { sharedDatabaseUrl } from '../support/gateway.mjs';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/*
 * Property-based fuzzing of every JSON body endpoint and every list query string. Runs are bounded
 * (a number of runs and a time budget per property) so that the whole file stays within about a
 * minute and a half on a loaded machine; FUZZ_RUNS scales both, FUZZ_SEED replays a reported failure.
 */
jest.setTimeout(180_000);

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

const SCALE = Number(process.env.FUZZ_RUNS ?? '1') || 1;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

function runs(numRuns: number) {
  return { numRuns: Math.max(1, Math.round(numRuns * SCALE)), ...(SEED !== undefined && { seed: SEED }) };
}

/**
 * Turns the remaining runs of a property into no-ops once it has used its time budget, so a slow
 * machine runs fewer cases rather than taking longer. fast-check's own interruptAfterTimeLimit is not
 * used: it abandons the request in flight, which then writes during the next property's checks.
 * After a failure, shrinking gets its own 30 s.
 */
function budget<Args extends unknown[]>(
  predicate: (...args: Args) => Promise<void>,
  seconds = 6,
): (...args: Args) => Promise<void> {
  let deadline: number | undefined;
  let failed = false;
  return async (...args: Args) => {
    deadline ??= Date.now() + seconds * 1000 * SCALE;
    if (Date.now() > deadline) {
      return;
    }
    try {
      await predicate(...args);
    } catch (error) {
      if (!failed) {
        failed = true;
        deadline = Date.now() + 30_000;
      }
      throw error;
    }
  };
}

/** HTTP status of every contract error code (CONTRACT §2.3). */
const STATUS_BY_CODE: Record<string, number> = {
  BAD_REQUEST_ERROR: 400,
  INVALID_VPA: 400,
  INVALID_CARD: 400,
  EXPIRED_CARD: 400,
  AUTHENTICATION_ERROR: 401,
  NOT_FOUND_ERROR: 404,
  CONFLICT_ERROR: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};
/** Razorpay-compatible optional fields an error envelope may add (CONTRACT §5.5a). */
const OPTIONAL_ERROR_KEYS = ['source', 'step', 'reason', 'metadata', 'field'];
/** Stack frames, SQL and driver/framework internals: never in an error response. */
const LEAKS =
  /(\n\s+at |\bat [\w.<>$]+ \(|node_modules|QueryFailedError|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|syntax error|violates|duplicate key|relation "|column "|\.ts:\d+|\.js:\d+|FST_ERR|typeorm)/i;

const CARD_NUMBERS = ['4111111111111111', '4242424242424242'];
const CARD_NUMBER_VARIANTS = [
  '4111111111111111',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  ' 4111111111111111 ',
  '4242424242424242',
  '4242 4242 4242 4242',
];
const CVV = '987';
const CVV_FIELD = /\\*"(card_)?cvv\\*"\s*:/i;

// ---------------------------------------------------------------------------------------------------
// Exchanges: every request goes through `exchange`, which checks the response and the database.

interface Request {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  /** Raw body text, sent as is. */
  body?: string;
  contentType?: string;
}

/** Raw response text whatever the content type (supertest would otherwise parse or drop it). */
function rawText(res: unknown, callback: (error: Error | null, body: string) => void): void {
  // supertest hands the parser Node's IncomingMessage, whatever its typings say.
  const stream = res as NodeJS.ReadableStream;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => callback(null, text));
}

const transcript: string[] = [];

function clip(text: string | undefined, max = 600): string {
  if (text === undefined) {
    return '<none>';
  }
  return text.length > max ? `${JSON.stringify(text.slice(0, max))}... (${text.length} chars)` : JSON.stringify(text);
}

function describeExchange(request: Request, response: Response | undefined): string {
  const lines = [
    `${request.method} ${clip(request.path, 300)}`,
    `  request headers: ${JSON.stringify({ ...request.headers, 'content-type': request.contentType })}`,
    `  request body: ${clip(request.body)}`,
  ];
  if (response) {
    lines.push(
      `  response: ${response.status} content-type=${String(response.headers['content-type'])} x-request-id=${String(response.headers['x-request-id'])}`,
      `  response body: ${clip(response.body as string, 1500)}`,
    );
  }
  return lines.join('\n');
}

async function send(request: Request): Promise<Response> {
  const agent = api();
  let req =
    request.method === 'GET'
      ? agent.get(request.path)
      : request.method === 'PUT'
        ? agent.put(request.path)
        : agent.post(request.path);
  req = req.set(request.headers ?? {});
  if (request.contentType !== undefined) {
    req = req.set('Content-Type', request.contentType);
  }
  if (request.body !== undefined) {
    req = req.send(request.body);
  }
  return req.buffer(true).parse(rawText);
}

/** Checks the status line, content type and, for errors, the exact envelope. Returns the parsed body. */
function checkResponse(request: Request, response: Response): unknown {
  const fail = (why: string): never => {
    throw new Error(`${why}\n${describeExchange(request, response)}`);
  };
  const text = response.body as string;
  transcript.push(text);
  if (response.status >= 500) {
    fail(`server error ${response.status}`);
  }
  if (response.status < 200 || (response.status >= 300 && response.status < 400)) {
    fail(`unexpected status ${response.status}`);
  }
  if (!/^application\/json/.test(String(response.headers['content-type']))) {
    fail('response is not application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    fail('response body is not JSON');
  }
  if (response.status < 300) {
    return body;
  }
  if (LEAKS.test(text)) {
    fail(`error response leaks internals (${LEAKS.exec(text)?.[0]})`);
  }
  const envelope = body as { error?: Record<string, unknown> };
  if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'error') {
    fail('error body is not exactly {"error":{...}}');
  }
  const error = envelope.error;
  if (typeof error !== 'object' || error === null || Array.isArray(error)) {
    fail('"error" is not an object');
  }
  const { code, description, ...rest } = error as Record<string, unknown>;
  if (typeof code !== 'string' || !(code in STATUS_BY_CODE)) {
    fail(`error.code ${JSON.stringify(code)} is not a contract code`);
  }
  if (STATUS_BY_CODE[code as string] !== response.status) {
    fail(`error.code ${String(code)} does not go with HTTP ${response.status}`);
  }
  if (typeof description !== 'string' || description.trim() === '') {
    fail('error.description is not a non-empty string');
  }
  const extra = Object.keys(rest).filter((key) => !OPTIONAL_ERROR_KEYS.includes(key));
  if (extra.length > 0) {
    fail(`error has unexpected keys ${extra.join(', ')}`);
  }
  return body;
}

// ---------------------------------------------------------------------------------------------------
// Database snapshots: what a request may (not) have written.

interface Snapshot {
  orders: number;
  payments: number;
  refunds: number;
  webhook_logs: number;
  idempotency_keys: number;
  merchants: number;
  sessions: number;
  webhook_url: string | null;
  captured: boolean | null;
}

type Delta = Partial<Record<keyof Snapshot, number>>;

let db: pg.Client;
let main: Merchant;
let webhookMerchant: Merchant;
let capturePaymentId: string;

async function snapshot(): Promise<Snapshot> {
  const result = await db.query<Snapshot>(
    `SELECT
       (SELECT count(*)::int FROM orders WHERE merchant_id = $1) AS orders,
       (SELECT count(*)::int FROM payments WHERE merchant_id = $1) AS payments,
       (SELECT count(*)::int FROM refunds WHERE merchant_id = $1) AS refunds,
       (SELECT count(*)::int FROM webhook_logs WHERE merchant_id = $1) AS webhook_logs,
       (SELECT count(*)::int FROM idempotency_keys WHERE merchant_id = $1) AS idempotency_keys,
       (SELECT count(*)::int FROM merchants) AS merchants,
       (SELECT count(*)::int FROM sessions) AS sessions,
       (SELECT webhook_url FROM merchants WHERE id = $2) AS webhook_url,
       (SELECT captured FROM payments WHERE id = $3) AS captured`,
    [main.id, webhookMerchant.id, capturePaymentId ?? ''],
  );
  return result.rows[0];
}

function idempotencyKeyUsed(headers: Record<string, string> | undefined): boolean {
  const key = headers?.['Idempotency-Key']?.trim();
  return key !== undefined && key.length >= 1 && key.length <= 255;
}

interface Expectation {
  /** What a 2xx response adds, beyond an idempotency record for an accepted key. */
  created?: Delta;
  /** Whether the endpoint honours Idempotency-Key (authenticated POSTs, CONTRACT §2.5). */
  idempotent?: boolean;
  /** Statuses this request may answer with; default any 2xx or 4xx. */
  allowed?: (status: number) => boolean;
}

/** Sends one request and checks the response and that only a 2xx wrote anything, and only what it should. */
async function exchange(
  request: Request,
  expectation: Expectation = {},
): Promise<{ response: Response; body: unknown }> {
  const before = await snapshot();
  const response = await send(request);
  const body = checkResponse(request, response);
  const after = await snapshot();
  const success = response.status < 300;
  const replayed = response.headers['idempotent-replayed'] === 'true';
  const expected: Snapshot = { ...before };
  if (success && !replayed) {
    for (const [key, delta] of Object.entries(expectation.created ?? {}) as [keyof Snapshot, number][]) {
      (expected[key] as number) += delta;
    }
    if (expectation.idempotent && idempotencyKeyUsed(request.headers)) {
      expected.idempotency_keys += 1;
    }
  }
  // A successful webhook config update and a capture legitimately change these two.
  if (success && request.path === '/api/v1/webhooks/config') {
    expected.webhook_url = after.webhook_url;
  }
  if (success && request.path === `/api/v1/payments/${capturePaymentId}/capture`) {
    expected.captured = true;
  }
  const changed = (Object.keys(expected) as (keyof Snapshot)[]).filter((key) => expected[key] !== after[key]);
  if (changed.length > 0) {
    const diff = changed.map(
      (key) => `${key}: ${String(before[key])} -> ${String(after[key])} (expected ${String(expected[key])})`,
    );
    throw new Error(
      `${success ? 'unexpected writes by a 2xx' : `partial write by a ${response.status}`}: ${diff.join(', ')}\n${describeExchange(request, response)}`,
    );
  }
  if (expectation.allowed && !expectation.allowed(response.status)) {
    throw new Error(`status ${response.status} not allowed here\n${describeExchange(request, response)}`);
  }
  return { response, body };
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries.

const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    '😀',
    '\u202e',
    'null',
    'undefined',
    'NaN',
    '100',
    '50000',
    '-1',
    '1e3',
    "'; DROP TABLE orders;--",
    '<script>alert(1)</script>',
    '%00',
    '\\',
    '"',
    '{}',
    '__proto__',
  ),
  fc.constantFrom(3, 255, 256, 2048, 2049, 70_000).map((length) => 'a'.repeat(length)),
  fc.constantFrom(255, 256).map((length) => 'é'.repeat(length)),
);

const weirdNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.integer({ min: 98, max: 102 }),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    99,
    100,
    100.5,
    0.1,
    1.5,
    50000,
    2147483647,
    2147483648,
    -2147483648,
    -2147483649,
    4294967296,
    9007199254740991,
    1e21,
    1e308,
    -1e308,
    Number.MIN_VALUE,
  ),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: weirdString },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.array(weirdString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(weirdString, weirdString, { maxKeys: 3 }) },
);

const ABSENT = Symbol('absent');

interface Field {
  /** Values the contract accepts, so that most bodies get past validation and reach the database. */
  valid: fc.Arbitrary<unknown>;
  /** Boundary and near-miss values; default: anything. */
  edge?: fc.Arbitrary<unknown>;
}

const grapheme = (maxLength: number, minLength = 0) => fc.string({ unit: 'grapheme', minLength, maxLength });

const extraKey = fc.oneof(
  fc.string(),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'id', 'merchant_id', 'status', 'captured', 'created_at'),
);

/**
 * A JSON object with the endpoint's real fields (mostly valid, sometimes boundary values, arbitrary
 * values or absent) and a few random extra keys; now and then any JSON value at all.
 */
function bodyWith(fields: Record<string, Field>): fc.Arbitrary<unknown> {
  const model = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [
      name,
      fc.oneof(
        { weight: 10, arbitrary: field.valid },
        { weight: 3, arbitrary: field.edge ?? anyValue },
        { weight: 1, arbitrary: anyValue },
        { weight: 1, arbitrary: fc.constant(ABSENT) },
      ),
    ]),
  );
  const mixed = fc.tuple(fc.record(model), fc.dictionary(extraKey, anyValue, { maxKeys: 2 })).map(([real, extra]) => ({
    ...extra,
    ...Object.fromEntries(Object.entries(real).filter(([, value]) => value !== ABSENT)),
  }));
  return fc.oneof({ weight: 8, arbitrary: mixed }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

/** Mostly distinct keys (so that most runs are first uses), some short ones that collide, and the 255/256 boundary. */
const idempotencyKey: fc.Arbitrary<string | undefined> = fc.option(
  fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: printableAscii, minLength: 12, maxLength: 64 }) },
    { weight: 1, arbitrary: fc.string({ unit: printableAscii, minLength: 1, maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(255, 256).map((length) => 'k'.repeat(length)) },
  ),
  { nil: undefined, freq: 3 },
);

function withKey(headers: Record<string, string>, key: string | undefined): Record<string, string> {
  return key === undefined ? headers : { ...headers, 'Idempotency-Key': key };
}

const cardNumbers: fc.Arbitrary<unknown> = fc.constantFrom(
  ...CARD_NUMBER_VARIANTS,
  '5555555555554444',
  '378282246310005',
  '4000000000000002',
);

const validCard = fc.record(
  {
    number: cardNumbers,
    expiry_month: fc.constantFrom('12', 12, '1', '01'),
    expiry_year: fc.constantFrom('2030', 2030, '30', 30, '2099'),
    cvv: fc.constantFrom(CVV, 987, '1234'),
    holder_name: grapheme(40),
  },
  { requiredKeys: ['number', 'expiry_month', 'expiry_year', 'cvv'] },
);

const oddCard = fc.record(
  {
    number: fc.oneof(
      cardNumbers,
      fc.constantFrom('1234567890123456', '4111111111111112', '411111111111', '41111111111111111111', ''),
      anyValue,
    ),
    expiry_month: fc.oneof(fc.constantFrom('13', '0', 0, 'ab', '', 12.5, '١٢'), anyValue),
    expiry_year: fc.oneof(fc.constantFrom('2020', '20', '99999', '', -1, 1e21), anyValue),
    cvv: fc.oneof(fc.constantFrom('12', '12345', 'abc', '', '９８７', 98.7), anyValue),
    holder_name: weirdString,
  },
  { requiredKeys: [] },
);

function paymentBody(orderId: string): fc.Arbitrary<unknown> {
  return bodyWith({
    order_id: {
      valid: fc.constant(orderId),
      edge: fc.constantFrom('order_0000000000000000', `${orderId} `, orderId.toUpperCase(), '', 'stats', 'public'),
    },
    method: { valid: fc.constantFrom('upi', 'card'), edge: fc.constantFrom('UPI', 'Card', 'netbanking', '') },
    vpa: {
      valid: fc.constantFrom('user@paytm', 'success@test', 'failure@test', 'john.doe@okhdfcbank'),
      edge: fc.oneof(fc.constantFrom('invalid-vpa', 'user@ok-hdfc', 'user@bank.com', '@', ' user@paytm'), weirdString),
    },
    card: { valid: validCard, edge: oddCard },
    card_number: { valid: cardNumbers },
    card_expiry: {
      valid: fc.constantFrom('12/30', '12/2030'),
      edge: fc.constantFrom('1/30', '13/30', '12-30', '01/20', '', '/', '12/30/30'),
    },
    card_cvv: { valid: fc.constantFrom(CVV, 987, '1234'), edge: fc.constantFrom('12', 'abcd', '') },
    holder_name: { valid: grapheme(40), edge: weirdString },
    amount: { valid: weirdNumber },
    currency: { valid: fc.constantFrom('INR', 'USD') },
  });
}

const json = (value: unknown): string => JSON.stringify(value);

// ---------------------------------------------------------------------------------------------------

describe('fuzzing request bodies and query strings', () => {
  let mainOrderId: string;
  let refundPaymentId: string;
  let captureAmount: number;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: sharedDatabaseUrl() });
    await db.connect();
    [main, webhookMerchant] = await Promise.all([newMerchant(), newMerchant()]);
    const [mainOrder, refundOrder, captureOrder] = await Promise.all([
      createOrder(main, { amount: 50000 }),
      // Large, so that the random valid refunds the fuzzer creates do not exhaust it.
      createOrder(main, { amount: 2147483647 }),
      createOrder(main, { amount: 50000 }),
    ]);
    mainOrderId = mainOrder.id;
    captureAmount = captureOrder.amount;
    const [refundPayment, capturePayment] = await Promise.all([
      createPayment(refundOrder.id, { method: 'upi', vpa: 'success@test' }, main),
      createPayment(captureOrder.id, { method: 'upi', vpa: 'success@test' }, main),
    ]);
    refundPaymentId = refundPayment.id;
    capturePaymentId = capturePayment.id;
    await Promise.all([waitForFinalPayment(refundPaymentId, main), waitForFinalPayment(capturePaymentId, main)]);
    receiver = await WebhookReceiver.start();
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    await db?.end();
  });

  describe('JSON bodies', () => {
    it('should answer arbitrary order bodies with 201 or a 4xx envelope and write nothing on 4xx', async () => {
      const body = bodyWith({
        amount: { valid: fc.integer({ min: 100, max: 2147483647 }), edge: weirdNumber },
        currency: {
          valid: fc.constantFrom('INR', 'USD', 'EUR'),
          edge: fc.oneof(fc.constantFrom('inr', 'US', 'USDD', ' INR', 'ÉUR'), weirdString),
        },
        receipt: { valid: fc.oneof(fc.constant(null), grapheme(100)), edge: weirdString },
        notes: {
          valid: fc.oneof(
            fc.constant(null),
            fc.dictionary(grapheme(10), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
          ),
          edge: fc.oneof(fc.dictionary(weirdString, weirdString, { maxKeys: 3 }), anyValue),
        },
      });
      await fc.assert(
        fc.asyncProperty(
          body,
          idempotencyKey,
          budget(async (value, key) => {
            await exchange(
              {
                method: 'POST',
                path: '/api/v1/orders',
                headers: withKey(authHeaders(main), key),
                body: json(value),
                contentType: 'application/json',
              },
              { created: { orders: 1 }, idempotent: true },
            );
          }),
        ),
        runs(200),
      );
    });

    it('should answer arbitrary merchant payment bodies with 201 or a 4xx envelope and write nothing on 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          paymentBody(mainOrderId),
          idempotencyKey,
          budget(async (value, key) => {
            await exchange(
              {
                method: 'POST',
                path: '/api/v1/payments',
                headers: withKey(authHeaders(main), key),
                body: json(value),
                contentType: 'application/json',
              },
              { created: { payments: 1 }, idempotent: true },
            );
          }),
        ),
        runs(200),
      );
    });

    it('should answer arbitrary public payment bodies with 201 or a 4xx envelope and write nothing on 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          paymentBody(mainOrderId),
          idempotencyKey,
          budget(async (value, key) => {
            // The public endpoint ignores Idempotency-Key: it never stores a key.
            await exchange(
              {
                method: 'POST',
                path: '/api/v1/payments/public',
                headers: withKey({}, key),
                body: json(value),
                contentType: 'application/json',
              },
              { created: { payments: 1 }, idempotent: false },
            );
          }),
        ),
        runs(100),
      );
    });

    it('should answer arbitrary refund bodies with 201 or a 4xx envelope and write nothing on 4xx', async () => {
      const body = bodyWith({
        amount: { valid: fc.integer({ min: 1, max: 100_000 }), edge: weirdNumber },
        reason: { valid: fc.oneof(fc.constant(null), grapheme(100)), edge: weirdString },
        notes: { valid: fc.dictionary(grapheme(10), grapheme(20), { maxKeys: 3 }) },
        speed: { valid: fc.constantFrom('normal', 'optimum') },
        receipt: { valid: grapheme(40) },
      });
      await fc.assert(
        fc.asyncProperty(
          body,
          idempotencyKey,
          fc.constantFrom('refunds', 'refund'),
          budget(async (value, key, alias) => {
            await exchange(
              {
                method: 'POST',
                path: `/api/v1/payments/${refundPaymentId}/${alias}`,
                headers: withKey(authHeaders(main), key),
                body: json(value),
                contentType: 'application/json',
              },
              { created: { refunds: 1 }, idempotent: true },
            );
          }),
        ),
        runs(100),
      );
    });

    it('should reject every capture whose amount is not the payment amount and leave the payment uncaptured', async () => {
      const wrongAmount = anyValue.filter((amount) => amount !== null && json(amount) !== String(captureAmount));
      const body = fc.oneof(
        fc
          .tuple(bodyWith({ currency: { valid: fc.constantFrom('INR', 'USD') } }), wrongAmount)
          .map(([value, amount]) =>
            typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, amount } : value,
          ),
        fc.constantFrom<unknown>(null, [], [captureAmount], String(captureAmount), captureAmount, {
          amount: String(captureAmount),
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          body,
          idempotencyKey,
          budget(async (value, key) => {
            await exchange(
              {
                method: 'POST',
                path: `/api/v1/payments/${capturePaymentId}/capture`,
                headers: withKey(authHeaders(main), key),
                body: json(value),
                contentType: 'application/json',
              },
              { idempotent: true, allowed: (status) => status >= 400 && status < 500 },
            );
          }),
        ),
        runs(60),
      );
      const captured = await api()
        .post(`/api/v1/payments/${capturePaymentId}/capture`)
        .set(authHeaders(main))
        .send({ amount: captureAmount });
      expect({ status: captured.status, captured: captured.body.captured }).toEqual({ status: 200, captured: true });
    });

    it('should answer arbitrary capture bodies on a captured payment with a 4xx envelope', async () => {
      await fc.assert(
        fc.asyncProperty(
          bodyWith({ amount: { valid: fc.constant(captureAmount), edge: weirdNumber } }),
          budget(async (value) => {
            await exchange(
              {
                method: 'POST',
                path: `/api/v1/payments/${capturePaymentId}/capture`,
                headers: authHeaders(main),
                body: json(value),
                contentType: 'application/json',
              },
              { idempotent: true, allowed: (status) => status >= 400 && status < 500 },
            );
          }),
        ),
        runs(30),
      );
    });

    it('should answer arbitrary webhook config bodies with 200 or a 4xx envelope and keep the URL on 4xx', async () => {
      const body = bodyWith({
        webhook_url: {
          valid: fc.oneof(
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
            fc.constantFrom(null, '', 'http://127.0.0.1:1/webhook', 'https://example.com/webhook'),
          ),
          edge: fc.constantFrom(
            'ftp://example.com/x',
            'javascript:alert(1)',
            'http://',
            'https://',
            '//example.com/x',
            'example.com',
            'http://exa mple.com/',
            'http://[::1]/x',
            'http://localhost:99999/x',
            `https://example.com/${'a'.repeat(2020)}`,
            `https://example.com/${'a'.repeat(2100)}`,
            'http://example.com/\u0000',
            'https://例え.jp/フック',
            'HTTP://EXAMPLE.COM/',
          ),
        },
        webhook_secret: { valid: weirdString },
      });
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.boolean(),
          budget(async (value, useSession) => {
            const headers = useSession ? { Cookie: webhookMerchant.cookie } : authHeaders(webhookMerchant);
            await exchange({
              method: 'PUT',
              path: '/api/v1/webhooks/config',
              headers,
              body: json(value),
              contentType: 'application/json',
            });
          }),
        ),
        runs(100),
      );
    });

    it('should answer arbitrary signup bodies with 201 or a 4xx envelope and create no merchant on 4xx', async () => {
      const body = bodyWith({
        name: { valid: grapheme(40, 1), edge: fc.oneof(fc.constantFrom(' ', '   x   ', ''), weirdString) },
        email: {
          valid: fc.emailAddress(),
          edge: fc.constantFrom(
            'test@example.com',
            'TEST@Example.com',
            main.email,
            main.email.toUpperCase(),
            'no-at-sign',
            'a@b',
            '@example.com',
            `${'a'.repeat(250)}@example.com`,
          ),
        },
        password: {
          valid: grapheme(40, 8),
          edge: fc.oneof(
            fc.constantFrom(7, 8, 128, 129).map((length) => 'p'.repeat(length)),
            weirdString,
          ),
        },
      });
      await fc.assert(
        fc.asyncProperty(
          body,
          budget(async (value) => {
            await exchange(
              { method: 'POST', path: '/api/v1/auth/signup', body: json(value), contentType: 'application/json' },
              { created: { merchants: 1, sessions: 1 } },
            );
          }),
        ),
        runs(60),
      );
    });

    it('should answer arbitrary login bodies with 200 or a 4xx envelope and open no session on 4xx', async () => {
      const body = bodyWith({
        email: {
          valid: fc.constantFrom('test@example.com', main.email),
          edge: fc.oneof(
            fc.constantFrom('TEST@EXAMPLE.COM', ' test@example.com', main.email.toUpperCase()),
            fc.emailAddress(),
          ),
        },
        password: {
          valid: fc.constant('password123'),
          edge: fc.oneof(fc.constantFrom('password1234', 'PASSWORD123', ''), weirdString),
        },
      });
      await fc.assert(
        fc.asyncProperty(
          body,
          budget(async (value) => {
            await exchange(
              { method: 'POST', path: '/api/v1/auth/login', body: json(value), contentType: 'application/json' },
              { created: { sessions: 1 } },
            );
          }),
        ),
        runs(50),
      );
    });
  });

  describe('raw bodies', () => {
    interface Target {
      path: () => string;
      method: 'POST' | 'PUT';
      auth: () => Record<string, string>;
      expectation: Expectation;
    }
    const targets: Record<string, Target> = {
      orders: {
        path: () => '/api/v1/orders',
        method: 'POST',
        auth: () => authHeaders(main),
        expectation: { created: { orders: 1 }, idempotent: true },
      },
      payments: {
        path: () => '/api/v1/payments',
        method: 'POST',
        auth: () => authHeaders(main),
        expectation: { created: { payments: 1 }, idempotent: true },
      },
      public: {
        path: () => '/api/v1/payments/public',
        method: 'POST',
        auth: () => ({}),
        expectation: { created: { payments: 1 } },
      },
      refunds: {
        path: () => `/api/v1/payments/${refundPaymentId}/refunds`,
        method: 'POST',
        auth: () => authHeaders(main),
        expectation: { created: { refunds: 1 }, idempotent: true },
      },
      capture: {
        path: () => `/api/v1/payments/${capturePaymentId}/capture`,
        method: 'POST',
        auth: () => authHeaders(main),
        expectation: { idempotent: true },
      },
      config: {
        path: () => '/api/v1/webhooks/config',
        method: 'PUT',
        auth: () => authHeaders(webhookMerchant),
        expectation: {},
      },
      signup: {
        path: () => '/api/v1/auth/signup',
        method: 'POST',
        auth: () => ({}),
        expectation: { created: { merchants: 1, sessions: 1 } },
      },
      login: {
        path: () => '/api/v1/auth/login',
        method: 'POST',
        auth: () => ({}),
        expectation: { created: { sessions: 1 } },
      },
    };
    const targetNames = Object.keys(targets);

    function realisticBody(name: string): string {
      switch (name) {
        case 'orders':
          return json({ amount: 50000, currency: 'INR', receipt: 'r-1', notes: { a: 'b' } });
        case 'payments':
        case 'public':
          return json({
            order_id: 'order_0000000000000000',
            method: 'card',
            card: { number: '4111111111111111', expiry_month: '12', expiry_year: '2030', cvv: CVV },
          });
        case 'refunds':
          return json({ amount: 100, reason: 'fuzz' });
        case 'capture':
          return json({ amount: 50000 });
        case 'config':
          return json({ webhook_url: 'https://example.com/webhook' });
        case 'signup':
          return json({ name: 'Fuzz', email: 'fuzz-truncated@example.com', password: 'password123' });
        default:
          return json({ email: 'test@example.com', password: 'password123' });
      }
    }

    /** Hand-picked bodies, by name so that a failure report stays readable. */
    const oddBodies: Record<string, string> = {
      empty: '',
      'open brace': '{',
      'close brace': '}',
      'open bracket': '[',
      null: 'null',
      'trailing brace': '{"a":1}}',
      'trailing comma': '{"a":1,}',
      'single quotes': "{'amount': 50000}",
      'bare keys': '{amount: 50000}',
      BOM: '\ufeff{}',
      __proto__: '{"__proto__":{"polluted":true}}',
      'constructor.prototype': '{"constructor":{"prototype":{"polluted":true}}}',
      '1e400': '{"amount":1e400}',
      'unsafe integer': '{"amount":9007199254740993}',
      'minus zero': '{"amount":-0}',
      '100.0': '{"amount":100.0}',
      hex: '{"amount":0x10}',
      NaN: '{"amount":NaN}',
      'duplicate key': '{"amount":50000,"amount":"x"}',
      'lone surrogate': '{"a":"\\ud800"}',
      'escaped NUL': '{"a":"\\u0000"}',
      'NUL in order fields': '{"amount":50000,"receipt":"\\u0000","notes":{"\\u0000":"\\u0000"}}',
      'NUL in notes': '{"amount":50000,"notes":{"k":"\\u0000"}}',
      'lone surrogate in notes': '{"amount":50000,"notes":{"k":"\\udfff"}}',
      'lone surrogate as notes key': '{"amount":50000,"notes":{"\\ud800":1}}',
      'NUL in webhook_url': '{"webhook_url":"http://example.com/\\u0000"}',
      'NUL in signup': '{"name":"\\u0000","email":"nul\\u0000@example.com","password":"password\\u0000123"}',
      'NUL in login': '{"email":"test@example.com\\u0000","password":"password123"}',
      'NUL in order_id': '{"order_id":"order_\\u0000","method":"upi","vpa":"user@paytm"}',
      'NUL in reason': '{"amount":100,"reason":"\\u0000"}',
      'raw NUL': '\u0000',
      'raw latin1': '\xff\xfe',
    };
    /** Deeply nested JSON: valid, small (tens of KB), and must not exhaust the server's stack. */
    const deepBodies: Record<string, string> = {
      'notes nested 10000 deep': `{"amount":50000,"notes":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
      'unknown field nested 10000 deep': `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      'top-level array nested 10000 deep': `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    };

    const contentTypes = [
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      '',
    ];

    it('should answer arbitrary raw bodies and content types with a 2xx or a 4xx envelope', async () => {
      const rawBody = (name: string) =>
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 80 }),
          fc.string({ maxLength: 80 }),
          fc.constantFrom(...Object.values(oddBodies)),
          fc.nat().map((cut) => {
            const text = realisticBody(name);
            return text.slice(0, 1 + (cut % (text.length - 1)));
          }),
        );
      const request = fc.constantFrom(...targetNames).chain((name) =>
        fc.record({
          name: fc.constant(name),
          body: rawBody(name),
          contentType: fc.oneof(
            { weight: 4, arbitrary: fc.constant('application/json') },
            { weight: 1, arbitrary: fc.constantFrom(...contentTypes) },
          ),
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          request,
          budget(async ({ name, body, contentType }) => {
            const target = targets[name];
            await exchange(
              { method: target.method, path: target.path(), headers: target.auth(), body, contentType },
              target.expectation,
            );
          }),
        ),
        runs(300),
      );
    });

    it('should answer hand-picked odd and deeply nested bodies on every endpoint with a 2xx or a 4xx envelope', async () => {
      const failures: string[] = [];
      for (const name of targetNames) {
        const target = targets[name];
        for (const [label, body] of Object.entries({ ...oddBodies, ...deepBodies })) {
          try {
            await exchange(
              {
                method: target.method,
                path: target.path(),
                headers: target.auth(),
                body,
                contentType: 'application/json',
              },
              target.expectation,
            );
          } catch (error) {
            const lines = (error as Error).message.split('\n').filter((line) => !line.startsWith('  request'));
            failures.push(`[${name}, ${label}] ${lines.join(' | ')}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });

    it('should answer a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
      const huge = json({ amount: 50000, notes: { blob: 'x'.repeat(1_100_000) } });
      for (const name of ['orders', 'public', 'signup']) {
        const target = targets[name];
        const { response } = await exchange(
          {
            method: target.method,
            path: target.path(),
            headers: target.auth(),
            body: huge,
            contentType: 'application/json',
          },
          target.expectation,
        );
        expect({ name, status: response.status }).toEqual({ name, status: 413 });
      }
    });
  });

  describe('list query strings', () => {
    const LIMIT_LIKE = ['limit', 'count'];
    const OFFSET_LIKE = ['offset', 'skip'];
    interface ListEndpoint {
      path: () => string;
      filters: Record<string, string[]>;
    }
    const endpoints: Record<string, ListEndpoint> = {
      orders: { path: () => '/api/v1/orders', filters: { status: ['created', 'paid'] } },
      payments: {
        path: () => '/api/v1/payments',
        filters: { status: ['pending', 'processing', 'success', 'failed'], method: ['upi', 'card'] },
      },
      refunds: { path: () => '/api/v1/refunds', filters: { status: ['pending', 'processed'] } },
      webhooks: {
        path: () => '/api/v1/webhooks',
        filters: {
          status: ['pending', 'success', 'failed'],
          event: [
            'payment.created',
            'payment.pending',
            'payment.success',
            'payment.failed',
            'refund.created',
            'refund.processed',
            'webhook.test',
          ],
        },
      },
      paymentRefunds: { path: () => `/api/v1/payments/${refundPaymentId}/refunds`, filters: {} },
    };

    const paramName = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...LIMIT_LIKE, ...OFFSET_LIKE, 'status', 'method', 'event') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'LIMIT',
          'limit[]',
          'limit[0]',
          '__proto__',
          'constructor',
          'from',
          'to',
          'expand[]',
        ),
      },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
    );
    const allFilterValues = [
      ...new Set(Object.values(endpoints).flatMap((endpoint) => Object.values(endpoint.filters).flat())),
    ];
    const paramValue = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '0',
          '1',
          '10',
          '99',
          '100',
          '101',
          '-1',
          '1.5',
          '1e2',
          '010',
          '+5',
          ' 5',
          '5 ',
          '',
          '2147483647',
          '2147483648',
          '99999999999999999999',
          '0x10',
          'NaN',
          'Infinity',
        ),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(...allFilterValues, 'PAID', 'Success', 'upi ', 'refund.*', "created' OR '1'='1"),
      },
      { weight: 2, arbitrary: fc.nat({ max: 200 }).map(String) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 3000 }) },
    );

    /**
     * An integer parameter: true (valid), false (the contract requires a 400) or undefined (forms the
     * contract leaves open: empty, leading zeros or plus sign, surrounding spaces, exponent, hex, 1.0).
     */
    function judgeInteger(value: string, inRange: (n: number) => boolean | undefined): boolean | undefined {
      if (/^(0|[1-9]\d*)$/.test(value)) {
        return inRange(Number(value));
      }
      const trimmed = value.trim();
      if (/^-\d+(\.\d+)?$/.test(trimmed)) {
        return Number(trimmed) < 0 ? false : undefined;
      }
      if (/^\+?\d+$/.test(trimmed)) {
        return inRange(Number(trimmed)) === false ? false : undefined;
      }
      if (/^[+-]?(\d*\.\d+|\d+\.\d*)$/.test(trimmed)) {
        return Number.isInteger(Number(trimmed)) ? undefined : false;
      }
      if (value === '' || /^[+-]?(\d+(\.\d*)?|\.\d+)e[+-]?\d+$/i.test(trimmed) || /^0x[0-9a-f]+$/i.test(trimmed)) {
        return undefined;
      }
      return false;
    }

    /** `ok`: must be 200; `bad`: must be a 400 naming one of these; otherwise the contract allows either. */
    function oracle(endpoint: ListEndpoint, pairs: [string, string][]) {
      const values = new Map<string, string[]>();
      for (const [name, value] of pairs) {
        values.set(name, [...(values.get(name) ?? []), value]);
      }
      const bad: string[] = [];
      const unclear: string[] = [];
      const echo: { limit?: number; offset?: number } = {};
      const judge = (name: string, valid: (value: string) => boolean | undefined, shadowed: boolean) => {
        const given = values.get(name);
        if (given === undefined) {
          return;
        }
        if (given.length > 1 || shadowed) {
          unclear.push(name);
          return;
        }
        const verdict = valid(given[0]);
        if (verdict === false) {
          bad.push(name);
        } else if (verdict === undefined) {
          unclear.push(name);
        }
      };
      const limitValid = (value: string) => judgeInteger(value, (n) => n >= 1 && n <= 100);
      const offsetValid = (value: string) => judgeInteger(value, (n) => (n <= 2147483647 ? true : undefined));
      judge('limit', limitValid, false);
      judge('count', limitValid, values.has('limit'));
      judge('offset', offsetValid, false);
      judge('skip', offsetValid, values.has('offset'));
      for (const [name, allowed] of Object.entries(endpoint.filters)) {
        judge(name, (value) => allowed.includes(value), false);
      }
      for (const name of values.keys()) {
        if (![...LIMIT_LIKE, ...OFFSET_LIKE, ...Object.keys(endpoint.filters)].includes(name)) {
          unclear.push(name);
        }
      }
      for (const [names, key] of [
        [LIMIT_LIKE, 'limit'],
        [OFFSET_LIKE, 'offset'],
      ] as const) {
        const used = names.find((name) => values.has(name));
        if (used && bad.length === 0 && unclear.length === 0) {
          echo[key] = Number(values.get(used)?.[0]);
        }
      }
      return { mustSucceed: bad.length === 0 && unclear.length === 0, bad, unclear, expect: echo };
    }

    /** The names a 400 may mention for a parameter: itself, and the canonical name of a Razorpay alias. */
    function mentions(description: string, name: string): boolean {
      const aliases = LIMIT_LIKE.includes(name) ? LIMIT_LIKE : OFFSET_LIKE.includes(name) ? OFFSET_LIKE : [name];
      return aliases.some((alias) => alias !== '' && description.includes(alias));
    }

    it('should answer fuzzed list query strings with 200 or a 400 envelope naming the parameter', async () => {
      const query = fc.record({
        endpoint: fc.constantFrom(...Object.keys(endpoints)),
        pairs: fc.array(fc.tuple(paramName, paramValue), { minLength: 0, maxLength: 4 }),
        useSession: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(
          query,
          budget(async ({ endpoint: endpointName, pairs, useSession }) => {
            const endpoint = endpoints[endpointName];
            const search = pairs
              .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
              .join('&');
            const request: Request = {
              method: 'GET',
              path: `${endpoint.path()}${search ? `?${search}` : ''}`,
              headers: useSession ? { Cookie: main.cookie } : authHeaders(main),
            };
            const { response, body } = await exchange(request, {
              allowed: (status) => status === 200 || status === 400,
            });
            const verdict = oracle(endpoint, pairs);
            const fail = (why: string): never => {
              throw new Error(`${why} (oracle: ${JSON.stringify(verdict)})\n${describeExchange(request, response)}`);
            };
            if (response.status === 200) {
              const list = body as { data?: unknown; total?: unknown; limit?: unknown; offset?: unknown };
              if (
                !Array.isArray(list.data) ||
                !Number.isInteger(list.total) ||
                !Number.isInteger(list.limit) ||
                !Number.isInteger(list.offset)
              ) {
                fail('200 is not a list {data,total,limit,offset}');
              }
              if (verdict.bad.length > 0) {
                fail(`invalid ${verdict.bad.join(', ')} accepted`);
              }
              if (verdict.expect.limit !== undefined && list.limit !== verdict.expect.limit) {
                fail(`limit ${String(list.limit)} is not the requested ${verdict.expect.limit}`);
              }
              if (verdict.expect.offset !== undefined && list.offset !== verdict.expect.offset) {
                fail(`offset ${String(list.offset)} is not the requested ${verdict.expect.offset}`);
              }
              if (verdict.expect.limit === undefined && verdict.mustSucceed && list.limit !== 10) {
                fail(`default limit is ${String(list.limit)}, not 10`);
              }
            } else {
              if (verdict.mustSucceed) {
                fail('valid query rejected');
              }
              const { code, description } = (body as { error: { code: string; description: string } }).error;
              if (code !== 'BAD_REQUEST_ERROR') {
                fail(`400 with code ${code}`);
              }
              if (![...verdict.bad, ...verdict.unclear].some((name) => mentions(description, name))) {
                fail('400 does not name an offending parameter');
              }
            }
          }),
        ),
        runs(300),
      );
    });
  });

  describe('card data', () => {
    let cardMerchant: Merchant;
    let cardOrderId: string;

    beforeAll(async () => {
      cardMerchant = await newMerchant();
      await api()
        .put('/api/v1/webhooks/config')
        .set(authHeaders(cardMerchant))
        .send({ webhook_url: receiver.url() })
        .expect(200);
      cardOrderId = (await createOrder(cardMerchant, { amount: 50000 })).id;
    });

    it('should accept or reject card payments built from known numbers without echoing them', async () => {
      const card = fc.record({
        number: fc.constantFrom(...CARD_NUMBER_VARIANTS),
        expiry_month: fc.constantFrom('12', 12, '1', '13'),
        expiry_year: fc.constantFrom('2030', 30, '2020'),
        cvv: fc.constantFrom(CVV, 987, '98', 'x87'),
        holder_name: fc.constantFrom('John Doe', ''),
      });
      const body = fc.oneof(
        card.map((value) => ({ order_id: cardOrderId, method: 'card', card: value })),
        card.map((value) => ({
          order_id: cardOrderId,
          method: 'card',
          card_number: value.number,
          card_expiry: `${String(value.expiry_month)}/${String(value.expiry_year)}`,
          card_cvv: value.cvv,
        })),
        // Card data where it does not belong must not be stored either.
        card.map((value) => ({ order_id: cardOrderId, method: 'upi', vpa: 'success@test', card: value })),
      );
      await fc.assert(
        fc.asyncProperty(
          body,
          idempotencyKey,
          fc.boolean(),
          budget(async (value, key, isPublic) => {
            const request: Request = isPublic
              ? { method: 'POST', path: '/api/v1/payments/public', body: json(value), contentType: 'application/json' }
              : {
                  method: 'POST',
                  path: '/api/v1/payments',
                  headers: withKey(authHeaders(cardMerchant), key),
                  body: json(value),
                  contentType: 'application/json',
                };
            const response = await send(request);
            checkResponse(request, response);
          }),
        ),
        runs(60),
      );
      // Let the events of these payments reach webhook_logs and the receiver before the data is searched.
      await eventually(
        async () => {
          const pending = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM payments WHERE merchant_id = $1 AND status IN ('pending', 'processing')`,
            [cardMerchant.id],
          );
          return pending.rows[0].n === 0 ? true : undefined;
        },
        30_000,
        250,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    });

    it('should never return or store a full card number or a CVV', async () => {
      const merchants = [main.id, cardMerchant.id];
      const rows = await db.query<{ source: string; text: string }>(
        `SELECT 'payments' AS source, row_to_json(t)::text AS text FROM payments t WHERE merchant_id = ANY($1)
         UNION ALL SELECT 'orders', row_to_json(t)::text FROM orders t WHERE merchant_id = ANY($1)
         UNION ALL SELECT 'idempotency_keys', row_to_json(t)::text FROM idempotency_keys t WHERE merchant_id = ANY($1)
         UNION ALL SELECT 'webhook_logs', row_to_json(t)::text FROM webhook_logs t WHERE merchant_id = ANY($1)
         UNION ALL SELECT 'webhook_attempts', row_to_json(a)::text FROM webhook_attempts a
           JOIN webhook_logs l ON l.id = a.webhook_log_id WHERE l.merchant_id = ANY($1)
         UNION ALL SELECT 'outbox', row_to_json(t)::text FROM outbox t`,
        [merchants],
      );
      const counts = rows.rows.reduce<Record<string, number>>(
        (acc, row) => ({ ...acc, [row.source]: (acc[row.source] ?? 0) + 1 }),
        {},
      );
      // The search must have something to search: payments and their stored idempotent responses.
      expect(counts.payments).toBeGreaterThan(0);
      expect(counts.idempotency_keys).toBeGreaterThan(0);
      expect(counts.webhook_logs).toBeGreaterThan(0);
      const sources: { source: string; text: string }[] = [
        ...rows.rows,
        ...transcript.map((text) => ({ source: 'response', text })),
        ...receiver.received().map((request) => ({ source: 'webhook delivery', text: request.body })),
      ];
      const leaks = sources
        .filter(({ text }) => {
          const compact = text.replace(/[\s-]/g, '');
          return CARD_NUMBERS.some((number) => compact.includes(number)) || CVV_FIELD.test(text);
        })
        .map(({ source, text }) => `${source}: ${clip(text, 800)}`);
      expect(leaks).toEqual([]);
    });
  });
});
