import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RedisService } from '../common/redis.service.js';

export const HEARTBEAT_TTL_MS = 15_000;
const HEARTBEAT_INTERVAL_MS = 5_000;

/** Worker processes refresh a Redis key; GET /api/v1/test/jobs/status reads its presence. */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly redis: RedisService) {}

  onApplicationBootstrap(): void {
    const beat = (): void => {
      this.redis.client
        .set(this.redis.key('worker', 'heartbeat'), String(Date.now()), 'PX', HEARTBEAT_TTL_MS)
        .catch(() => undefined);
    };
    beat();
    this.timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
  }
}
