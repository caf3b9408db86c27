import { Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { GatewayWorkerHost } from '../jobs/gateway-worker-host.js';
import { JOBS, QUEUES } from '../jobs/queues.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/**
 * A delivery job only claims its log and starts the HTTP request, which runs outside the job (at most
 * 1,000 in flight per process). The job's only wait is the claim round trip, so the queue runs
 * WEBHOOK_JOBS_PER_SLOT jobs per WORKER_CONCURRENCY slot: otherwise that round trip would cap
 * deliveries at `concurrency / round trip` (about 400/s with 5 slots on a loaded 2-core machine).
 * Claims of the same tick share one UPDATE.
 */
export const WEBHOOK_JOBS_PER_SLOT = 10;

@Processor(QUEUES.webhooks)
export class WebhooksProcessor extends GatewayWorkerHost {
  constructor(
    private readonly delivery: WebhookDeliveryService,
    config: AppConfig,
  ) {
    super(config, 5_000, WEBHOOK_JOBS_PER_SLOT);
  }

  protected override sweep(): Promise<number> {
    return this.delivery.sweep();
  }

  async process(job: Job<{ webhookLogId: string }>): Promise<string> {
    if (job.name !== JOBS.deliverWebhook) throw new UnrecoverableError(`unknown job ${job.name} on the webhooks queue`);
    const outcome = await this.delivery.start(job.data.webhookLogId);
    // Another attempt of this log is still in flight: try again shortly (backoff) rather than drop it.
    if (outcome === 'in-flight') throw new Error('an attempt of this webhook is already in flight');
    return outcome;
  }
}
