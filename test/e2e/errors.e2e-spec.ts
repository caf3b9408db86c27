import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { api, authHeaders, createOrder, newMerchant } from '../support/api.js';
import { sql } from '../support/db.js';
import { sharedGatewayUrl } from '../support/gateway.mjs';

// Generous under load: the gateway runs as a separate process, with real PostgreSQL and Redis.
jest.setTimeout(30_000);

/** Razorpay-compatible optional fields an error envelope may add (CONTRACT §5.5a). */
const ERROR_KEYS = ['code', 'description', 'source', 'step', 'reason', 'metadata', 'field'];
/** Things that must never leak into a response: stack frames, SQL, driver and framework internals. */
const LEAKS =
  /(\n\s+at |\bat [\w.<>]+ \(|node_modules|QueryFailedError|\bSELECT\b|\bINSERT\b|\bUPDATE \w+ SET\b|syntax error|\bpg_|typeorm|postgres|\.ts:\d+|\.js:\d+|FST_ERR|\bstack\b)/i;

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

function expectNoLeak(response: Response): void {
  expect(response.text ?? '').not.toMatch(LEAKS);
}

function expectError(response: Response, status: number, code: string, description?: string | RegExp): void {
  const expectedDescription =
    description === undefined
      ? expect.any(String)
      : typeof description === 'string'
        ? description
        : expect.stringMatching(description);
  expect({ status: response.status, body: response.body as unknown }).toEqual({
    status,
    body: { error: expect.objectContaining({ code, description: expectedDescription }) },
  });
  expect(Object.keys(response.body.error).filter((key) => !ERROR_KEYS.includes(key))).toEqual([]);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expectNoLeak(response);
}

/** Any 4xx, as long as it is the JSON envelope. */
function expectClientErrorEnvelope(response: Response): void {
  expect({ status: response.status, body: response.body as unknown }).toEqual({
    status: expect.any(Number),
    body: { error: expect.objectContaining({ code: expect.any(String), description: expect.any(String) }) },
  });
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expectNoLeak(response);
}

function rawPost(path: string, body: string, headers: Record<string, string> = authHeaders()) {
  return api().post(path).set(headers).set('Content-Type', 'application/json').send(body);
}

describe('request bodies', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
  });

  it('should answer malformed JSON with 400 "Malformed JSON in request body"', async () => {
    for (const body of ['{"amount": 50000,', '{amount: 50000}', "{'amount': 50000}", '{"amount": 50000}}', 'nul']) {
      const response = await rawPost('/api/v1/orders', body, authHeaders(merchant));
      expect(response.body).toEqual({
        error: { code: 'BAD_REQUEST_ERROR', description: 'Malformed JSON in request body' },
      });
      expectError(response, 400, 'BAD_REQUEST_ERROR', 'Malformed JSON in request body');
    }
  });

  it('should answer malformed JSON on public endpoints the same way', async () => {
    for (const path of ['/api/v1/payments/public', '/api/v1/auth/signup', '/api/v1/auth/login']) {
      expectError(await rawPost(path, '{"order_id":', {}), 400, 'BAD_REQUEST_ERROR', 'Malformed JSON in request body');
    }
  });

  it('should reject a JSON body that is not an object with 400 BAD_REQUEST_ERROR', async () => {
    const fresh = await newMerchant();
    for (const body of ['[1,2,3]', '[]', '"hello"', '42', 'true', 'null', '[{"amount":50000}]']) {
      expectError(await rawPost('/api/v1/orders', body, authHeaders(fresh)), 400, 'BAD_REQUEST_ERROR');
      expectError(await rawPost('/api/v1/payments/public', body, {}), 400, 'BAD_REQUEST_ERROR');
    }
    expect(await sql('SELECT id FROM orders WHERE merchant_id = $1', [merchant.id])).toEqual([]);
  });

  it('should treat an empty POST body as {}', async () => {
    const withoutType = await api().post('/api/v1/orders').set(authHeaders(merchant));
    expectError(withoutType, 400, 'BAD_REQUEST_ERROR', 'amount is required');
    const withType = await api()
      .post('/api/v1/orders')
      .set(authHeaders(merchant))
      .set('Content-Type', 'application/json')
      .send('');
    expectError(withType, 400, 'BAD_REQUEST_ERROR', 'amount is required');
    const publicPayment = await api().post('/api/v1/payments/public').set('Content-Type', 'application/json').send('');
    expectError(publicPayment, 400, 'BAD_REQUEST_ERROR', 'order_id is required');
    const other = await newMerchant();
    const regenerate = await api()
      .post('/api/v1/merchants/me/regenerate-keys')
      .set('Cookie', other.cookie)
      .set('Content-Type', 'application/json')
      .send('');
    expect(regenerate.status).toBe(200);
  });

  it('should accept application/json with a charset parameter', async () => {
    await api()
      .post('/api/v1/orders')
      .set(authHeaders(merchant))
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ amount: 50000 }))
      .expect(201);
  });

  it('should answer a body that is not JSON with a 4xx envelope whatever its content type', async () => {
    const fresh = await newMerchant();
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'amount=50000'],
      ['application/xml', '<amount>50000</amount>'],
      ['text/plain', 'amount=50000'],
    ]) {
      const response = await api().post('/api/v1/orders').set(authHeaders(fresh)).set('Content-Type', type).send(body);
      expectClientErrorEnvelope(response);
    }
    expect(await sql('SELECT id FROM orders WHERE merchant_id = $1', [fresh.id])).toEqual([]);
  });

  it('should answer a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const fresh = await newMerchant();
    const body = JSON.stringify({ amount: 50000, receipt: 'x'.repeat(1_500_000) });
    const response = await rawPost('/api/v1/orders', body, authHeaders(fresh));
    expectError(response, 413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds the 1 MB limit');
    const unauthenticated = await rawPost(
      '/api/v1/payments/public',
      JSON.stringify({ order_id: 'order_x', padding: 'y'.repeat(2_000_000) }),
      {},
    );
    expectError(unauthenticated, 413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds the 1 MB limit');
    expect(await sql('SELECT id FROM orders WHERE merchant_id = $1', [fresh.id])).toEqual([]);
  });

  it('should let a client finish uploading an oversized body and read the 413, without a reset', async () => {
    const url = new URL('/api/v1/orders', sharedGatewayUrl());
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = 48; // 3 MB in pieces with pauses: the server has seen the Content-Length long before the end
    const req = http.request(url, {
      method: 'POST',
      headers: { ...authHeaders(), 'Content-Type': 'application/json', 'Content-Length': chunk.length * chunks },
    });
    const failed = new Promise<never>((_resolve, reject) => req.on('error', reject));
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (data: string) => (text += data));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
    });
    const upload = (async () => {
      for (let i = 0; i < chunks; i++) {
        if (!req.write(chunk)) await new Promise((drained) => req.once('drain', drained));
        await sleep(5);
      }
      await new Promise<void>((ended) => req.end(ended));
    })();
    // A reset connection (EPIPE / ECONNRESET while uploading) rejects `failed` and fails the test.
    const [{ status, text }] = await Promise.race([Promise.all([response, upload]), failed]);
    expect({ status, body: JSON.parse(text) as unknown }).toEqual({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', description: 'Request body exceeds the 1 MB limit' } },
    });
  });

  it('should accept a body just under 1 MB', async () => {
    const response = await rawPost(
      '/api/v1/orders',
      JSON.stringify({ amount: 50000, padding: 'p'.repeat(900_000) }),
      authHeaders(merchant),
    ).expect(201);
    expect(response.body).not.toHaveProperty('padding');
  });

  it('should answer a non-finite or huge amount with 400, never 500', async () => {
    for (const body of ['{"amount": 1e400}', '{"amount": -1e400}', '{"amount": 99999999999999999999999}']) {
      expectError(await rawPost('/api/v1/orders', body, authHeaders(merchant)), 400, 'BAD_REQUEST_ERROR', /amount/);
    }
  });

  it('should answer NUL characters in string fields without a 500', async () => {
    const order = await createOrder(merchant);
    const cases: [string, () => Promise<Response>][] = [
      [
        'order receipt',
        async () =>
          api().post('/api/v1/orders').set(authHeaders(merchant)).send({ amount: 50000, receipt: 'a\u0000b' }),
      ],
      [
        'order notes',
        async () =>
          api()
            .post('/api/v1/orders')
            .set(authHeaders(merchant))
            .send({ amount: 50000, notes: { 'k\u0000': 'v\u0000' } }),
      ],
      [
        'payment order_id',
        async () =>
          api()
            .post('/api/v1/payments')
            .set(authHeaders(merchant))
            .send({ order_id: 'order_\u0000', method: 'upi', vpa: 'user@paytm' }),
      ],
      [
        'public payment order_id',
        async () =>
          api().post('/api/v1/payments/public').send({ order_id: '\u0000', method: 'upi', vpa: 'user@paytm' }),
      ],
      [
        'payment vpa',
        async () =>
          api()
            .post('/api/v1/payments')
            .set(authHeaders(merchant))
            .send({ order_id: order.id, method: 'upi', vpa: 'user\u0000@paytm' }),
      ],
      [
        'login email',
        async () => api().post('/api/v1/auth/login').send({ email: 'a\u0000@example.com', password: 'password123' }),
      ],
      [
        'signup name',
        async () =>
          api()
            .post('/api/v1/auth/signup')
            .send({ name: 'N\u0000', email: `nul${Date.now()}@example.com`, password: 'password123' }),
      ],
    ];
    const failures: string[] = [];
    for (const [name, send] of cases) {
      const response = await send();
      if (response.status >= 500 || LEAKS.test(response.text ?? '')) {
        failures.push(`${name}: ${response.status} ${response.text}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('should report an order_id with a NUL character as an unknown order', async () => {
    expectError(
      await api()
        .post('/api/v1/payments')
        .set(authHeaders(merchant))
        .send({ order_id: 'order_\u0000', method: 'upi', vpa: 'user@paytm' }),
      404,
      'NOT_FOUND_ERROR',
      'Order not found',
    );
    expectError(
      await api().post('/api/v1/payments/public').send({ order_id: '\u0000', method: 'upi', vpa: 'user@paytm' }),
      404,
      'NOT_FOUND_ERROR',
      'Order not found',
    );
  });
});

describe('unknown routes and methods', () => {
  const unknown: [string, string][] = [
    ['GET', '/api/v1/nothing-here'],
    ['GET', '/api/v1'],
    ['GET', '/api/v2/orders'],
    ['GET', '/no/such/path'],
    ['POST', '/api/v1/nothing-here'],
    ['DELETE', '/api/v1/orders'],
    ['PUT', '/api/v1/payments'],
    ['PATCH', '/api/v1/orders/order_AAAAAAAAAAAAAAAA'],
    ['DELETE', '/api/v1/merchants/me'],
    ['GET', '/api/v1/auth/login'],
    ['POST', '/health'],
    ['POST', '/api/v1/payments/stats'],
    ['PUT', '/api/v1/orders/order_AAAAAAAAAAAAAAAA'],
  ];

  it.each(unknown)('should answer %s %s with 404 "Route not found"', async (method, path) => {
    const request = api()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set(authHeaders());
    const response = await request;
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND_ERROR', description: 'Route not found' } });
    expectError(response, 404, 'NOT_FOUND_ERROR', 'Route not found');
  });
});

describe('malformed ids in paths', () => {
  const weird: [string, string][] = [
    ['a NUL byte', '%00'],
    ['an embedded NUL byte', 'abc%00def'],
    ['an SQL injection', "'%20OR%20'1'%3D'1"],
    ['markup', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['a non-ASCII character', '%E2%9C%93'],
    ['encoded slashes', '..%2F..%2Fetc%2Fpasswd'],
    ['invalid UTF-8', '%ff'],
    ['a percent sign', '%25'],
    ['101 characters', 'a'.repeat(101)],
    ['506 characters', 'order_' + 'a'.repeat(500)],
    ['a semicolon and spaces', '1;DROP%20TABLE%20orders'],
  ];

  it.each(weird)('should answer an order id with %s with 404 "Order not found"', async (_name, id) => {
    expectError(await api().get(`/api/v1/orders/${id}`).set(authHeaders()), 404, 'NOT_FOUND_ERROR', 'Order not found');
    expectError(await api().get(`/api/v1/orders/${id}/public`), 404, 'NOT_FOUND_ERROR', 'Order not found');
  });

  it.each(weird)('should answer a payment id with %s with 404 "Payment not found"', async (_name, id) => {
    expectError(
      await api().get(`/api/v1/payments/${id}`).set(authHeaders()),
      404,
      'NOT_FOUND_ERROR',
      'Payment not found',
    );
    expectError(await api().get(`/api/v1/payments/${id}/public`), 404, 'NOT_FOUND_ERROR', 'Payment not found');
    expectError(await api().get(`/api/v1/payments/public/${id}`), 404, 'NOT_FOUND_ERROR', 'Payment not found');
  });

  it('should answer weird query values with 400 naming the parameter, never 500', async () => {
    for (const [query, name] of [
      ['status=%00', /status/],
      ['limit=%00', /limit/],
      ['limit=99999999999999999999', /limit/],
      ['status=created%27%20OR%201%3D1', /status/],
    ] as const) {
      expectError(await api().get(`/api/v1/orders?${query}`).set(authHeaders()), 400, 'BAD_REQUEST_ERROR', name);
    }
    const hugeOffset = await api().get('/api/v1/orders?offset=99999999999999999999').set(authHeaders());
    expect(hugeOffset.status).toBeLessThan(500);
    expect(hugeOffset.headers['content-type']).toMatch(/^application\/json/);
    expectNoLeak(hugeOffset);
  });
});

describe('response hygiene', () => {
  it('should answer every error with JSON content and no internals', async () => {
    const responses = [
      await api().get('/api/v1/orders'),
      await api().get('/api/v1/orders').set({ 'X-Api-Key': "key'--", 'X-Api-Secret': "secret'--" }),
      await api()
        .get('/api/v1/orders')
        .set('Authorization', 'Basic ' + Buffer.from("x':y").toString('base64')),
      await api().post('/api/v1/orders').set(authHeaders()).send({ amount: 'x' }),
      await api().get('/api/v1/orders/order_missing').set(authHeaders()),
      await api().get('/api/v1/whatever'),
      await api().post('/api/v1/auth/login').send({ email: "' OR 1=1 --", password: 'x' }),
      await rawPost('/api/v1/orders', '{bad json'),
    ];
    for (const response of responses) {
      expectClientErrorEnvelope(response);
    }
  });

  it('should carry X-Request-Id on every response and echo the client value', async () => {
    const generated = [
      await api().get('/health'),
      await api().get('/api/v1/orders').set(authHeaders()),
      await api().get('/api/v1/orders'),
      await api().get('/api/v1/nothing-here'),
      await api().post('/api/v1/orders').set(authHeaders()).send({}),
    ];
    for (const response of generated) {
      expect(response.headers['x-request-id']).toEqual(expect.stringMatching(/\S+/));
    }
    expect(new Set(generated.map((r) => r.headers['x-request-id'])).size).toBe(generated.length);
    for (const response of [
      await api().get('/health').set('X-Request-Id', 'e2e-request-1'),
      await api().get('/api/v1/nothing-here').set('X-Request-Id', 'e2e-request-1'),
      await api().post('/api/v1/orders').set(authHeaders()).set('X-Request-Id', 'e2e-request-1').send({}),
      await api().get('/api/v1/orders').set('X-Request-Id', 'e2e-request-1'),
    ]) {
      expect(response.headers['x-request-id']).toBe('e2e-request-1');
    }
  });
});
