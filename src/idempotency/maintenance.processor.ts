import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { GatewayWorkerHost } from '../jobs/gateway-worker-host.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { JOBS, QUEUES } from '../jobs/queues.js';
import { IdempotencyStore } from './idempotency.store.js';

const PURGE_EVERY_MS = 10 * 60_000;

/** Purges expired idempotency keys with a repeatable job (one schedule shared by all workers). */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends GatewayWorkerHost {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly relay: OutboxRelay,
    config: AppConfig,
  ) {
    super(config);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.relay
      .queue(QUEUES.maintenance)
      .upsertJobScheduler(JOBS.purgeIdempotencyKeys, { every: PURGE_EVERY_MS }, { name: JOBS.purgeIdempotencyKeys })
      .catch((error: unknown) =>
        this.logger.warn(`Could not schedule the idempotency key purge: ${(error as Error).message}`),
      );
  }

  async process(job: Job): Promise<number> {
    if (job.name !== JOBS.purgeIdempotencyKeys) return 0;
    const purged = await this.store.purgeExpired();
    if (purged > 0) this.logger.log(`Purged ${purged} expired idempotency key(s)`);
    return purged;
  }
}
