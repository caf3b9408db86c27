import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { JobsStatusService } from './jobs-status.service.js';
import { OutboxRelay } from './outbox-relay.js';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS } from './queues.js';
import { UnitOfWork } from './unit-of-work.js';
import { WorkerHeartbeat } from './worker-heartbeat.js';

/**
 * Queues, the outbox and the unit of work. Every role produces jobs; only worker roles get the
 * heartbeat (processors live in each feature's worker module).
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        BullModule.forRoot({
          connection: {
            url: config.redisUrl,
            // Producers fail fast while Redis is down; the outbox keeps the job for later.
            enableOfflineQueue: false,
            retryStrategy: (times: number) => Math.min(times * 200, 2000),
          },
          prefix: config.queuePrefix,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [OutboxRelay, UnitOfWork, JobsStatusService, ...(config.runsWorkers ? [WorkerHeartbeat] : [])],
      exports: [BullModule, OutboxRelay, UnitOfWork, JobsStatusService],
    };
  }
}
