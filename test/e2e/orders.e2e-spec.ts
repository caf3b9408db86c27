import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';
import {
  api,
  authHeaders,
  createOrder,
  createPayment,
  newMerchant,
  waitForFinalPayment,
  type Credentials,
} from '../support/api.js';
import { sql } from '../support/db.js';

// Generous under load: the gateway runs as a separate process, with real PostgreSQL and Redis.
jest.setTimeout(30_000);

const SEEDED_ID = '550e8400-e29b-41d4-a716-446655440000';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ORDER_ID = /^order_[A-Za-z0-9]{16}$/;
/** Razorpay-compatible optional fields an error envelope may add (CONTRACT §5.5a). */
const ERROR_KEYS = ['code', 'description', 'source', 'step', 'reason', 'metadata', 'field'];

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

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
}

async function orderCount(merchantId: string): Promise<number> {
  const [row] = await sql<{ count: number }>('SELECT count(*)::int AS count FROM orders WHERE merchant_id = $1', [
    merchantId,
  ]);
  return row.count;
}

function post(credentials: Credentials, body: unknown) {
  return api()
    .post('/api/v1/orders')
    .set(authHeaders(credentials))
    .send(body as object);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /api/v1/orders', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
  });

  it('should create an order with the documented shape and defaults', async () => {
    const before = Date.now();
    const response = await post(merchant, { amount: 50000 }).expect(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      id: expect.stringMatching(ORDER_ID),
      merchant_id: merchant.id,
      amount: 50000,
      currency: 'INR',
      receipt: null,
      notes: null,
      status: 'created',
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    });
    expect(Date.parse(response.body.created_at)).toBeGreaterThanOrEqual(before - 5000);
    expect(Date.parse(response.body.created_at)).toBeLessThanOrEqual(Date.now() + 5000);
    const rows = await sql('SELECT merchant_id, amount, currency, receipt, notes, status FROM orders WHERE id = $1', [
      response.body.id,
    ]);
    expect(rows).toEqual([
      { merchant_id: merchant.id, amount: 50000, currency: 'INR', receipt: null, notes: null, status: 'created' },
    ]);
  });

  it('should create an order for the seeded merchant', async () => {
    const response = await api().post('/api/v1/orders').set(authHeaders()).send({ amount: 100 }).expect(201);
    expect(response.body.merchant_id).toBe(SEEDED_ID);
  });

  it('should store the given currency, receipt and notes', async () => {
    const notes = { customer: 'Jane', nested: { tier: 2, tags: ['a', 'b'] }, empty: null };
    const response = await post(merchant, { amount: 12345, currency: 'USD', receipt: 'rcpt_42', notes }).expect(201);
    expect(response.body).toMatchObject({ amount: 12345, currency: 'USD', receipt: 'rcpt_42', notes });
    const fetched = await api().get(`/api/v1/orders/${response.body.id}`).set(authHeaders(merchant)).expect(200);
    expect(fetched.body).toEqual(response.body);
  });

  it('should accept the boundary amounts 100 and 2147483647', async () => {
    expect((await post(merchant, { amount: 100 }).expect(201)).body.amount).toBe(100);
    expect((await post(merchant, { amount: 2147483647 }).expect(201)).body.amount).toBe(2147483647);
  });

  it('should accept a receipt of exactly 255 characters and an empty notes object', async () => {
    const receipt = 'r'.repeat(255);
    const response = await post(merchant, { amount: 5000, receipt, notes: {} }).expect(201);
    expect(response.body.receipt).toBe(receipt);
    expect(response.body.notes).toEqual({});
  });

  it('should accept explicit null receipt and notes', async () => {
    const response = await post(merchant, { amount: 5000, receipt: null, notes: null }).expect(201);
    expect(response.body.receipt).toBeNull();
    expect(response.body.notes).toBeNull();
  });

  it('should ignore unknown fields', async () => {
    const response = await post(merchant, {
      amount: 5000,
      foo: 'bar',
      status: 'paid',
      merchant_id: SEEDED_ID,
      id: 'order_AAAAAAAAAAAAAAAA',
    }).expect(201);
    expect(response.body).not.toHaveProperty('foo');
    expect(response.body.status).toBe('created');
    expect(response.body.merchant_id).toBe(merchant.id);
    expect(response.body.id).not.toBe('order_AAAAAAAAAAAAAAAA');
  });

  it('should generate distinct ids', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, async () => (await createOrder(merchant)).id));
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(ORDER_ID);
  });
});

describe('POST /api/v1/orders validation', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['amount missing', {}, 'amount is required'],
    ['amount missing with other fields', { currency: 'INR', receipt: 'r1' }, 'amount is required'],
    ['amount as a string', { amount: '50000' }, 'amount must be an integer'],
    ['amount as a fraction', { amount: 100.5 }, 'amount must be an integer'],
    ['amount as a boolean', { amount: true }, 'amount must be an integer'],
    ['amount as an object', { amount: { value: 500 } }, 'amount must be an integer'],
    ['amount 99', { amount: 99 }, 'amount must be at least 100'],
    ['amount 0', { amount: 0 }, 'amount must be at least 100'],
    ['amount negative', { amount: -50000 }, 'amount must be at least 100'],
    ['amount 2147483648', { amount: 2147483648 }, 'amount must be at most 2147483647'],
    ['amount 1e12', { amount: 1e12 }, 'amount must be at most 2147483647'],
    ['currency lowercase', { amount: 50000, currency: 'inr' }, 'currency must be a 3-letter ISO code'],
    ['currency with 4 letters', { amount: 50000, currency: 'INRR' }, 'currency must be a 3-letter ISO code'],
    ['currency with 2 letters', { amount: 50000, currency: 'IN' }, 'currency must be a 3-letter ISO code'],
    ['currency as a number', { amount: 50000, currency: 356 }, 'currency must be a 3-letter ISO code'],
    ['currency empty', { amount: 50000, currency: '' }, 'currency must be a 3-letter ISO code'],
    [
      'receipt of 256 characters',
      { amount: 50000, receipt: 'r'.repeat(256) },
      'receipt must be a string of at most 255 characters',
    ],
    ['receipt as a number', { amount: 50000, receipt: 12345 }, 'receipt must be a string of at most 255 characters'],
    [
      'receipt as an object',
      { amount: 50000, receipt: { a: 1 } },
      'receipt must be a string of at most 255 characters',
    ],
    ['notes as an array', { amount: 50000, notes: ['a', 'b'] }, 'notes must be an object'],
    ['notes as a string', { amount: 50000, notes: 'some notes' }, 'notes must be an object'],
    ['notes as a number', { amount: 50000, notes: 42 }, 'notes must be an object'],
  ];

  it.each(cases)('should reject %s with the exact description', async (_name, body, description) => {
    const response = await post(merchant, body);
    expectError(response, 400, 'BAD_REQUEST_ERROR', description);
    expect(response.body.error.code).toBe('BAD_REQUEST_ERROR');
  });

  it('should have written no order row for any rejected request', async () => {
    expect(await orderCount(merchant.id)).toBe(0);
  });
});

describe('GET /api/v1/orders/{id}', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
  });

  it('should return the order exactly as created', async () => {
    const created = await post(merchant, { amount: 7500, receipt: 'r-get', notes: { k: 'v' } }).expect(201);
    const response = await api().get(`/api/v1/orders/${created.body.id}`).set(authHeaders(merchant)).expect(200);
    expect(response.body).toEqual(created.body);
  });

  it('should answer an unknown id with 404 "Order not found"', async () => {
    const response = await api().get('/api/v1/orders/order_AAAAAAAAAAAAAAAA').set(authHeaders(merchant));
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND_ERROR', description: 'Order not found' } });
    expectError(response, 404, 'NOT_FOUND_ERROR', 'Order not found');
  });

  it('should answer malformed ids with 404 "Order not found"', async () => {
    for (const id of ['order_' + 'a'.repeat(300), 'x', 'order_with.dots', 'pay_AAAAAAAAAAAAAAAA', '12345']) {
      expectError(
        await api().get(`/api/v1/orders/${id}`).set(authHeaders(merchant)),
        404,
        'NOT_FOUND_ERROR',
        'Order not found',
      );
    }
  });
});

describe('GET /api/v1/orders (list)', () => {
  let merchant: Merchant;
  const ids: string[] = [];

  beforeAll(async () => {
    merchant = await newMerchant();
    for (let i = 0; i < 4; i += 1) {
      ids.push((await createOrder(merchant, { amount: 1000 + i })).id);
      await sleep(5);
    }
    ids.reverse(); // newest first
  });

  it('should list the orders newest first with total, limit and offset', async () => {
    const response = await api().get('/api/v1/orders').set(authHeaders(merchant)).expect(200);
    expect(Object.keys(response.body).sort()).toEqual(['data', 'limit', 'offset', 'total']);
    expect(response.body.total).toBe(4);
    expect(response.body.limit).toBe(10);
    expect(response.body.offset).toBe(0);
    expect(response.body.data.map((o: { id: string }) => o.id)).toEqual(ids);
    expect(response.body.data.map((o: { amount: number }) => o.amount)).toEqual([1003, 1002, 1001, 1000]);
    const single = await api().get(`/api/v1/orders/${ids[0]}`).set(authHeaders(merchant)).expect(200);
    expect(response.body.data[0]).toEqual(single.body);
  });

  it('should page with limit and offset', async () => {
    const first = await api().get('/api/v1/orders?limit=2').set(authHeaders(merchant)).expect(200);
    expect(first.body.total).toBe(4);
    expect(first.body.limit).toBe(2);
    expect(first.body.offset).toBe(0);
    expect(first.body.data.map((o: { id: string }) => o.id)).toEqual(ids.slice(0, 2));
    const second = await api().get('/api/v1/orders?limit=2&offset=2').set(authHeaders(merchant)).expect(200);
    expect(second.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(second.body.data.map((o: { id: string }) => o.id)).toEqual(ids.slice(2, 4));
    const beyond = await api().get('/api/v1/orders?offset=10').set(authHeaders(merchant)).expect(200);
    expect(beyond.body).toEqual({ data: [], total: 4, limit: 10, offset: 10 });
    const max = await api().get('/api/v1/orders?limit=100').set(authHeaders(merchant)).expect(200);
    expect(max.body).toMatchObject({ total: 4, limit: 100, offset: 0 });
    const minimum = await api().get('/api/v1/orders?limit=1').set(authHeaders(merchant)).expect(200);
    expect(minimum.body.data.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
  });

  it('should accept the Razorpay aliases count and skip', async () => {
    const response = await api().get('/api/v1/orders?count=1&skip=2').set(authHeaders(merchant)).expect(200);
    expect(response.body).toMatchObject({ total: 4, limit: 1, offset: 2 });
    expect(response.body.data.map((o: { id: string }) => o.id)).toEqual([ids[2]]);
  });

  it('should filter by status', async () => {
    const created = await api().get('/api/v1/orders?status=created').set(authHeaders(merchant)).expect(200);
    expect(created.body.total).toBe(4);
    const paidBefore = await api().get('/api/v1/orders?status=paid').set(authHeaders(merchant)).expect(200);
    expect(paidBefore.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });

    const payment = await createPayment(ids[1], { method: 'upi', vpa: 'success@test' }, merchant);
    expect((await waitForFinalPayment(payment.id, merchant)).status).toBe('success');

    const paid = await api().get('/api/v1/orders?status=paid').set(authHeaders(merchant)).expect(200);
    expect(paid.body.total).toBe(1);
    expect(paid.body.data.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([[ids[1], 'paid']]);
    const stillCreated = await api()
      .get('/api/v1/orders?status=created&limit=10')
      .set(authHeaders(merchant))
      .expect(200);
    expect(stillCreated.body.total).toBe(3);
    expect(stillCreated.body.data.map((o: { id: string }) => o.id)).toEqual([ids[0], ids[2], ids[3]]);
  });

  it("should list only the caller's orders", async () => {
    const other = await newMerchant();
    const response = await api().get('/api/v1/orders').set(authHeaders(other)).expect(200);
    expect(response.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });
  });

  const badQueries: [string, RegExp | string][] = [
    ['limit=0', 'limit must be an integer between 1 and 100'],
    ['limit=101', 'limit must be an integer between 1 and 100'],
    ['limit=abc', 'limit must be an integer between 1 and 100'],
    ['limit=1.5', 'limit must be an integer between 1 and 100'],
    ['limit=-1', 'limit must be an integer between 1 and 100'],
    ['offset=-1', /offset/],
    ['offset=abc', /offset/],
    ['offset=2.5', /offset/],
    ['status=bogus', /status/],
    ['status=PAID', /status/],
    ['count=0', /count|limit/],
    ['skip=-1', /skip|offset/],
  ];

  it.each(badQueries)('should reject ?%s with 400 naming the parameter', async (query, description) => {
    expectError(
      await api().get(`/api/v1/orders?${query}`).set(authHeaders(merchant)),
      400,
      'BAD_REQUEST_ERROR',
      description,
    );
  });
});

describe('GET /api/v1/orders/{id}/public', () => {
  it('should return the public view of an order without authentication', async () => {
    const merchant = await newMerchant();
    const order = await createOrder(merchant, { amount: 50000, receipt: 'private-receipt', notes: { secret: 'x' } });
    const response = await api()
      .get(`/api/v1/orders/${order.id}/public`)
      .set('Origin', 'https://shop.example.com')
      .expect(200);
    expect(response.body).toEqual({
      id: order.id,
      amount: 50000,
      currency: 'INR',
      status: 'created',
      merchant_name: 'E2E Merchant',
      created_at: expect.stringMatching(ISO_MS),
    });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('should show the seeded merchant name', async () => {
    const order = await createOrder();
    const response = await api().get(`/api/v1/orders/${order.id}/public`).expect(200);
    expect(response.body.merchant_name).toBe('Test Merchant');
  });

  it('should answer an unknown order with 404 "Order not found"', async () => {
    for (const id of ['order_AAAAAAAAAAAAAAAA', 'order_' + 'z'.repeat(300), 'nope']) {
      const response = await api().get(`/api/v1/orders/${id}/public`);
      expectError(response, 404, 'NOT_FOUND_ERROR', 'Order not found');
    }
  });
});
