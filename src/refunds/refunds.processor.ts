import { Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { GatewayWorkerHost } from '../jobs/gateway-worker-host.js';
import { ensureJob } from '../jobs/job-maintenance.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { RefundsService } from './refunds.service.js';

@Processor(QUEUES.refunds)
export class RefundsProcessor extends GatewayWorkerHost {
  constructor(
    private readonly refunds: RefundsService,
    private readonly relay: OutboxRelay,
    config: AppConfig,
  ) {
    super(config, 15_000);
  }

  async process(job: Job<{ refundId: string }>): Promise<void> {
    if (job.name !== JOBS.processRefund) throw new UnrecoverableError(`unknown job ${job.name} on the refunds queue`);
    await this.refunds.process(job.data.refundId);
  }

  /** Re-creates the job of refunds stuck in pending (Redis lost it, or it failed for good). */
  protected override async sweep(): Promise<number> {
    const queue = this.relay.queue(QUEUES.refunds);
    let repaired = 0;
    for (const refundId of await this.refunds.findStuck()) {
      if ((await ensureJob(queue, JOBS.processRefund, jobId('refund', refundId), { refundId })) !== 'present')
        repaired++;
    }
    if (repaired > 0) this.logger.warn(`Re-enqueued ${repaired} stuck refund job(s)`);
    return repaired;
  }
}
