import { Injectable } from '@nestjs/common';
import { RedisService } from '../common/redis.service.js';
import { OutboxRelay } from './outbox-relay.js';
import { BUSINESS_QUEUES } from './queues.js';

export interface JobsStatus {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  worker_status: 'running' | 'stopped';
}

@Injectable()
export class JobsStatusService {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly redis: RedisService,
  ) {}

  /** Sums over the three queues (CONTRACT §5.1): pending = waiting + delayed + prioritized. */
  async status(): Promise<JobsStatus> {
    const counts = await Promise.all(
      BUSINESS_QUEUES.map((name) =>
        this.relay.queue(name).getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'),
      ),
    );
    const sum = (key: string): number => counts.reduce((total, c) => total + (c[key] ?? 0), 0);
    const heartbeat = await this.redis.client.exists(this.redis.key('worker', 'heartbeat'));
    return {
      pending: sum('waiting') + sum('delayed') + sum('prioritized'),
      processing: sum('active'),
      completed: sum('completed'),
      failed: sum('failed'),
      worker_status: heartbeat ? 'running' : 'stopped',
    };
  }
}
