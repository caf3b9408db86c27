import { Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { GatewayWorkerHost } from '../jobs/gateway-worker-host.js';
import { JOBS, QUEUES } from '../jobs/queues.js';
import { type PaymentJobData, PaymentProcessingService } from './payment-processing.service.js';

@Processor(QUEUES.payments)
export class PaymentsProcessor extends GatewayWorkerHost {
  constructor(
    private readonly processing: PaymentProcessingService,
    config: AppConfig,
  ) {
    super(config, 15_000);
  }

  protected override sweep(): Promise<number> {
    return this.processing.sweep();
  }

  async process(job: Job<PaymentJobData>): Promise<void> {
    switch (job.name) {
      case JOBS.startPayment:
        return this.processing.start(job.data);
      case JOBS.settlePayment:
        return this.processing.settle(job.data);
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on the payments queue`);
    }
  }
}
