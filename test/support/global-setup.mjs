import { createDatabase, startGateway } from './gateway.mjs';

/**
 * One fresh database per test run, migrated by the first gateway that starts on it, and one shared
 * gateway (role all, TEST_MODE) for the tests that need no special environment.
 */
export default async function globalSetup() {
  const databaseUrl = await createDatabase();
  process.env.GW_TEST_DATABASE_URL = databaseUrl;
  const gateway = await startGateway({ databaseUrl, name: 'shared-gateway' });
  process.env.GW_TEST_GATEWAY_URL = gateway.url;
  process.env.GW_TEST_QUEUE_PREFIX = gateway.queuePrefix;
  globalThis.__GATEWAY__ = gateway;
}
