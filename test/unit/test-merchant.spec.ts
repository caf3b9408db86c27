import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestMerchant, type ReceivedWebhook, type TestMerchant } from '../test-merchant/server.mjs';

const SERVER_PATH = fileURLToPath(new URL('../test-merchant/server.mjs', import.meta.url));
const SECRET = 'whsec_test_abc123';

function hmacHex(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

function payload(event: string): string {
  return JSON.stringify({
    event,
    timestamp: 1705315870,
    data: { payment: { id: 'pay_H8sK3jD9s2L1pQr', amount: 50000, currency: 'INR', status: 'success' } },
  });
}

interface Delivery {
  body: string;
  id?: string;
  event?: string;
  signature?: string;
}

async function deliver(url: string, { body, id, event, signature }: Delivery): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (id) headers['X-Webhook-Id'] = id;
  if (event) headers['X-Webhook-Event'] = event;
  if (signature) headers['X-Webhook-Signature'] = signature;
  return fetch(`${url}/webhook`, { method: 'POST', headers, body });
}

/** A correctly signed delivery, the way the gateway sends it. */
function signed(event: string, id: string, secret = SECRET): Delivery {
  const body = payload(event);
  return { body, id, event, signature: hmacHex(secret, body) };
}

async function listReceived(url: string): Promise<ReceivedWebhook[]> {
  const response = await fetch(`${url}/received`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as ReceivedWebhook[];
}

describe('test merchant receiver (CONTRACT §7.6)', () => {
  let sut: TestMerchant | undefined;
  let logs: string[];

  async function start(options: { secret?: string; failFirstN?: number } = {}): Promise<TestMerchant> {
    logs = [];
    sut = await createTestMerchant({ port: 0, log: (line) => logs.push(line), ...options });
    return sut;
  }

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
  });

  it('should accept a correctly signed webhook with 200 OK and log it as verified', async () => {
    const { url, received } = await start();

    const response = await deliver(url, signed('payment.success', '7f1c9a52-2b4e-4d0b-9a54-2f7f3c1d9e01'));

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
    expect(logs).toContain('✅ Webhook verified: payment.success');
    expect(received).toEqual([
      {
        webhook_id: '7f1c9a52-2b4e-4d0b-9a54-2f7f3c1d9e01',
        event: 'payment.success',
        verified: true,
        received_at: expect.any(String),
      },
    ]);
  });

  it('should reject a wrong signature with 401 Invalid signature and record it as unverified', async () => {
    const { url, received } = await start();
    const wrongSecret = signed('payment.failed', 'wh-1', 'whsec_someone_else');
    const truncated = { ...signed('payment.failed', 'wh-2'), signature: hmacHex(SECRET, payload('x')).slice(0, 10) };
    const missing = { ...signed('payment.failed', 'wh-3'), signature: undefined };

    for (const delivery of [wrongSecret, truncated, missing]) {
      const response = await deliver(url, delivery);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('Invalid signature');
    }

    expect(received.map((r) => [r.webhook_id, r.verified])).toEqual([
      ['wh-1', false],
      ['wh-2', false],
      ['wh-3', false],
    ]);
    expect(logs.some((line) => line.startsWith('✅'))).toBe(false);
  });

  it('should verify against JSON.stringify of the parsed body, so re-formatted JSON still verifies', async () => {
    const { url } = await start();
    const compact = payload('refund.processed');
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);

    const response = await deliver(url, { body: pretty, id: 'wh-pretty', signature: hmacHex(SECRET, compact) });

    expect(response.status).toBe(200);
  });

  it('should use the configured secret', async () => {
    const secret = 'whsec_dGhpcyBpcyBhIDI0IGJ5dGUga2V5IQ==';
    const { url } = await start({ secret });

    expect((await deliver(url, signed('webhook.test', 'a', secret))).status).toBe(200);
    expect((await deliver(url, signed('webhook.test', 'b', SECRET))).status).toBe(401);
  });

  it('should answer the first FAIL_FIRST_N webhooks with 500, then verify normally', async () => {
    const { url } = await start({ failFirstN: 2 });
    const delivery = signed('payment.success', 'retry-me');

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      statuses.push((await deliver(url, delivery)).status);
    }

    expect(statuses).toEqual([500, 500, 200]);
    expect((await listReceived(url)).map((r) => [r.webhook_id, r.event, r.verified])).toEqual([
      ['retry-me', 'payment.success', false],
      ['retry-me', 'payment.success', false],
      ['retry-me', 'payment.success', true],
    ]);
  });

  it('should answer malformed JSON with 400 and still record the request', async () => {
    const { url } = await start();

    const response = await deliver(url, { body: '{"event":', id: 'broken', event: 'payment.created', signature: 'x' });

    expect(response.status).toBe(400);
    expect(await listReceived(url)).toEqual([
      { webhook_id: 'broken', event: 'payment.created', verified: false, received_at: expect.any(String) },
    ]);
  });

  it('should list every webhook request oldest first with exactly webhook_id, event, verified, received_at', async () => {
    const { url } = await start();
    const before = Date.now();
    await deliver(url, signed('payment.created', 'id-1'));
    await deliver(url, { ...signed('payment.pending', 'id-2'), signature: 'deadbeef' });
    await deliver(url, signed('payment.success', 'id-3'));
    await deliver(url, { body: payload('refund.created') }); // no headers at all

    const list = await listReceived(url);

    expect(list.map((r) => [r.webhook_id, r.event, r.verified])).toEqual([
      ['id-1', 'payment.created', true],
      ['id-2', 'payment.pending', false],
      ['id-3', 'payment.success', true],
      [null, 'refund.created', false],
    ]);
    for (const entry of list) {
      expect(Object.keys(entry).sort()).toEqual(['event', 'received_at', 'verified', 'webhook_id']);
      expect(new Date(entry.received_at).toISOString()).toBe(entry.received_at);
      expect(Date.parse(entry.received_at)).toBeGreaterThanOrEqual(before - 1000);
    }
    const times = list.map((r) => Date.parse(r.received_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('should answer /health with 200, unknown paths with 404 and wrong methods with 405', async () => {
    const { url } = await start();

    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/webhook`)).status).toBe(405);
    expect((await fetch(`${url}/received`, { method: 'POST' })).status).toBe(405);
    expect(await listReceived(url)).toEqual([]);
  });
});

describe('test merchant as a process (npm run test-merchant / compose)', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  function run(env: Record<string, string>): { proc: ChildProcess; output: () => string } {
    const proc = spawn(process.execPath, [SERVER_PATH], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { proc, output: () => output };
  }

  async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  function exitCode(proc: ChildProcess): Promise<number | null> {
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
    return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  it('should read PORT, WEBHOOK_SECRET and FAIL_FIRST_N from the environment and stop cleanly on SIGTERM', async () => {
    const secret = 'whsec_from_env';
    const { proc, output } = run({ PORT: '0', WEBHOOK_SECRET: secret, FAIL_FIRST_N: '1' });
    const port = await waitFor(() => /listening on port (\d+)/.exec(output())?.[1], 'the listening line');
    const url = `http://127.0.0.1:${port}`;

    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await deliver(url, signed('payment.success', 'p-1', secret))).status).toBe(500);
    expect((await deliver(url, signed('payment.success', 'p-2', secret))).status).toBe(200);
    expect((await deliver(url, signed('payment.success', 'p-3', SECRET))).status).toBe(401);
    await waitFor(() => (output().includes('✅ Webhook verified: payment.success') ? true : undefined), 'the log');

    const started = Date.now();
    proc.kill('SIGTERM');
    expect(await exitCode(proc)).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('should refuse an invalid FAIL_FIRST_N', async () => {
    const { proc, output } = run({ PORT: '0', FAIL_FIRST_N: 'two' });

    expect(await exitCode(proc)).toBe(1);
    expect(output()).toContain('FAIL_FIRST_N');
  });
});
