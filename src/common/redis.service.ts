import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/**
 * One general-purpose Redis connection (health checks, heartbeat, counters). Commands fail fast while
 * Redis is down instead of queueing, so callers can answer 503 rather than hang.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis;

  constructor(private readonly config: AppConfig) {
    this.client = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Connection errors are reported by /health and by the callers; avoid unhandled 'error' events.
    this.client.on('error', () => undefined);
  }

  key(...parts: string[]): string {
    return [this.config.queuePrefix, ...parts].join(':');
  }

  async ping(timeoutMs: number): Promise<boolean> {
    try {
      const result = await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      return result === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
