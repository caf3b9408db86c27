import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { ensureJob } from '../jobs/job-maintenance.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { RefundsService } from './refunds.service.js';

const SWEEP_INTERVAL_MS = 15_000;

@Processor(QUEUES.refunds)
export class RefundsProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RefundsProcessor.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly refunds: RefundsService,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  async process(job: Job<{ refundId: string }>): Promise<void> {
    if (job.name !== JOBS.processRefund) throw new UnrecoverableError(`unknown job ${job.name} on the refunds queue`);
    await this.refunds.process(job.data.refundId);
  }

  /** Re-creates the job of refunds stuck in pending (Redis lost it, or it failed for good). */
  private async sweep(): Promise<void> {
    const queue = this.relay.queue(QUEUES.refunds);
    let repaired = 0;
    for (const refundId of await this.refunds.findStuck()) {
      if ((await ensureJob(queue, JOBS.processRefund, jobId('refund', refundId), { refundId })) !== 'present')
        repaired++;
    }
    if (repaired > 0) this.logger.warn(`Re-enqueued ${repaired} stuck refund job(s)`);
  }
}
