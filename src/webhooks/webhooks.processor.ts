import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { JOBS, QUEUES } from '../jobs/queues.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

const SWEEP_INTERVAL_MS = 5_000;

@Processor(QUEUES.webhooks)
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly delivery: WebhookDeliveryService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
    this.sweeper = setInterval(() => void this.delivery.sweep().catch(() => undefined), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  async process(job: Job<{ webhookLogId: string }>): Promise<string> {
    if (job.name !== JOBS.deliverWebhook) throw new UnrecoverableError(`unknown job ${job.name} on the webhooks queue`);
    const outcome = await this.delivery.start(job.data.webhookLogId);
    // Another attempt of this log is still in flight: try again shortly (backoff) rather than drop it.
    if (outcome === 'in-flight') throw new Error('an attempt of this webhook is already in flight');
    return outcome;
  }
}
