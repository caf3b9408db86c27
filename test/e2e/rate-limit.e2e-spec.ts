import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { api, authHeaders, type Credentials } from '../support/api.js';
import { type Gateway, createDatabase, dropDatabase, startGateway } from '../support/gateway.mjs';

jest.setTimeout(120_000);

// Two API processes on one database and one Redis prefix: the limits must be shared between them.
const LIMITS = { RATE_LIMIT_API_PER_MINUTE: '5', RATE_LIMIT_PUBLIC_PER_MINUTE: '3', RATE_LIMIT_AUTH_PER_MINUTE: '3' };
/** Longer than RATE_LIMIT_SYNC_MS (100 ms): by then each process has shared its hits and read the others'. */
const SYNC_WAIT_MS = 400;

let databaseUrl: string;
let first: Gateway;
let second: Gateway;

/** A client address of its own per test (the gateway trusts X-Forwarded-For), so tests never share an IP bucket. */
let lastIp = 0;
const newIp = () => `203.0.113.${++lastIp}`;

async function signup(gateway: Gateway, ip: string): Promise<Credentials> {
  const response = await api(gateway.url)
    .post('/api/v1/auth/signup')
    .set('X-Forwarded-For', ip)
    .send({ name: 'Rate Limited', email: `rl-${randomUUID()}@example.com`, password: 'password123' })
    .expect(201);
  return { key: response.body.api_key, secret: response.body.api_secret };
}

function expectRateLimited(response: Response): void {
  expect({ status: response.status, body: response.body as unknown }).toEqual({
    status: 429,
    body: { error: { code: 'RATE_LIMITED', description: 'Too many requests, please retry later' } },
  });
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

beforeAll(async () => {
  databaseUrl = await createDatabase();
  first = await startGateway({ databaseUrl, env: { ...LIMITS, APP_ROLE: 'api' }, name: 'rate-limit-1' });
  second = await startGateway({
    databaseUrl,
    queuePrefix: first.queuePrefix,
    env: { ...LIMITS, APP_ROLE: 'api' },
    name: 'rate-limit-2',
  });
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  if (databaseUrl) await dropDatabase(databaseUrl);
});

describe('rate limits', () => {
  it('should answer the request after RATE_LIMIT_API_PER_MINUTE with 429 RATE_LIMITED and Retry-After', async () => {
    const merchant = await signup(first, newIp());
    for (let i = 0; i < 5; i++) await api(first.url).get('/api/v1/orders').set(authHeaders(merchant)).expect(200);
    expectRateLimited(await api(first.url).get('/api/v1/orders').set(authHeaders(merchant)));
    // Another merchant has a budget of its own.
    const other = await signup(first, newIp());
    await api(first.url).get('/api/v1/orders').set(authHeaders(other)).expect(200);
  });

  it('should count one API key across instances', async () => {
    const merchant = await signup(first, newIp());
    for (let i = 0; i < 3; i++) await api(first.url).get('/api/v1/orders').set(authHeaders(merchant)).expect(200);
    await sleep(SYNC_WAIT_MS);
    for (let i = 0; i < 2; i++) await api(second.url).get('/api/v1/orders').set(authHeaders(merchant)).expect(200);
    await sleep(SYNC_WAIT_MS);
    // 5 used in total: the 6th is refused by whichever instance gets it.
    expectRateLimited(await api(first.url).get('/api/v1/orders').set(authHeaders(merchant)));
    expectRateLimited(await api(second.url).get('/api/v1/orders').set(authHeaders(merchant)));
  });

  it('should limit login attempts per client IP and email, and count a blocked attempt as no login', async () => {
    const ip = newIp();
    const email = `rl-${randomUUID()}@example.com`;
    await api(first.url)
      .post('/api/v1/auth/signup')
      .set('X-Forwarded-For', newIp())
      .send({ name: 'Brute', email, password: 'password123' })
      .expect(201);
    const login = (gateway: Gateway, password: string, from = ip) =>
      api(gateway.url).post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
    await login(first, 'wrong-1').expect(401);
    await login(first, 'wrong-2').expect(401);
    await sleep(SYNC_WAIT_MS);
    await login(second, 'wrong-3').expect(401);
    await sleep(SYNC_WAIT_MS);
    const blocked = await login(second, 'password123');
    expectRateLimited(blocked);
    expect(blocked.headers['set-cookie']).toBeUndefined();
    // The same account from another address is not blocked.
    await login(first, 'password123', newIp()).expect(200);
  });

  it('should limit public endpoints per client IP', async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) {
      await api(first.url).get('/api/v1/orders/order_NoSuchOrder00000/public').set('X-Forwarded-For', ip).expect(404);
    }
    await sleep(SYNC_WAIT_MS);
    expectRateLimited(
      await api(second.url).get('/api/v1/orders/order_NoSuchOrder00000/public').set('X-Forwarded-For', ip),
    );
    await api(first.url)
      .get('/api/v1/orders/order_NoSuchOrder00000/public')
      .set('X-Forwarded-For', newIp())
      .expect(404);
  });
});
