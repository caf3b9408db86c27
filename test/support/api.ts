import request from 'supertest';
import { sharedGatewayUrl } from './gateway.mjs';

export const TEST_KEY = 'key_test_abc123';
export const TEST_SECRET = 'secret_test_xyz789';

export interface Credentials {
  key: string;
  secret: string;
}

export const testMerchant: Credentials = { key: TEST_KEY, secret: TEST_SECRET };

/** supertest agent bound to a gateway (the run's shared one by default). */
export function api(url: string = sharedGatewayUrl()) {
  return request(url);
}

export function authHeaders(credentials: Credentials = testMerchant): Record<string, string> {
  return { 'X-Api-Key': credentials.key, 'X-Api-Secret': credentials.secret };
}

/** Signs up a fresh merchant; returns its credentials, id and session cookie. */
export async function newMerchant(
  url: string = sharedGatewayUrl(),
): Promise<Credentials & { id: string; cookie: string; email: string; webhookSecret: string }> {
  const email = `m${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;
  const response = await api(url)
    .post('/api/v1/auth/signup')
    .send({ name: 'E2E Merchant', email, password: 'password123' });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${response.text}`);
  const cookie = String(response.headers['set-cookie']?.[0] ?? '').split(';')[0];
  return {
    key: response.body.api_key,
    secret: response.body.api_secret,
    id: response.body.id,
    cookie,
    email,
    webhookSecret: response.body.webhook_secret,
  };
}

export async function createOrder(
  credentials: Credentials = testMerchant,
  body: Record<string, unknown> = { amount: 50000 },
  url?: string,
) {
  const response = await api(url).post('/api/v1/orders').set(authHeaders(credentials)).send(body);
  if (response.status !== 201) throw new Error(`order failed: ${response.status} ${response.text}`);
  return response.body as { id: string; amount: number; currency: string; status: string };
}

export async function createPayment(
  orderId: string,
  instrument: Record<string, unknown> = { method: 'upi', vpa: 'user@paytm' },
  credentials: Credentials = testMerchant,
  url?: string,
) {
  const response = await api(url)
    .post('/api/v1/payments')
    .set(authHeaders(credentials))
    .send({ order_id: orderId, ...instrument });
  if (response.status !== 201) throw new Error(`payment failed: ${response.status} ${response.text}`);
  return response.body as { id: string; status: string; order_id: string; amount: number };
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

export async function waitForFinalPayment(
  paymentId: string,
  credentials: Credentials = testMerchant,
  url?: string,
  timeoutMs = 15_000,
) {
  return eventually(async () => {
    const response = await api(url).get(`/api/v1/payments/${paymentId}`).set(authHeaders(credentials));
    return ['success', 'failed'].includes(response.body.status) ? response.body : undefined;
  }, timeoutMs);
}
