import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHmac, randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
  waitForFinalPayment,
  type Credentials,
} from '../support/api.js';
import { sql } from '../support/db.js';
import { LOG_DIR } from '../support/gateway.mjs';

// Generous under load: the gateway runs as a separate process, with real PostgreSQL and Redis.
jest.setTimeout(30_000);

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PAYMENT_ID = /^pay_[A-Za-z0-9]{16}$/;
/** Razorpay-compatible optional fields an error envelope may add (CONTRACT §5.5a). */
const ERROR_KEYS = ['code', 'description', 'source', 'step', 'reason', 'metadata', 'field'];

type Merchant = Awaited<ReturnType<typeof newMerchant>>;
type Body = Record<string, unknown>;

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

/** Appends the Luhn check digit to `partial`. */
function withLuhn(partial: string): string {
  const digits = partial.split('').reverse().map(Number);
  let sum = 0;
  digits.forEach((digit, index) => {
    let value = digit;
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) {
        value -= 9;
      }
    }
    sum += value;
  });
  return `${partial}${(10 - (sum % 10)) % 10}`;
}

function randomDigits(length: number): string {
  return Array.from({ length }, () => String(randomInt(10))).join('');
}

const now = new Date();
const CURRENT_YEAR = now.getUTCFullYear();
const CURRENT_MONTH = now.getUTCMonth() + 1;
const FUTURE_YEAR = CURRENT_YEAR + 3;
const PREVIOUS =
  CURRENT_MONTH === 1 ? { month: 12, year: CURRENT_YEAR - 1 } : { month: CURRENT_MONTH - 1, year: CURRENT_YEAR };

function card(overrides: Body = {}): Body {
  return {
    method: 'card',
    card: {
      number: '4111111111111111',
      expiry_month: '12',
      expiry_year: String(FUTURE_YEAR),
      cvv: '123',
      holder_name: 'John Doe',
      ...overrides,
    },
  };
}

function pay(credentials: Credentials, body: Body) {
  return api().post('/api/v1/payments').set(authHeaders(credentials)).send(body);
}

function hmac(secret: string, orderId: string, paymentId: string): string {
  return createHmac('sha256', secret).update(`${orderId}|${paymentId}`).digest('hex');
}

async function paymentCount(merchantId: string): Promise<number> {
  const [row] = await sql<{ count: number }>('SELECT count(*)::int AS count FROM payments WHERE merchant_id = $1', [
    merchantId,
  ]);
  return row.count;
}

describe('POST /api/v1/payments', () => {
  let merchant: Merchant;
  let orderId: string;

  beforeAll(async () => {
    merchant = await newMerchant();
    orderId = (await createOrder(merchant, { amount: 50000 })).id;
  });

  it('should create a UPI payment with the documented shape, pending and not captured', async () => {
    const before = Date.now();
    const response = await pay(merchant, { order_id: orderId, method: 'upi', vpa: 'user@paytm' }).expect(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      id: expect.stringMatching(PAYMENT_ID),
      order_id: orderId,
      amount: 50000,
      currency: 'INR',
      method: 'upi',
      vpa: 'user@paytm',
      card_network: null,
      card_last4: null,
      status: 'pending',
      captured: false,
      error_code: null,
      error_description: null,
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    });
    expect(Date.parse(response.body.created_at)).toBeGreaterThanOrEqual(before - 5000);
    const rows = await sql('SELECT merchant_id, order_id, amount, method, vpa FROM payments WHERE id = $1', [
      response.body.id,
    ]);
    expect(rows).toEqual([
      { merchant_id: merchant.id, order_id: orderId, amount: 50000, method: 'upi', vpa: 'user@paytm' },
    ]);
  });

  it('should create a card payment with network and last4 but no card data', async () => {
    const response = await pay(merchant, { order_id: orderId, ...card() }).expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(PAYMENT_ID),
      order_id: orderId,
      amount: 50000,
      currency: 'INR',
      method: 'card',
      vpa: null,
      card_network: 'visa',
      card_last4: '1111',
      status: 'pending',
      captured: false,
      error_code: null,
      error_description: null,
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    });
  });

  it('should copy amount and currency from the order and ignore them in the body', async () => {
    const order = await createOrder(merchant, { amount: 12345, currency: 'EUR' });
    const response = await pay(merchant, {
      order_id: order.id,
      method: 'upi',
      vpa: 'user@paytm',
      amount: 1,
      currency: 'USD',
    }).expect(201);
    expect(response.body.amount).toBe(12345);
    expect(response.body.currency).toBe('EUR');
  });

  it('should ignore unknown fields', async () => {
    const response = await pay(merchant, {
      order_id: orderId,
      method: 'upi',
      vpa: 'user@paytm',
      status: 'success',
      captured: true,
      foo: 'bar',
    }).expect(201);
    expect(response.body.status).toBe('pending');
    expect(response.body.captured).toBe(false);
    expect(response.body).not.toHaveProperty('foo');
  });

  it("should reject another merchant's order with 404 and write nothing", async () => {
    const other = await newMerchant();
    const response = await pay(other, { order_id: orderId, method: 'upi', vpa: 'user@paytm' });
    expectError(response, 404, 'NOT_FOUND_ERROR', 'Order not found');
    expect(await paymentCount(other.id)).toBe(0);
  });
});

describe('POST /api/v1/payments check order', () => {
  let merchant: Merchant;
  let orderId: string;

  beforeAll(async () => {
    merchant = await newMerchant();
    orderId = (await createOrder(merchant)).id;
  });

  const unknownOrder = 'order_AAAAAAAAAAAAAAAA';

  it('should require order_id before looking anything up', async () => {
    for (const body of [
      {},
      { method: 'upi', vpa: 'user@paytm' },
      { method: 'bogus' },
      { order_id: 12345, method: 'upi', vpa: 'user@paytm' },
      { order_id: null, method: 'upi', vpa: 'user@paytm' },
      { order_id: ['x'], method: 'bogus' },
    ]) {
      const response = await pay(merchant, body);
      expect(response.body).toEqual({ error: { code: 'BAD_REQUEST_ERROR', description: 'order_id is required' } });
      expectError(response, 400, 'BAD_REQUEST_ERROR', 'order_id is required');
    }
  });

  it('should report an unknown order before checking the method or instrument', async () => {
    for (const body of [
      { order_id: unknownOrder, method: 'upi', vpa: 'user@paytm' },
      { order_id: unknownOrder, method: 'bogus' },
      { order_id: unknownOrder },
      { order_id: unknownOrder, method: 'upi', vpa: 'invalid-vpa' },
      { order_id: unknownOrder, ...card({ number: '1234567890123456' }) },
    ]) {
      const response = await pay(merchant, body);
      expect(response.body).toEqual({ error: { code: 'NOT_FOUND_ERROR', description: 'Order not found' } });
      expectError(response, 404, 'NOT_FOUND_ERROR', 'Order not found');
    }
  });

  it('should reject a missing or unknown method', async () => {
    for (const method of [undefined, 'netbanking', 'UPI', 'Card', '', 123, null]) {
      const body: Body = { order_id: orderId, vpa: 'user@paytm' };
      if (method !== undefined) {
        body.method = method;
      }
      expectError(await pay(merchant, body), 400, 'BAD_REQUEST_ERROR', 'method must be one of: upi, card');
    }
  });

  it('should require a non-empty vpa for UPI', async () => {
    for (const vpa of [undefined, '', null]) {
      const body: Body = { order_id: orderId, method: 'upi' };
      if (vpa !== undefined) {
        body.vpa = vpa;
      }
      expectError(await pay(merchant, body), 400, 'BAD_REQUEST_ERROR', 'vpa is required');
    }
  });

  it('should name the first missing card field', async () => {
    const cases: [Body, string][] = [
      [{ method: 'card' }, 'card.number is required'],
      [{ method: 'card', card: {} }, 'card.number is required'],
      [{ method: 'card', card: { expiry_month: '12', expiry_year: '2030', cvv: '123' } }, 'card.number is required'],
      [{ method: 'card', card: { number: '4111111111111111' } }, 'card.expiry_month is required'],
      [
        { method: 'card', card: { number: '4111111111111111', expiry_year: '2030', cvv: '123' } },
        'card.expiry_month is required',
      ],
      [{ method: 'card', card: { number: '4111111111111111', expiry_month: '12' } }, 'card.expiry_year is required'],
      [
        { method: 'card', card: { number: '4111111111111111', expiry_month: '12', cvv: '123' } },
        'card.expiry_year is required',
      ],
      [
        { method: 'card', card: { number: '4111111111111111', expiry_month: '12', expiry_year: '2030' } },
        'card.cvv is required',
      ],
      // Presence is checked before validity.
      [{ method: 'card', card: { number: '1234567890123456', expiry_month: '12' } }, 'card.expiry_year is required'],
      [{ method: 'card', card: { number: '1234', expiry_month: '01', expiry_year: '2020' } }, 'card.cvv is required'],
    ];
    for (const [body, description] of cases) {
      expectError(await pay(merchant, { order_id: orderId, ...body }), 400, 'BAD_REQUEST_ERROR', description);
    }
  });

  it('should reject invalid VPAs with INVALID_VPA', async () => {
    for (const vpa of [
      'invalid-vpa',
      'user@ok-hdfc',
      'user@bank.com',
      '@paytm',
      'user@',
      'user@@paytm',
      'us er@paytm',
      'user@pay tm',
      'user@paytm@ybl',
    ]) {
      const response = await pay(merchant, { order_id: orderId, method: 'upi', vpa });
      expect(response.body).toEqual({ error: { code: 'INVALID_VPA', description: 'VPA format invalid' } });
      expectError(response, 400, 'INVALID_VPA', 'VPA format invalid');
    }
  });

  it('should accept valid VPAs', async () => {
    for (const vpa of ['user@paytm', 'john.doe@okhdfcbank', 'a_b-c.d@ybl', 'USER123@SBI']) {
      const response = await pay(merchant, { order_id: orderId, method: 'upi', vpa }).expect(201);
      expect(response.body.vpa).toBe(vpa);
    }
  });

  it('should reject card numbers failing length or Luhn with INVALID_CARD', async () => {
    for (const number of [
      '1234567890123456',
      '4111111111111112',
      '4111',
      withLuhn('41111111111'), // 12 digits
      withLuhn('4111111111111111111'), // 20 digits
      'abcd efgh ijkl mnop',
      '4111x11111111111',
    ]) {
      const response = await pay(merchant, { order_id: orderId, ...card({ number }) });
      expect(response.body).toEqual({ error: { code: 'INVALID_CARD', description: 'Card validation failed' } });
      expectError(response, 400, 'INVALID_CARD', 'Card validation failed');
    }
  });

  it('should report a bad number before an expired date', async () => {
    const response = await pay(merchant, {
      order_id: orderId,
      ...card({ number: '1234567890123456', expiry_month: '01', expiry_year: '2020', cvv: '1' }),
    });
    expectError(response, 400, 'INVALID_CARD', 'Card validation failed');
  });

  it('should reject an expired or unparsable expiry with EXPIRED_CARD', async () => {
    for (const expiry of [
      { expiry_month: '01', expiry_year: '2020' },
      { expiry_month: 1, expiry_year: 2020 },
      { expiry_month: '01', expiry_year: '20' },
      { expiry_month: String(PREVIOUS.month), expiry_year: String(PREVIOUS.year) },
      { expiry_month: '12', expiry_year: String(CURRENT_YEAR - 1) },
      { expiry_month: '13', expiry_year: String(FUTURE_YEAR) },
      { expiry_month: '0', expiry_year: String(FUTURE_YEAR) },
      { expiry_month: 'ab', expiry_year: String(FUTURE_YEAR) },
      { expiry_month: '12', expiry_year: 'abcd' },
      { expiry_month: '1.5', expiry_year: String(FUTURE_YEAR) },
    ]) {
      const response = await pay(merchant, { order_id: orderId, ...card(expiry) });
      expect(response.body).toEqual({ error: { code: 'EXPIRED_CARD', description: 'Card expiry date invalid' } });
      expectError(response, 400, 'EXPIRED_CARD', 'Card expiry date invalid');
    }
  });

  it('should report an expired date before a bad CVV', async () => {
    const response = await pay(merchant, {
      order_id: orderId,
      ...card({ expiry_month: '01', expiry_year: '2020', cvv: '1' }),
    });
    expectError(response, 400, 'EXPIRED_CARD', 'Card expiry date invalid');
  });

  it('should reject a bad CVV with INVALID_CARD naming card.cvv', async () => {
    for (const cvv of ['12', '12345', 'abc', '12a', ' 123', 12]) {
      const response = await pay(merchant, { order_id: orderId, ...card({ cvv }) });
      expect(response.body).toEqual({
        error: { code: 'INVALID_CARD', description: 'card.cvv must be 3 or 4 digits' },
      });
      expectError(response, 400, 'INVALID_CARD', 'card.cvv must be 3 or 4 digits');
    }
  });

  it('should have written no payment row for any rejected request', async () => {
    const [before] = await sql<{ count: number }>(
      "SELECT count(*)::int AS count FROM payments WHERE merchant_id = $1 AND method = 'card'",
      [merchant.id],
    );
    expect(before.count).toBe(0);
    const fresh = await newMerchant();
    const order = await createOrder(fresh);
    for (const body of [
      {},
      { order_id: order.id },
      { order_id: order.id, method: 'upi' },
      { order_id: order.id, method: 'upi', vpa: 'bad' },
      { order_id: order.id, ...card({ number: '1234567890123456' }) },
      { order_id: order.id, ...card({ expiry_year: '2020', expiry_month: '01' }) },
      { order_id: order.id, ...card({ cvv: '1' }) },
    ]) {
      const response = await pay(fresh, body);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(await paymentCount(fresh.id)).toBe(0);
    const outbox = await sql('SELECT id FROM outbox WHERE payload::text LIKE $1', [`%${order.id}%`]);
    expect(outbox).toEqual([]);
  });
});

describe('card instruments', () => {
  let merchant: Merchant;
  let orderId: string;

  beforeAll(async () => {
    merchant = await newMerchant();
    orderId = (await createOrder(merchant)).id;
  });

  it('should accept integers for expiry month, year and CVV', async () => {
    const response = await pay(merchant, {
      order_id: orderId,
      ...card({ expiry_month: 12, expiry_year: FUTURE_YEAR, cvv: 123 }),
    }).expect(201);
    expect(response.body.card_network).toBe('visa');
  });

  it('should accept a 2-digit year and a 4-digit CVV', async () => {
    await pay(merchant, { order_id: orderId, ...card({ expiry_year: String(FUTURE_YEAR % 100) }) }).expect(201);
    await pay(merchant, { order_id: orderId, ...card({ expiry_year: FUTURE_YEAR % 100, cvv: '1234' }) }).expect(201);
  });

  it('should accept a card through the end of its expiry month', async () => {
    await pay(merchant, {
      order_id: orderId,
      ...card({ expiry_month: String(CURRENT_MONTH), expiry_year: String(CURRENT_YEAR) }),
    }).expect(201);
    await pay(merchant, {
      order_id: orderId,
      ...card({ expiry_month: String(CURRENT_MONTH).padStart(2, '0'), expiry_year: String(CURRENT_YEAR % 100) }),
    }).expect(201);
  });

  it('should accept a card without holder_name', async () => {
    await pay(merchant, {
      order_id: orderId,
      method: 'card',
      card: { number: '4111111111111111', expiry_month: '12', expiry_year: String(FUTURE_YEAR), cvv: '123' },
    }).expect(201);
  });

  it('should strip spaces and dashes from the number', async () => {
    for (const number of ['4111 1111 1111 1111', '4111-1111-1111-1111', '5555-5555 5555-4444']) {
      const response = await pay(merchant, { order_id: orderId, ...card({ number }) }).expect(201);
      expect(response.body.card_last4).toBe(number.slice(-4));
    }
  });

  it('should accept 13 and 19 digit numbers', async () => {
    const thirteen = await pay(merchant, { order_id: orderId, ...card({ number: '4222222222222' }) }).expect(201);
    expect(thirteen.body).toMatchObject({ card_network: 'visa', card_last4: '2222' });
    const long = withLuhn(`6${randomDigits(17)}`);
    const nineteen = await pay(merchant, { order_id: orderId, ...card({ number: long }) }).expect(201);
    expect(nineteen.body.card_last4).toBe(long.slice(-4));
  });

  it('should accept the flat card alias with MM/YY and MM/YYYY expiry', async () => {
    for (const expiry of [
      `12/${FUTURE_YEAR % 100}`,
      `12/${FUTURE_YEAR}`,
      `${String(CURRENT_MONTH).padStart(2, '0')}/${CURRENT_YEAR}`,
    ]) {
      const response = await pay(merchant, {
        order_id: orderId,
        method: 'card',
        card_number: '5555555555554444',
        card_expiry: expiry,
        card_cvv: '123',
        holder_name: 'Jane Doe',
      }).expect(201);
      expect(response.body).toMatchObject({ method: 'card', card_network: 'mastercard', card_last4: '4444' });
    }
  });

  it('should validate the flat card alias like the nested card', async () => {
    const flat = (overrides: Body): Body => ({
      order_id: orderId,
      method: 'card',
      card_number: '4111111111111111',
      card_expiry: `12/${FUTURE_YEAR}`,
      card_cvv: '123',
      ...overrides,
    });
    expectError(
      await pay(merchant, flat({ card_number: '1234567890123456' })),
      400,
      'INVALID_CARD',
      'Card validation failed',
    );
    expectError(await pay(merchant, flat({ card_expiry: '01/20' })), 400, 'EXPIRED_CARD', 'Card expiry date invalid');
    expectError(await pay(merchant, flat({ card_expiry: '01/2020' })), 400, 'EXPIRED_CARD', 'Card expiry date invalid');
    expectError(await pay(merchant, flat({ card_expiry: 'garbage' })), 400, 'EXPIRED_CARD', 'Card expiry date invalid');
    expectError(await pay(merchant, flat({ card_cvv: '12' })), 400, 'INVALID_CARD', 'card.cvv must be 3 or 4 digits');
  });

  it('should prefer the nested card object over the flat alias', async () => {
    const response = await pay(merchant, {
      order_id: orderId,
      ...card({ number: '378282246310005' }),
      card_number: '1234567890123456',
      card_expiry: '01/20',
      card_cvv: 'x',
    }).expect(201);
    expect(response.body).toMatchObject({ card_network: 'amex', card_last4: '0005' });
  });

  const networks: [string, string][] = [
    ['4111111111111111', 'visa'],
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    [withLuhn(`53${randomDigits(13)}`), 'mastercard'],
    ['378282246310005', 'amex'],
    ['371449635398431', 'amex'],
    ['6011111111111117', 'rupay'],
    [withLuhn(`60${randomDigits(13)}`), 'rupay'],
    [withLuhn(`65${randomDigits(13)}`), 'rupay'],
    [withLuhn(`81${randomDigits(13)}`), 'rupay'],
    [withLuhn(`89${randomDigits(13)}`), 'rupay'],
    ['2223003122003222', 'unknown'],
    ['3530111333300000', 'unknown'],
    [withLuhn(`50${randomDigits(13)}`), 'unknown'],
    [withLuhn(`56${randomDigits(13)}`), 'unknown'],
    [withLuhn(`80${randomDigits(13)}`), 'unknown'],
    [withLuhn(`36${randomDigits(12)}`), 'unknown'],
  ];

  it.each(networks)('should detect the network of %s as %s', async (number, network) => {
    const response = await pay(merchant, { order_id: orderId, ...card({ number }) }).expect(201);
    expect(response.body.card_network).toBe(network);
    expect(response.body.card_last4).toBe(number.slice(-4));
  });
});

describe('card data confidentiality', () => {
  let receiver: Server;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(body);
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('should never return or store the full card number or CVV', async () => {
    const merchant = await newMerchant();
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
    await sql('UPDATE merchants SET webhook_url = $1 WHERE id = $2', [webhookUrl, merchant.id]);
    const order = await createOrder(merchant);

    const nested = withLuhn(`4${randomDigits(14)}`);
    const nestedCvv = '7391';
    const flat = withLuhn(`5${randomInt(1, 6)}${randomDigits(13)}`);
    const flatCvv = '8264';
    const first = await pay(merchant, {
      order_id: order.id,
      ...card({ number: nested.replace(/(\d{4})(?=\d)/g, '$1 '), cvv: nestedCvv }),
    }).expect(201);
    const second = await api()
      .post('/api/v1/payments/public')
      .send({
        order_id: order.id,
        method: 'card',
        card_number: flat,
        card_expiry: `11/${FUTURE_YEAR}`,
        card_cvv: flatCvv,
      })
      .expect(201);
    // Rejected submissions must not leak either.
    await pay(merchant, { order_id: order.id, ...card({ number: nested, cvv: '1' }) }).expect(400);

    const responses = [first, second];
    for (const payment of [first.body, second.body]) {
      await waitForFinalPayment(payment.id, merchant);
      responses.push(await api().get(`/api/v1/payments/${payment.id}`).set(authHeaders(merchant)).expect(200));
      responses.push(await api().get(`/api/v1/payments/${payment.id}/public`).expect(200));
    }
    responses.push(await api().get('/api/v1/payments').set(authHeaders(merchant)).expect(200));
    for (const response of responses) {
      expect(response.text).not.toContain(nested);
      expect(response.text).not.toContain(flat);
      expect(response.text).not.toMatch(/cvv/i);
    }
    expect(first.body.card_last4).toBe(nested.slice(-4));
    expect(second.body.card_last4).toBe(flat.slice(-4));

    // created + pending + final event for each payment were logged for delivery.
    await eventually(async () => {
      const [row] = await sql<{ count: number }>(
        'SELECT count(*)::int AS count FROM webhook_logs WHERE merchant_id = $1',
        [merchant.id],
      );
      return row.count >= 6 ? row.count : undefined;
    });

    const tables = await sql<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['payments', 'webhook_logs', 'outbox']));
    for (const { table_name: table } of tables) {
      const rows = await sql<{ json: string }>(`SELECT row_to_json(t)::text AS json FROM "${table}" t`);
      for (const { json } of rows) {
        for (const number of [nested, flat, nested.replace(/(\d{4})(?=\d)/g, '$1 ')]) {
          if (json.includes(number)) {
            throw new Error(`full card number found in table ${table}: ${json.slice(0, 500)}`);
          }
        }
      }
    }
    const related = [
      ...(await sql<{ json: string }>('SELECT row_to_json(p)::text AS json FROM payments p WHERE merchant_id = $1', [
        merchant.id,
      ])),
      ...(await sql<{ json: string }>(
        'SELECT row_to_json(w)::text AS json FROM webhook_logs w WHERE merchant_id = $1',
        [merchant.id],
      )),
      ...(await sql<{ json: string }>(
        `SELECT row_to_json(o)::text AS json FROM outbox o WHERE payload::text LIKE $1 OR payload::text LIKE $2`,
        [`%${first.body.id}%`, `%${second.body.id}%`],
      )),
    ];
    expect(related.length).toBeGreaterThanOrEqual(8);
    for (const { json } of related) {
      expect(json).not.toMatch(/cvv/i);
      expect(json).not.toMatch(new RegExp(`(^|[^0-9A-Za-z])(${nestedCvv}|${flatCvv})([^0-9A-Za-z]|$)`));
    }

    const logFile = join(LOG_DIR, 'shared-gateway.log');
    if (existsSync(logFile)) {
      const log = readFileSync(logFile, 'utf8');
      expect(log).not.toContain(nested);
      expect(log).not.toContain(flat);
    }
    for (const body of received) {
      expect(body).not.toContain(nested);
      expect(body).not.toContain(flat);
      expect(body).not.toMatch(/cvv/i);
    }
  });
});

describe('public checkout payments', () => {
  let owner: Merchant;
  let orderId: string;

  beforeAll(async () => {
    owner = await newMerchant();
    orderId = (await createOrder(owner, { amount: 25000 })).id;
  });

  it("should create a payment without authentication and attribute it to the order's owner", async () => {
    const response = await api()
      .post('/api/v1/payments/public')
      .send({ order_id: orderId, method: 'upi', vpa: 'user@paytm' })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(PAYMENT_ID),
      order_id: orderId,
      amount: 25000,
      currency: 'INR',
      method: 'upi',
      vpa: 'user@paytm',
      card_network: null,
      card_last4: null,
      status: 'pending',
      captured: false,
      error_code: null,
      error_description: null,
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    });
    const rows = await sql('SELECT merchant_id FROM payments WHERE id = $1', [response.body.id]);
    expect(rows).toEqual([{ merchant_id: owner.id }]);
    await api().get(`/api/v1/payments/${response.body.id}`).set(authHeaders(owner)).expect(200);
    const other = await newMerchant();
    expectError(
      await api().get(`/api/v1/payments/${response.body.id}`).set(authHeaders(other)),
      404,
      'NOT_FOUND_ERROR',
      'Payment not found',
    );
  });

  it('should apply the same checks in the same order as the merchant endpoint', async () => {
    const publicPay = (body: Body) => api().post('/api/v1/payments/public').send(body);
    expectError(await publicPay({ method: 'bogus' }), 400, 'BAD_REQUEST_ERROR', 'order_id is required');
    expectError(
      await publicPay({ order_id: 'order_AAAAAAAAAAAAAAAA', method: 'bogus' }),
      404,
      'NOT_FOUND_ERROR',
      'Order not found',
    );
    expectError(
      await publicPay({ order_id: orderId, method: 'bogus' }),
      400,
      'BAD_REQUEST_ERROR',
      'method must be one of: upi, card',
    );
    expectError(await publicPay({ order_id: orderId, method: 'upi' }), 400, 'BAD_REQUEST_ERROR', 'vpa is required');
    expectError(
      await publicPay({ order_id: orderId, method: 'upi', vpa: 'user@bank.com' }),
      400,
      'INVALID_VPA',
      'VPA format invalid',
    );
    expectError(
      await publicPay({ order_id: orderId, method: 'card', card: { number: '4111111111111111' } }),
      400,
      'BAD_REQUEST_ERROR',
      'card.expiry_month is required',
    );
    expectError(
      await publicPay({ order_id: orderId, ...card({ number: '1234567890123456' }) }),
      400,
      'INVALID_CARD',
      'Card validation failed',
    );
    expectError(
      await publicPay({ order_id: orderId, ...card({ expiry_month: '01', expiry_year: '2020' }) }),
      400,
      'EXPIRED_CARD',
      'Card expiry date invalid',
    );
    expectError(
      await publicPay({ order_id: orderId, ...card({ cvv: '12' }) }),
      400,
      'INVALID_CARD',
      'card.cvv must be 3 or 4 digits',
    );
  });

  it('should ignore the Idempotency-Key header on the unauthenticated endpoint', async () => {
    const body = { order_id: orderId, method: 'upi', vpa: 'user@paytm' };
    const first = await api()
      .post('/api/v1/payments/public')
      .set('Idempotency-Key', 'public-key-1')
      .send(body)
      .expect(201);
    const second = await api()
      .post('/api/v1/payments/public')
      .set('Idempotency-Key', 'public-key-1')
      .send(body)
      .expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });

  it('should return the public payment view without instrument data, under both paths', async () => {
    const created = await api()
      .post('/api/v1/payments/public')
      .send({ order_id: orderId, ...card() })
      .expect(201);
    const response = await api()
      .get(`/api/v1/payments/${created.body.id}/public`)
      .set('Origin', 'https://shop.example.com')
      .expect(200);
    expect(response.body).toEqual({
      id: created.body.id,
      order_id: orderId,
      amount: 25000,
      currency: 'INR',
      method: 'card',
      status: expect.stringMatching(/^(pending|processing|success)$/),
      error_code: null,
      error_description: null,
      created_at: created.body.created_at,
      signature: response.body.status === 'success' ? expect.stringMatching(/^[0-9a-f]{64}$/) : null,
    });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const alias = await api().get(`/api/v1/payments/public/${created.body.id}`).expect(200);
    expect(Object.keys(alias.body).sort()).toEqual(Object.keys(response.body).sort());
    expect(alias.body.id).toBe(created.body.id);
  });

  it('should sign a successful payment with HMAC-SHA256 of order_id|payment_id keyed by the api_secret', async () => {
    const created = await api()
      .post('/api/v1/payments/public')
      .send({ order_id: orderId, method: 'upi', vpa: 'success@test' })
      .expect(201);
    await waitForFinalPayment(created.body.id, owner);
    const expected = hmac(owner.secret, orderId, created.body.id);
    const response = await api().get(`/api/v1/payments/${created.body.id}/public`).expect(200);
    expect(response.body).toEqual({
      id: created.body.id,
      order_id: orderId,
      amount: 25000,
      currency: 'INR',
      method: 'upi',
      status: 'success',
      error_code: null,
      error_description: null,
      created_at: created.body.created_at,
      signature: expected,
    });
    const alias = await api().get(`/api/v1/payments/public/${created.body.id}`).expect(200);
    expect(alias.body).toEqual(response.body);
  });

  it('should sign with the current api_secret after the keys are regenerated', async () => {
    const merchant = await newMerchant();
    const order = await createOrder(merchant);
    const payment = await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
    await waitForFinalPayment(payment.id, merchant);
    const rotated = await api().post('/api/v1/merchants/me/regenerate-keys').set(authHeaders(merchant)).expect(200);
    const response = await api().get(`/api/v1/payments/${payment.id}/public`).expect(200);
    expect(response.body.signature).toBe(hmac(rotated.body.api_secret, order.id, payment.id));
  });

  it('should keep the signature null for a failed payment', async () => {
    const created = await api()
      .post('/api/v1/payments/public')
      .send({ order_id: orderId, method: 'upi', vpa: 'failure@test' })
      .expect(201);
    await waitForFinalPayment(created.body.id, owner);
    const response = await api().get(`/api/v1/payments/${created.body.id}/public`).expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      error_code: 'PAYMENT_FAILED',
      error_description: 'Payment declined by bank',
      signature: null,
    });
  });

  it('should answer an unknown payment with 404 "Payment not found" under both paths', async () => {
    for (const path of [
      '/api/v1/payments/pay_AAAAAAAAAAAAAAAA/public',
      '/api/v1/payments/public/pay_AAAAAAAAAAAAAAAA',
      '/api/v1/payments/nope/public',
      '/api/v1/payments/public/nope',
      `/api/v1/payments/${orderId}/public`,
    ]) {
      expectError(await api().get(path), 404, 'NOT_FOUND_ERROR', 'Payment not found');
    }
  });
});

describe('GET /api/v1/payments/{id}', () => {
  it('should return the payment and 404 "Payment not found" for unknown ids', async () => {
    const merchant = await newMerchant();
    const order = await createOrder(merchant);
    const payment = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, merchant);
    const response = await api().get(`/api/v1/payments/${payment.id}`).set(authHeaders(merchant)).expect(200);
    expect(response.body).toMatchObject({ id: payment.id, order_id: order.id, amount: 50000, method: 'upi' });
    for (const id of ['pay_AAAAAAAAAAAAAAAA', 'nope', order.id]) {
      const missing = await api().get(`/api/v1/payments/${id}`).set(authHeaders(merchant));
      expect(missing.body).toEqual({ error: { code: 'NOT_FOUND_ERROR', description: 'Payment not found' } });
      expectError(missing, 404, 'NOT_FOUND_ERROR', 'Payment not found');
    }
  });
});

describe('asynchronous processing', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
  });

  it('should settle a payment as success and mark its order paid', async () => {
    const order = await createOrder(merchant, { amount: 43210 });
    const created = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, merchant);
    const final = await waitForFinalPayment(created.id, merchant);
    expect(final).toEqual({
      ...created,
      status: 'success',
      updated_at: expect.stringMatching(ISO_MS),
    });
    expect(Date.parse(final.updated_at)).toBeGreaterThan(Date.parse((created as unknown as Body).created_at as string));
    const orderNow = await api().get(`/api/v1/orders/${order.id}`).set(authHeaders(merchant)).expect(200);
    expect(orderNow.body.status).toBe('paid');
    expect(Date.parse(orderNow.body.updated_at)).toBeGreaterThan(Date.parse(orderNow.body.created_at));
    const publicOrder = await api().get(`/api/v1/orders/${order.id}/public`).expect(200);
    expect(publicOrder.body.status).toBe('paid');
  });

  const instruments: [string, 'success' | 'failed', Body][] = [
    ['VPA success@test', 'success', { method: 'upi', vpa: 'success@test' }],
    ['VPA failure@test', 'failed', { method: 'upi', vpa: 'failure@test' }],
    ['card 4242424242424242', 'success', card({ number: '4242424242424242' })],
    ['card 4111111111111111', 'success', card({ number: '4111111111111111' })],
    ['card 4000000000000002', 'failed', card({ number: '4000000000000002' })],
  ];

  it.each(instruments)('should settle the test instrument %s as %s', async (_name, outcome, instrument) => {
    const order = await createOrder(merchant);
    const created = await createPayment(order.id, instrument, merchant);
    const final = await waitForFinalPayment(created.id, merchant);
    expect(final.status).toBe(outcome);
    expect(final.captured).toBe(false);
    if (outcome === 'failed') {
      expect(final.error_code).toBe('PAYMENT_FAILED');
      expect(final.error_description).toBe('Payment declined by bank');
    } else {
      expect(final.error_code).toBeNull();
      expect(final.error_description).toBeNull();
    }
    const orderNow = await api().get(`/api/v1/orders/${order.id}`).set(authHeaders(merchant)).expect(200);
    expect(orderNow.body.status).toBe(outcome === 'success' ? 'paid' : 'created');
  });

  it('should accept further payment attempts on an order in any status', async () => {
    const order = await createOrder(merchant);
    const failed = await createPayment(order.id, { method: 'upi', vpa: 'failure@test' }, merchant);
    expect((await waitForFinalPayment(failed.id, merchant)).status).toBe('failed');
    const retry = await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
    expect((await waitForFinalPayment(retry.id, merchant)).status).toBe('success');
    const again = await createPayment(order.id, { method: 'upi', vpa: 'failure@test' }, merchant);
    expect((await waitForFinalPayment(again.id, merchant)).status).toBe('failed');
    const orderNow = await api().get(`/api/v1/orders/${order.id}`).set(authHeaders(merchant)).expect(200);
    expect(orderNow.body.status).toBe('paid');
  });

  it('should relay and delete the outbox rows of a payment', async () => {
    const order = await createOrder(merchant);
    const created = await createPayment(order.id, { method: 'card', ...card() }, merchant);
    await waitForFinalPayment(created.id, merchant);
    await eventually(async () => {
      const rows = await sql('SELECT id FROM outbox WHERE payload::text LIKE $1 OR job_id LIKE $1', [
        `%${created.id}%`,
      ]);
      return rows.length === 0 ? true : undefined;
    }, 10_000);
    const stale = await sql("SELECT id, job_name FROM outbox WHERE created_at < now() - interval '15 seconds'");
    expect(stale).toEqual([]);
  });
});

describe('GET /api/v1/payments (list)', () => {
  let merchant: Merchant;
  const ids: { upiSuccess: string; cardSuccess: string; upiFailed: string } = {
    upiSuccess: '',
    cardSuccess: '',
    upiFailed: '',
  };

  beforeAll(async () => {
    merchant = await newMerchant();
    const order = await createOrder(merchant);
    ids.upiSuccess = (await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant)).id;
    await new Promise((resolve) => setTimeout(resolve, 5));
    ids.cardSuccess = (await createPayment(order.id, card({ number: '4242424242424242' }), merchant)).id;
    await new Promise((resolve) => setTimeout(resolve, 5));
    ids.upiFailed = (await createPayment(order.id, { method: 'upi', vpa: 'failure@test' }, merchant)).id;
    for (const id of Object.values(ids)) {
      await waitForFinalPayment(id, merchant);
    }
  });

  const list = async (query = '') => {
    const response = await api().get(`/api/v1/payments${query}`).set(authHeaders(merchant)).expect(200);
    return response.body as { data: { id: string }[]; total: number; limit: number; offset: number };
  };

  it('should list payments newest first with total, limit and offset', async () => {
    const body = await list();
    expect(Object.keys(body).sort()).toEqual(['data', 'limit', 'offset', 'total']);
    expect({ ...body, data: body.data.map((p) => p.id) }).toEqual({
      data: [ids.upiFailed, ids.cardSuccess, ids.upiSuccess],
      total: 3,
      limit: 10,
      offset: 0,
    });
    const single = await api().get(`/api/v1/payments/${ids.cardSuccess}`).set(authHeaders(merchant)).expect(200);
    expect(body.data[1]).toEqual(single.body);
  });

  it('should page with limit/offset and the count/skip aliases', async () => {
    const page = await list('?limit=1&offset=1');
    expect({ ...page, data: page.data.map((p) => p.id) }).toEqual({
      data: [ids.cardSuccess],
      total: 3,
      limit: 1,
      offset: 1,
    });
    const alias = await list('?count=2&skip=1');
    expect({ ...alias, data: alias.data.map((p) => p.id) }).toEqual({
      data: [ids.cardSuccess, ids.upiSuccess],
      total: 3,
      limit: 2,
      offset: 1,
    });
  });

  it('should filter by status and method', async () => {
    const ofQuery = async (query: string) => {
      const body = await list(query);
      return { total: body.total, ids: body.data.map((p) => p.id) };
    };
    expect(await ofQuery('?method=card')).toEqual({ total: 1, ids: [ids.cardSuccess] });
    expect(await ofQuery('?method=upi')).toEqual({ total: 2, ids: [ids.upiFailed, ids.upiSuccess] });
    expect(await ofQuery('?status=failed')).toEqual({ total: 1, ids: [ids.upiFailed] });
    expect(await ofQuery('?status=success')).toEqual({ total: 2, ids: [ids.cardSuccess, ids.upiSuccess] });
    expect(await ofQuery('?status=success&method=upi')).toEqual({ total: 1, ids: [ids.upiSuccess] });
    expect(await ofQuery('?status=pending')).toEqual({ total: 0, ids: [] });
    expect(await ofQuery('?status=processing')).toEqual({ total: 0, ids: [] });
    expect(await ofQuery('?status=success&limit=1')).toEqual({ total: 2, ids: [ids.cardSuccess] });
  });

  const badQueries: [string, RegExp | string][] = [
    ['status=bogus', /status/],
    ['status=SUCCESS', /status/],
    ['method=netbanking', /method/],
    ['method=UPI', /method/],
    ['limit=0', 'limit must be an integer between 1 and 100'],
    ['limit=101', 'limit must be an integer between 1 and 100'],
    ['limit=abc', 'limit must be an integer between 1 and 100'],
    ['offset=-1', /offset/],
    ['offset=x', /offset/],
  ];

  it.each(badQueries)('should reject ?%s with 400 naming the parameter', async (query, description) => {
    expectError(
      await api().get(`/api/v1/payments?${query}`).set(authHeaders(merchant)),
      400,
      'BAD_REQUEST_ERROR',
      description,
    );
  });
});

describe('GET /api/v1/payments/stats', () => {
  it('should report zeros for a merchant without payments', async () => {
    const merchant = await newMerchant();
    const response = await api().get('/api/v1/payments/stats').set(authHeaders(merchant)).expect(200);
    expect(response.body).toEqual({ total_transactions: 0, total_amount: 0, success_rate: 0 });
  });

  it('should count all payments, sum successful amounts and round the success rate', async () => {
    const merchant = await newMerchant();
    const first = await createOrder(merchant, { amount: 10000 });
    const second = await createOrder(merchant, { amount: 20000 });
    const third = await createOrder(merchant, { amount: 30000 });
    const payments = [
      await createPayment(first.id, { method: 'upi', vpa: 'success@test' }, merchant),
      await createPayment(second.id, card({ number: '4242424242424242' }), merchant),
      await createPayment(third.id, { method: 'upi', vpa: 'failure@test' }, merchant),
    ];
    for (const payment of payments) {
      await waitForFinalPayment(payment.id, merchant);
    }
    const expected = { total_transactions: 3, total_amount: 30000, success_rate: 67 };
    expect((await api().get('/api/v1/payments/stats').set(authHeaders(merchant)).expect(200)).body).toEqual(expected);
    expect((await api().get('/api/v1/payments/stats').set('Cookie', merchant.cookie).expect(200)).body).toEqual(
      expected,
    );
  });

  it('should count pending payments in total_transactions only', async () => {
    const merchant = await newMerchant();
    const order = await createOrder(merchant, { amount: 10000 });
    await createPayment(order.id, { method: 'upi', vpa: 'success@test' }, merchant);
    const response = await api().get('/api/v1/payments/stats').set(authHeaders(merchant)).expect(200);
    expect(response.body.total_transactions).toBe(1);
    expect([0, 10000]).toContain(response.body.total_amount);
  });
});
