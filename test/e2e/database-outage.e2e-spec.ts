import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { api, authHeaders, createOrder, eventually } from '../support/api.js';
import { ADMIN_DATABASE_URL, createDatabase, dropDatabase, type Gateway, startGateway } from '../support/gateway.mjs';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

jest.setTimeout(120_000);

/**
 * PostgreSQL disappears under a running gateway (CONTRACT §2.3, §5.1): requests that need it answer
 * 503 SERVICE_UNAVAILABLE (never a 500 with internals), /health turns 503, and everything works again
 * once it is back, without restarting the gateway.
 */
describe('PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let gateway: Gateway;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createDatabase('gw_pgcut');
    const admin = new URL(ADMIN_DATABASE_URL);
    proxy = await startTcpProxy(admin.hostname, Number(admin.port || 5432));
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    gateway = await startGateway({ databaseUrl: proxied.toString(), name: 'database-outage' });
  });

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('should answer 503 while PostgreSQL is unreachable and recover by itself when it returns', async () => {
    const order = await createOrder(undefined, { amount: 50000 }, gateway.url);

    await proxy.cut();
    const health = await eventually(async () => {
      const response = await api(gateway.url).get('/health');
      return response.status === 503 ? response : undefined;
    }, 30_000);
    expect(health.body).toMatchObject({ status: 'unhealthy', database: 'disconnected', redis: 'connected' });

    const read = await api(gateway.url).get(`/api/v1/orders/${order.id}`).set(authHeaders());
    expect(read.status).toBe(503);
    expect(read.body).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', description: expect.any(String) as unknown as string },
    });
    expect(read.text).not.toMatch(/\bat \w|SELECT|ECONNREFUSED/);
    const write = await api(gateway.url).post('/api/v1/orders').set(authHeaders()).send({ amount: 50000 });
    expect(write.status).toBe(503);
    expect(write.body.error.code).toBe('SERVICE_UNAVAILABLE');

    await proxy.restore();
    await eventually(async () => ((await api(gateway.url).get('/health')).status === 200 ? true : undefined), 60_000);
    const after = await api(gateway.url).get(`/api/v1/orders/${order.id}`).set(authHeaders()).expect(200);
    expect(after.body.id).toBe(order.id);
    await api(gateway.url).post('/api/v1/orders').set(authHeaders()).send({ amount: 50000 }).expect(201);
  });
});
