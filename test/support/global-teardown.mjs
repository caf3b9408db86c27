import { dropDatabase } from './gateway.mjs';

export default async function globalTeardown() {
  await globalThis.__GATEWAY__?.stop();
  if (process.env.GW_TEST_DATABASE_URL && process.env.GW_KEEP_TEST_DATABASE !== 'true') {
    await dropDatabase(process.env.GW_TEST_DATABASE_URL);
  }
}
