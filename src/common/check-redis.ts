import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { redactUrl, StartupError } from '../database/prepare-database.js';

/** Fails start-up with a clear message when Redis does not answer. */
export async function checkRedis(config: AppConfig): Promise<void> {
  const client = new Redis(config.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new StartupError(
      `Redis is not reachable at ${redactUrl(config.redisUrl)} (${(error as Error).message}).\n` +
        `  Start it (e.g. \`redis-server --daemonize yes\`, \`brew services start redis\` or \`docker compose up -d redis\`)\n` +
        `  or point REDIS_URL at a running server.`,
    );
  } finally {
    client.disconnect();
  }
}
