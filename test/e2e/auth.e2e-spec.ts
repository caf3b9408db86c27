import { describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import {
  TEST_KEY,
  TEST_SECRET,
  api,
  authHeaders,
  createOrder,
  createPayment,
  newMerchant,
  testMerchant,
} from '../support/api.js';
import { sql } from '../support/db.js';
import { sharedGatewayUrl } from '../support/gateway.mjs';

// Generous under load: the gateway runs as a separate process, with real PostgreSQL and Redis.
jest.setTimeout(30_000);

const SEEDED_ID = '550e8400-e29b-41d4-a716-446655440000';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Razorpay-compatible optional fields an error envelope may add (CONTRACT §5.5a). */
const ERROR_KEYS = ['code', 'description', 'source', 'step', 'reason', 'metadata', 'field'];

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

function expectUnauthorized(response: Response): void {
  expectError(response, 401, 'AUTHENTICATION_ERROR', 'Invalid API credentials');
}

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

function setCookies(response: Response): string[] {
  const header = response.headers['set-cookie'] as string | string[] | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

function sessionCookieHeader(response: Response): string {
  const cookie = setCookies(response).find((value) => value.startsWith('gw_session='));
  expect(cookie).toBeDefined();
  return cookie!;
}

/** The `name=value` part of the gw_session Set-Cookie header. */
function sessionCookie(response: Response): string {
  return sessionCookieHeader(response).split(';')[0];
}

function cookieAttributes(setCookie: string): string[] {
  return setCookie
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
}

function uniqueEmail(prefix = 'auth'): string {
  return `${prefix}${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;
}

describe('API credentials', () => {
  it('should accept the X-Api-Key and X-Api-Secret headers', async () => {
    const response = await api().get('/api/v1/merchants/me').set(authHeaders()).expect(200);
    expect(response.body.id).toBe(SEEDED_ID);
    expect(response.body.api_key).toBe(TEST_KEY);
  });

  it('should accept HTTP Basic credentials on GET and POST', async () => {
    const me = await api().get('/api/v1/merchants/me').set('Authorization', basic(TEST_KEY, TEST_SECRET)).expect(200);
    expect(me.body.id).toBe(SEEDED_ID);
    const order = await api()
      .post('/api/v1/orders')
      .set('Authorization', basic(TEST_KEY, TEST_SECRET))
      .send({ amount: 50000 })
      .expect(201);
    expect(order.body.merchant_id).toBe(SEEDED_ID);
  });

  it('should reject a wrong secret with the exact 401 envelope', async () => {
    const response = await api()
      .get('/api/v1/orders')
      .set({ 'X-Api-Key': TEST_KEY, 'X-Api-Secret': 'secret_test_wrong' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' } });
    expectUnauthorized(response);
  });

  it('should reject an unknown api key with the exact 401 envelope', async () => {
    const response = await api()
      .get('/api/v1/orders')
      .set({ 'X-Api-Key': 'key_test_doesnotexist0000', 'X-Api-Secret': TEST_SECRET });
    expect(response.body).toEqual({ error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' } });
    expectUnauthorized(response);
  });

  it('should reject a request without any credentials with the exact 401 envelope', async () => {
    for (const response of [
      await api().get('/api/v1/orders'),
      await api().get('/api/v1/payments'),
      await api().get('/api/v1/payments/stats'),
      await api().get('/api/v1/merchants/me'),
      await api().get('/api/v1/merchants/me/credentials'),
      await api().post('/api/v1/merchants/me/regenerate-keys'),
      await api().post('/api/v1/orders').send({ amount: 50000 }),
      await api().post('/api/v1/payments').send({ order_id: 'order_x', method: 'upi', vpa: 'user@paytm' }),
    ]) {
      expect(response.body).toEqual({
        error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' },
      });
      expectUnauthorized(response);
    }
  });

  it('should reject a wrong secret sent through HTTP Basic', async () => {
    expectUnauthorized(await api().get('/api/v1/orders').set('Authorization', basic(TEST_KEY, 'secret_test_wrong')));
  });

  it('should reject empty key header values', async () => {
    expectUnauthorized(await api().get('/api/v1/orders').set({ 'X-Api-Key': '', 'X-Api-Secret': '' }));
    expectUnauthorized(await api().get('/api/v1/orders').set({ 'X-Api-Key': TEST_KEY, 'X-Api-Secret': '' }));
  });

  it('should refuse the old secret right after the keys are regenerated, although it was just used', async () => {
    const merchant = await newMerchant();
    await api().get('/api/v1/orders').set(authHeaders(merchant)).expect(200);
    const rotated = await api().post('/api/v1/merchants/me/regenerate-keys').set(authHeaders(merchant)).expect(200);
    expectUnauthorized(await api().get('/api/v1/orders').set(authHeaders(merchant)));
    await api()
      .get('/api/v1/orders')
      .set(authHeaders({ key: merchant.key, secret: rotated.body.api_secret }))
      .expect(200);
  });

  it('should reject an inactive merchant once the credential cache has expired', async () => {
    const merchant = await newMerchant();
    await api().get('/api/v1/merchants/me').set(authHeaders(merchant)).expect(200);
    await sql('UPDATE merchants SET is_active = false WHERE id = $1', [merchant.id]);
    // A merchant looked up by API key is reused for CREDENTIAL_CACHE_MS (2 s) by each API process.
    await sleep(2_100);
    expectUnauthorized(await api().get('/api/v1/merchants/me').set(authHeaders(merchant)));
    expectUnauthorized(await api().get('/api/v1/orders').set('Authorization', basic(merchant.key, merchant.secret)));
    expectUnauthorized(await api().post('/api/v1/orders').set(authHeaders(merchant)).send({ amount: 50000 }));
    expectUnauthorized(await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie));
  });
});

describe('credential precedence', () => {
  it('should let the key headers alone decide even when a valid Basic header is present', async () => {
    const response = await api()
      .get('/api/v1/orders')
      .set({ 'X-Api-Key': TEST_KEY, 'X-Api-Secret': 'secret_test_wrong' })
      .set('Authorization', basic(TEST_KEY, TEST_SECRET));
    expectUnauthorized(response);
  });

  it('should accept valid key headers even when the Basic header is malformed', async () => {
    const response = await api()
      .get('/api/v1/merchants/me')
      .set(authHeaders())
      .set('Authorization', 'Basic %%%not-base64%%%')
      .expect(200);
    expect(response.body.id).toBe(SEEDED_ID);
  });

  it('should reject a request carrying only X-Api-Key even with valid Basic credentials', async () => {
    const response = await api()
      .get('/api/v1/orders')
      .set('X-Api-Key', TEST_KEY)
      .set('Authorization', basic(TEST_KEY, TEST_SECRET));
    expectUnauthorized(response);
  });

  it('should reject a request carrying only X-Api-Secret even with valid Basic credentials', async () => {
    const response = await api()
      .get('/api/v1/orders')
      .set('X-Api-Secret', TEST_SECRET)
      .set('Authorization', basic(TEST_KEY, TEST_SECRET));
    expectUnauthorized(response);
  });

  it('should reject a request carrying only one key header and a valid session cookie', async () => {
    const merchant = await newMerchant();
    expectUnauthorized(
      await api().get('/api/v1/merchants/me').set('X-Api-Key', merchant.key).set('Cookie', merchant.cookie),
    );
  });

  it('should reject wrong key headers even with a valid session cookie', async () => {
    const merchant = await newMerchant();
    expectUnauthorized(
      await api()
        .get('/api/v1/merchants/me')
        .set({ 'X-Api-Key': merchant.key, 'X-Api-Secret': 'secret_test_wrong' })
        .set('Cookie', merchant.cookie),
    );
  });

  it('should reject a malformed Basic header even with a valid session cookie', async () => {
    const merchant = await newMerchant();
    await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie).expect(200);
    for (const authorization of [
      'Basic %%%not-base64%%%',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      'Basic',
    ]) {
      expectUnauthorized(
        await api().get('/api/v1/merchants/me').set('Authorization', authorization).set('Cookie', merchant.cookie),
      );
    }
  });

  it('should reject wrong Basic credentials even with a valid session cookie', async () => {
    const merchant = await newMerchant();
    expectUnauthorized(
      await api()
        .get('/api/v1/merchants/me')
        .set('Authorization', basic(merchant.key, 'secret_test_wrong'))
        .set('Cookie', merchant.cookie),
    );
  });
});

describe('dashboard session', () => {
  it('should accept the session cookie on the [K S] GET endpoints', async () => {
    const merchant = await newMerchant();
    const order = await createOrder(merchant);
    const payment = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, merchant);

    const me = await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie).expect(200);
    expect(me.body.id).toBe(merchant.id);
    const orders = await api().get('/api/v1/orders').set('Cookie', merchant.cookie).expect(200);
    expect(orders.body.data.map((o: { id: string }) => o.id)).toEqual([order.id]);
    const payments = await api().get('/api/v1/payments').set('Cookie', merchant.cookie).expect(200);
    expect(payments.body.data.map((p: { id: string }) => p.id)).toEqual([payment.id]);
    await api().get(`/api/v1/orders/${order.id}`).set('Cookie', merchant.cookie).expect(200);
    await api().get(`/api/v1/payments/${payment.id}`).set('Cookie', merchant.cookie).expect(200);
    await api().get('/api/v1/payments/stats').set('Cookie', merchant.cookie).expect(200);
    const credentials = await api().get('/api/v1/merchants/me/credentials').set('Cookie', merchant.cookie).expect(200);
    expect(credentials.body).toEqual({ api_key: merchant.key, api_secret: merchant.secret });
  });

  it('should not accept the session cookie on POST /api/v1/orders', async () => {
    const merchant = await newMerchant();
    const response = await api().post('/api/v1/orders').set('Cookie', merchant.cookie).send({ amount: 50000 });
    expectUnauthorized(response);
    expect(await sql('SELECT id FROM orders WHERE merchant_id = $1', [merchant.id])).toEqual([]);
  });

  it('should not accept the session cookie on POST /api/v1/payments', async () => {
    const merchant = await newMerchant();
    const order = await createOrder(merchant);
    const response = await api()
      .post('/api/v1/payments')
      .set('Cookie', merchant.cookie)
      .send({ order_id: order.id, method: 'upi', vpa: 'user@paytm' });
    expectUnauthorized(response);
    expect(await sql('SELECT id FROM payments WHERE merchant_id = $1', [merchant.id])).toEqual([]);
  });

  it('should reject an unknown session cookie', async () => {
    expectUnauthorized(await api().get('/api/v1/merchants/me').set('Cookie', 'gw_session=not-a-real-session-token'));
  });

  it('should reject a session POST whose Origin differs from the Host (CSRF)', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/merchants/me/regenerate-keys')
      .set('Cookie', merchant.cookie)
      .set('Origin', 'http://evil.example.com')
      .send({});
    expectUnauthorized(response);
    // The secret did not change.
    await api().get('/api/v1/merchants/me').set(authHeaders(merchant)).expect(200);
  });

  it('should reject a session POST from the same host on another port (CSRF)', async () => {
    const merchant = await newMerchant();
    const host = new URL(sharedGatewayUrl());
    const otherPort = Number(host.port) === 65535 ? 65534 : Number(host.port) + 1;
    const response = await api()
      .post('/api/v1/merchants/me/regenerate-keys')
      .set('Cookie', merchant.cookie)
      .set('Origin', `http://${host.hostname}:${otherPort}`)
      .send({});
    expectUnauthorized(response);
  });

  it('should accept a session POST whose Origin matches the Host', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/merchants/me/regenerate-keys')
      .set('Cookie', merchant.cookie)
      .set('Origin', new URL(sharedGatewayUrl()).origin)
      .send({})
      .expect(200);
    expect(response.body.api_key).toBe(merchant.key);
    expect(response.body.api_secret).not.toBe(merchant.secret);
  });

  it('should accept a session POST without an Origin header', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/merchants/me/regenerate-keys')
      .set('Cookie', merchant.cookie)
      .send({})
      .expect(200);
    expect(response.body.api_key).toBe(merchant.key);
  });

  it('should not apply the Origin check to API key requests', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/orders')
      .set(authHeaders(merchant))
      .set('Origin', 'http://evil.example.com')
      .send({ amount: 50000 })
      .expect(201);
    expect(response.body.merchant_id).toBe(merchant.id);
  });

  it('should send no CORS headers on credentialed endpoints', async () => {
    const response = await api()
      .get('/api/v1/merchants/me')
      .set(authHeaders())
      .set('Origin', 'http://evil.example.com')
      .expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('signup', () => {
  it('should create a merchant with generated credentials and the documented shape', async () => {
    const email = uniqueEmail('signup');
    const response = await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Acme Stores', email, password: 'password123' })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(UUID),
      name: 'Acme Stores',
      email,
      api_key: expect.stringMatching(/^key_test_[A-Za-z0-9]{16}$/),
      api_secret: expect.stringMatching(/^secret_test_[A-Za-z0-9]{32}$/),
      webhook_secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
      webhook_url: null,
      created_at: expect.stringMatching(ISO_MS),
    });
    expect(Buffer.from(response.body.webhook_secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
    // The new credentials work at once.
    const me = await api()
      .get('/api/v1/merchants/me')
      .set(authHeaders({ key: response.body.api_key, secret: response.body.api_secret }))
      .expect(200);
    expect(me.body.id).toBe(response.body.id);
  });

  it('should set the session cookie with HttpOnly, SameSite=Lax, Path=/ and Max-Age=86400', async () => {
    const response = await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Cookie Test', email: uniqueEmail('cookie'), password: 'password123' })
      .expect(201);
    const header = sessionCookieHeader(response);
    expect(header).toMatch(/^gw_session=[^;]+/);
    const attributes = cookieAttributes(header);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'max-age=86400']));
    expect(attributes).not.toContain('secure');
    const me = await api().get('/api/v1/merchants/me').set('Cookie', sessionCookie(response)).expect(200);
    expect(me.body.id).toBe(response.body.id);
  });

  it('should store the email lower-cased', async () => {
    const email = uniqueEmail('MiXeD');
    const mixed = email.replace('@example.com', '@Example.COM');
    const response = await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Case Test', email: mixed, password: 'password123' })
      .expect(201);
    expect(response.body.email).toBe(email.toLowerCase());
    const rows = await sql<{ email: string }>('SELECT email FROM merchants WHERE id = $1', [response.body.id]);
    expect(rows).toEqual([{ email: email.toLowerCase() }]);
  });

  it('should reject a registered email case-insensitively with 409 CONFLICT_ERROR', async () => {
    const email = uniqueEmail('dup');
    await api().post('/api/v1/auth/signup').send({ name: 'First', email, password: 'password123' }).expect(201);
    for (const again of [email, email.toUpperCase()]) {
      const response = await api()
        .post('/api/v1/auth/signup')
        .send({ name: 'Second', email: again, password: 'password123' });
      expectError(response, 409, 'CONFLICT_ERROR', 'Email already registered');
      expect(setCookies(response).some((c) => c.startsWith('gw_session=') && !/max-age=0/i.test(c))).toBe(false);
    }
    const rows = await sql('SELECT id FROM merchants WHERE email = $1', [email]);
    expect(rows).toHaveLength(1);
  });

  it('should reject the seeded email with 409 CONFLICT_ERROR', async () => {
    const response = await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Impostor', email: 'TEST@example.com', password: 'password123' });
    expectError(response, 409, 'CONFLICT_ERROR', 'Email already registered');
  });

  it('should name the offending field in validation errors', async () => {
    const email = uniqueEmail('invalid');
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [{ name: 'Short', email, password: 'short' }, 'password must be at least 8 characters'],
      [{ name: 'Short', email, password: '1234567' }, 'password must be at least 8 characters'],
      [{ name: 'Long', email, password: 'p'.repeat(129) }, /password/],
      [{ name: 'Missing', email }, /password/],
      [{ name: 'Number', email, password: 12345678 }, /password/],
      [{ email, password: 'password123' }, /name/],
      [{ name: '   ', email, password: 'password123' }, /name/],
      [{ name: 'n'.repeat(256), email, password: 'password123' }, /name/],
      [{ name: 'Bad Email', email: 'not-an-email', password: 'password123' }, /email/],
      [{ name: 'No Email', password: 'password123' }, /email/],
      [{ name: 'Long Email', email: `${'a'.repeat(250)}@example.com`, password: 'password123' }, /email/],
    ];
    for (const [body, description] of cases) {
      const response = await api().post('/api/v1/auth/signup').send(body);
      expectError(response, 400, 'BAD_REQUEST_ERROR', description);
    }
    expect(await sql('SELECT id FROM merchants WHERE email = $1', [email])).toEqual([]);
  });

  it('should accept a password of exactly 8 and 128 characters', async () => {
    await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Eight', email: uniqueEmail('eight'), password: '12345678' })
      .expect(201);
    await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Max', email: uniqueEmail('max'), password: 'p'.repeat(128) })
      .expect(201);
  });
});

describe('login and logout', () => {
  it('should log in with the right password and return the merchant profile with a session cookie', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/auth/login')
      .send({ email: merchant.email, password: 'password123' })
      .expect(200);
    expect(response.body).toEqual({
      id: merchant.id,
      name: 'E2E Merchant',
      email: merchant.email,
      api_key: merchant.key,
      webhook_url: null,
      created_at: expect.stringMatching(ISO_MS),
    });
    const header = sessionCookieHeader(response);
    expect(cookieAttributes(header)).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'max-age=86400']),
    );
    await api().get('/api/v1/merchants/me').set('Cookie', sessionCookie(response)).expect(200);
  });

  it('should compare the login email case-insensitively', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/auth/login')
      .send({ email: merchant.email.toUpperCase(), password: 'password123' })
      .expect(200);
    expect(response.body.id).toBe(merchant.id);
  });

  it('should log in the seeded merchant with its default password', async () => {
    const response = await api()
      .post('/api/v1/auth/login')
      .send({ email: 'test@example.com', password: 'password123' })
      .expect(200);
    expect(response.body.id).toBe(SEEDED_ID);
  });

  it('should reject a wrong password or an unknown email with "Invalid email or password"', async () => {
    const merchant = await newMerchant();
    for (const body of [
      { email: merchant.email, password: 'wrong-password' },
      { email: uniqueEmail('nobody'), password: 'password123' },
      { email: merchant.email, password: '' },
    ]) {
      const response = await api().post('/api/v1/auth/login').send(body);
      expect(response.body).toEqual({
        error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid email or password' },
      });
      expectError(response, 401, 'AUTHENTICATION_ERROR', 'Invalid email or password');
      expect(setCookies(response).some((c) => c.startsWith('gw_session=') && !/max-age=0/i.test(c))).toBe(false);
    }
  });

  it('should log out with 204 and make the old cookie useless', async () => {
    const merchant = await newMerchant();
    await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie).expect(200);
    const response = await api().post('/api/v1/auth/logout').set('Cookie', merchant.cookie).expect(204);
    expect(response.text).toBe('');
    const cleared = sessionCookieHeader(response);
    expect(cleared).toMatch(/max-age=0|expires=thu, 01 jan 1970/i);
    expectUnauthorized(await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie));
    expectUnauthorized(await api().get('/api/v1/orders').set('Cookie', merchant.cookie));
    // API credentials keep working.
    await api().get('/api/v1/merchants/me').set(authHeaders(merchant)).expect(200);
  });

  it('should answer logout without a session with 204', async () => {
    await api().post('/api/v1/auth/logout').expect(204);
    await api().post('/api/v1/auth/logout').set('Cookie', 'gw_session=garbage').expect(204);
  });

  it('should keep other sessions of the merchant valid after one logout', async () => {
    const merchant = await newMerchant();
    const login = await api()
      .post('/api/v1/auth/login')
      .send({ email: merchant.email, password: 'password123' })
      .expect(200);
    const second = sessionCookie(login);
    await api().post('/api/v1/auth/logout').set('Cookie', merchant.cookie).expect(204);
    await api().get('/api/v1/merchants/me').set('Cookie', second).expect(200);
  });
});

describe('merchant profile and keys', () => {
  it('should return the profile without any secret or hash', async () => {
    const merchant = await newMerchant();
    for (const response of [
      await api().get('/api/v1/merchants/me').set(authHeaders(merchant)).expect(200),
      await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie).expect(200),
    ]) {
      expect(response.body).toEqual({
        id: merchant.id,
        name: 'E2E Merchant',
        email: merchant.email,
        api_key: merchant.key,
        webhook_url: null,
        created_at: expect.stringMatching(ISO_MS),
      });
      expect(response.text).not.toContain(merchant.secret);
      expect(response.text).not.toContain(merchant.webhookSecret);
      expect(response.text).not.toMatch(/password|hash|secret/i);
    }
  });

  it('should store secrets and the password encrypted or hashed, never in plaintext', async () => {
    const merchant = await newMerchant();
    const [row] = await sql<{ api_secret: string; webhook_secret: string; password_hash: string }>(
      'SELECT api_secret, webhook_secret, password_hash FROM merchants WHERE id = $1',
      [merchant.id],
    );
    expect(row.api_secret).not.toContain(merchant.secret);
    expect(row.webhook_secret).not.toContain(merchant.webhookSecret);
    expect(row.password_hash).not.toContain('password123');
  });

  it('should return the credentials to their owner', async () => {
    const merchant = await newMerchant();
    const response = await api().get('/api/v1/merchants/me/credentials').set(authHeaders(merchant)).expect(200);
    expect(response.body).toEqual({ api_key: merchant.key, api_secret: merchant.secret });
    const seeded = await api().get('/api/v1/merchants/me/credentials').set(authHeaders(testMerchant)).expect(200);
    expect(seeded.body).toEqual({ api_key: TEST_KEY, api_secret: TEST_SECRET });
  });

  it('should regenerate the secret, keep the api_key and revoke the old secret at once', async () => {
    const merchant = await newMerchant();
    const response = await api().post('/api/v1/merchants/me/regenerate-keys').set(authHeaders(merchant)).expect(200);
    expect(response.body).toEqual({
      api_key: merchant.key,
      api_secret: expect.stringMatching(/^secret_test_[A-Za-z0-9]{32}$/),
    });
    const fresh = { key: merchant.key, secret: response.body.api_secret as string };
    expect(fresh.secret).not.toBe(merchant.secret);

    expectUnauthorized(await api().get('/api/v1/merchants/me').set(authHeaders(merchant)));
    expectUnauthorized(
      await api().get('/api/v1/merchants/me').set('Authorization', basic(merchant.key, merchant.secret)),
    );
    expectUnauthorized(await api().post('/api/v1/orders').set(authHeaders(merchant)).send({ amount: 50000 }));

    await api().get('/api/v1/merchants/me').set(authHeaders(fresh)).expect(200);
    await api()
      .post('/api/v1/orders')
      .set('Authorization', basic(fresh.key, fresh.secret))
      .send({ amount: 50000 })
      .expect(201);
    const credentials = await api().get('/api/v1/merchants/me/credentials').set(authHeaders(fresh)).expect(200);
    expect(credentials.body).toEqual({ api_key: merchant.key, api_secret: fresh.secret });
  });

  it('should keep the dashboard session valid after regenerating keys through it', async () => {
    const merchant = await newMerchant();
    const response = await api()
      .post('/api/v1/merchants/me/regenerate-keys')
      .set('Cookie', merchant.cookie)
      .expect(200);
    const credentials = await api().get('/api/v1/merchants/me/credentials').set('Cookie', merchant.cookie).expect(200);
    expect(credentials.body).toEqual({ api_key: merchant.key, api_secret: response.body.api_secret });
  });
});

describe('merchant isolation', () => {
  it("should report another merchant's order and payment as not found, never 403", async () => {
    const owner = await newMerchant();
    const other = await newMerchant();
    const order = await createOrder(owner);
    const payment = await createPayment(order.id, { method: 'upi', vpa: 'user@paytm' }, owner);

    expectError(
      await api().get(`/api/v1/orders/${order.id}`).set(authHeaders(other)),
      404,
      'NOT_FOUND_ERROR',
      'Order not found',
    );
    expectError(
      await api().get(`/api/v1/orders/${order.id}`).set('Cookie', other.cookie),
      404,
      'NOT_FOUND_ERROR',
      'Order not found',
    );
    expectError(
      await api().get(`/api/v1/payments/${payment.id}`).set(authHeaders(other)),
      404,
      'NOT_FOUND_ERROR',
      'Payment not found',
    );
    expectError(
      await api().get(`/api/v1/payments/${payment.id}`).set('Cookie', other.cookie),
      404,
      'NOT_FOUND_ERROR',
      'Payment not found',
    );
    expectError(
      await api()
        .post('/api/v1/payments')
        .set(authHeaders(other))
        .send({ order_id: order.id, method: 'upi', vpa: 'user@paytm' }),
      404,
      'NOT_FOUND_ERROR',
      'Order not found',
    );

    const orders = await api().get('/api/v1/orders').set(authHeaders(other)).expect(200);
    expect(orders.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });
    const payments = await api().get('/api/v1/payments').set(authHeaders(other)).expect(200);
    expect(payments.body).toEqual({ data: [], total: 0, limit: 10, offset: 0 });

    await api().get(`/api/v1/orders/${order.id}`).set(authHeaders(owner)).expect(200);
    await api().get(`/api/v1/payments/${payment.id}`).set(authHeaders(owner)).expect(200);
  });
});
