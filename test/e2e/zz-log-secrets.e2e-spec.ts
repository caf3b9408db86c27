import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { api, authHeaders, eventually, newMerchant, waitForFinalPayment } from '../support/api.js';
import { type Gateway, LOG_DIR, createDatabase, dropDatabase, startGateway } from '../support/gateway.mjs';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/*
 * Drives a representative flow through a dedicated gateway, stops it, and searches everything it
 * printed for credentials, secrets, session tokens, signatures and card data (CONTRACT §3: full card
 * numbers and CVVs are never logged). Named zz- so that it usually runs last, but it shares nothing
 * with other files: its own database, queue prefix and log file.
 */
jest.setTimeout(120_000);

const LOG_NAME = 'log-secrets';
const SEEDED = { key: 'key_test_abc123', secret: 'secret_test_xyz789' };
const SEEDED_PASSWORD = 'password123';
const SEEDED_WEBHOOK_SECRET = 'whsec_test_abc123';
const WRONG_SECRET = 'secret_test_WrongWrongWrongWrongWrongWrong12';
const WRONG_PASSWORD = 'not-the-password-456';
const CARDS = {
  spaced: '4111 1111 1111 1111',
  dashed: '4111-1111-1111-1111',
  plain: '4242424242424242',
  luhnFailure: '4111111111111112',
};
const CVVS = ['987', '1234', '654', '321', '98765'];

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

function cookieValue(cookie: string): string {
  return cookie.slice(cookie.indexOf('=') + 1);
}

function expectStatus(response: Response, status: number): void {
  expect({ status: response.status, body: response.body as unknown }).toEqual({ status, body: expect.anything() });
}

describe('secrets in the gateway log', () => {
  let gateway: Gateway;
  let databaseUrl: string;
  let receiver: WebhookReceiver;
  let log: string | undefined;
  /** Every value that must not appear in the log, by what it is. */
  const secrets = new Map<string, string>();

  function forbid(what: string, value: unknown): void {
    expect({ what, value }).toEqual({ what, value: expect.stringMatching(/^.{6,}$/) });
    secrets.set(value as string, what);
  }

  /** Stops the gateway (SIGTERM) once and returns the whole log file. */
  async function stoppedLog(): Promise<string> {
    if (log === undefined) {
      await gateway.stop('SIGTERM');
      const file = join(LOG_DIR, `${LOG_NAME}.log`);
      const expectedBytes = Buffer.byteLength(gateway.output());
      // The harness ends the file stream without waiting for it to flush.
      await eventually(
        async () => (existsSync(file) && statSync(file).size >= expectedBytes ? true : undefined),
        10_000,
      );
      log = readFileSync(file, 'utf8');
    }
    return log;
  }

  beforeAll(async () => {
    databaseUrl = await createDatabase('gw_log_secrets');
    [gateway, receiver] = await Promise.all([startGateway({ databaseUrl, name: LOG_NAME }), WebhookReceiver.start()]);
  }, 120_000);

  afterAll(async () => {
    if (log === undefined) {
      await gateway?.stop('SIGTERM');
    }
    await receiver?.close();
    if (databaseUrl) {
      await dropDatabase(databaseUrl);
    }
  });

  it('should complete a representative flow with secrets, sessions, cards, webhooks and errors', async () => {
    const http = () => api(gateway.url);
    forbid('seeded api_secret', SEEDED.secret);
    forbid('seeded password', SEEDED_PASSWORD);
    forbid('seeded webhook_secret', SEEDED_WEBHOOK_SECRET);
    forbid('wrong api_secret that was tried', WRONG_SECRET);
    forbid('wrong password that was tried', WRONG_PASSWORD);

    // Seeded merchant: Basic auth, key headers, login and the session cookie.
    const seededBasic = basic(SEEDED.key, SEEDED.secret);
    forbid('seeded Authorization header', seededBasic.slice('Basic '.length));
    expectStatus(await http().get('/api/v1/merchants/me').set('Authorization', seededBasic), 200);
    const seededOrder = await http().post('/api/v1/orders').set(authHeaders(SEEDED)).send({ amount: 50000 });
    expectStatus(seededOrder, 201);
    const login = await http()
      .post('/api/v1/auth/login')
      .send({ email: 'test@example.com', password: SEEDED_PASSWORD });
    expectStatus(login, 200);
    const seededCookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0];
    forbid('seeded session cookie', cookieValue(seededCookie));
    const credentials = await http().get('/api/v1/merchants/me/credentials').set('Cookie', seededCookie);
    expect(credentials.body).toEqual({ api_key: SEEDED.key, api_secret: SEEDED.secret });
    const seededConfig = await http().get('/api/v1/webhooks/config').set('Cookie', seededCookie);
    expect(seededConfig.body.webhook_secret).toBe(SEEDED_WEBHOOK_SECRET);

    // A signed-up merchant with webhooks to a local receiver.
    const merchant = await newMerchant(gateway.url);
    forbid('signed-up api_secret', merchant.secret);
    forbid('signed-up webhook_secret', merchant.webhookSecret);
    forbid('signed-up session cookie', cookieValue(merchant.cookie));
    const merchantBasic = basic(merchant.key, merchant.secret);
    forbid('signed-up Authorization header', merchantBasic.slice('Basic '.length));
    const configured = await http()
      .put('/api/v1/webhooks/config')
      .set('Authorization', merchantBasic)
      .send({ webhook_url: receiver.url() });
    expectStatus(configured, 200);
    const regenerated = await http().post('/api/v1/webhooks/regenerate-secret').set('Cookie', merchant.cookie);
    expectStatus(regenerated, 200);
    forbid('regenerated webhook_secret', regenerated.body.webhook_secret);
    // The first delivery fails, so that the failure and retry paths write their log lines too.
    receiver.plan({ status: 500, body: 'temporarily broken' });
    expectStatus(await http().post('/api/v1/webhooks/test').set('Authorization', merchantBasic), 201);

    // Card payments: merchant endpoint, public endpoint, flat alias, integer CVV, rejected cards.
    const order = await http().post('/api/v1/orders').set('Authorization', merchantBasic).send({ amount: 50000 });
    expectStatus(order, 201);
    const card = (number: string, cvv: string | number) => ({
      number,
      expiry_month: '12',
      expiry_year: '2030',
      cvv,
      holder_name: 'John Doe',
    });
    const payments: string[] = [];
    const spaced = await http()
      .post('/api/v1/payments')
      .set('Authorization', merchantBasic)
      .send({ order_id: order.body.id, method: 'card', card: card(CARDS.spaced, CVVS[0]) });
    expectStatus(spaced, 201);
    payments.push(spaced.body.id);
    const plain = await http()
      .post('/api/v1/payments/public')
      .send({ order_id: order.body.id, method: 'card', card: card(CARDS.plain, Number(CVVS[1])) });
    expectStatus(plain, 201);
    payments.push(plain.body.id);
    const flat = await http()
      .post('/api/v1/payments')
      .set(authHeaders(merchant))
      .set('Idempotency-Key', 'log-secrets-flat-card')
      .send({
        order_id: order.body.id,
        method: 'card',
        card_number: CARDS.dashed,
        card_expiry: '12/30',
        card_cvv: CVVS[2],
      });
    expectStatus(flat, 201);
    payments.push(flat.body.id);
    const luhn = await http()
      .post('/api/v1/payments/public')
      .send({ order_id: order.body.id, method: 'card', card: card(CARDS.luhnFailure, CVVS[3]) });
    expect(luhn.body.error?.code).toBe('INVALID_CARD');
    const badCvv = await http()
      .post('/api/v1/payments')
      .set(authHeaders(merchant))
      .send({ order_id: order.body.id, method: 'card', card: card(CARDS.plain, CVVS[4]) });
    expect(badCvv.body.error?.code).toBe('INVALID_CARD');

    // Refund of a successful payment.
    await waitForFinalPayment(payments[0], merchant, gateway.url, 30_000);
    const refund = await http()
      .post(`/api/v1/payments/${payments[0]}/refunds`)
      .set('Authorization', merchantBasic)
      .send({ amount: 1000, reason: 'customer request' });
    expectStatus(refund, 201);

    // Errors: wrong secrets, wrong password, malformed JSON carrying a card and a password.
    expectStatus(
      await http().get('/api/v1/orders').set({ 'X-Api-Key': SEEDED.key, 'X-Api-Secret': WRONG_SECRET }),
      401,
    );
    const wrongBasic = basic(merchant.key, WRONG_SECRET);
    forbid('wrong Authorization header', wrongBasic.slice('Basic '.length));
    expectStatus(await http().get('/api/v1/orders').set('Authorization', wrongBasic), 401);
    expectStatus(
      await http().post('/api/v1/auth/login').send({ email: merchant.email, password: WRONG_PASSWORD }),
      401,
    );
    const malformedCard = `{"order_id":"${order.body.id}","method":"card","card":{"number":"${CARDS.plain}","cvv":"${CVVS[0]}"`;
    expectStatus(
      await http().post('/api/v1/payments/public').set('Content-Type', 'application/json').send(malformedCard),
      400,
    );
    // Valid JSON nested deep enough to break request processing: whatever the server answers, the card
    // inside must not end up in an error log.
    const deep = `{"order_id":"${order.body.id}","method":"card","card":${JSON.stringify(card(CARDS.plain, CVVS[0]))},"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const deepResponse = await http()
      .post('/api/v1/payments/public')
      .set('Content-Type', 'application/json')
      .send(deep);
    expect(deepResponse.status).toBeGreaterThanOrEqual(400);
    const malformedLogin = `{"email":"test@example.com","password":"${SEEDED_PASSWORD}"`;
    expectStatus(
      await http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(malformedLogin),
      400,
    );

    // Key rotation and logout through the session.
    const rotated = await http().post('/api/v1/merchants/me/regenerate-keys').set('Cookie', merchant.cookie);
    expectStatus(rotated, 200);
    forbid('rotated api_secret', rotated.body.api_secret);
    expectStatus(
      await http()
        .get('/api/v1/payments')
        .set(authHeaders({ key: merchant.key, secret: rotated.body.api_secret })),
      200,
    );
    expectStatus(await http().post('/api/v1/auth/logout').set('Cookie', seededCookie), 204);

    // Let the deliveries happen: the test event, three payment successes and the refund.
    const event = (name: string) => (request: { headers: Record<string, unknown> }) =>
      request.headers['x-webhook-event'] === name;
    await receiver.waitFor(1, event('webhook.test'), 30_000);
    await receiver.waitFor(3, event('payment.success'), 30_000);
    await receiver.waitFor(1, event('refund.processed'), 30_000);
    for (const request of receiver.received()) {
      forbid('X-Webhook-Signature sent', request.headers['x-webhook-signature']);
      for (const signature of String(request.headers['webhook-signature']).split(' ')) {
        forbid('webhook-signature sent', signature.replace(/^v1,/, ''));
      }
    }
  });

  it('should write JSON lines with a reqId on every request line', async () => {
    const text = await stoppedLog();
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(20);
    const notJson = lines.filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed);
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = entries.filter(
      (entry) =>
        'statusCode' in entry ||
        'req' in entry ||
        'res' in entry ||
        (typeof entry.msg === 'string' && /request/i.test(entry.msg)),
    );
    // At least one line per request of the flow above (about 30).
    expect(requestLines.length).toBeGreaterThanOrEqual(25);
    expect(requestLines.filter((entry) => typeof entry.reqId !== 'string' || entry.reqId === '')).toEqual([]);
    expect(entries.some((entry) => entry.statusCode === 401)).toBe(true);
  });

  it('should never log credentials, secrets, session tokens, signatures, card numbers or CVVs', async () => {
    const text = await stoppedLog();
    expect(secrets.size).toBeGreaterThan(15);
    expect(text.length).toBeGreaterThan(1000);
    const lines = text.split('\n');
    const found: string[] = [];
    for (const [value, what] of secrets) {
      const line = lines.find((candidate) => candidate.includes(value));
      if (line !== undefined) {
        found.push(`${what}: ${line.slice(0, 400)}`);
      }
    }
    const numbers = ['4111111111111111', '4242424242424242', '4111111111111112'];
    for (const line of lines) {
      const compact = line.replace(/[\s-]/g, '');
      const number = numbers.find((candidate) => compact.includes(candidate));
      if (number !== undefined) {
        found.push(`card number ${number}: ${line.slice(0, 400)}`);
      }
      if (/\\*"(card_)?cvv\\*"\s*:\s*\\*"?\d|\bcvv\s*[=:]\s*\d/i.test(line)) {
        found.push(`CVV: ${line.slice(0, 400)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
