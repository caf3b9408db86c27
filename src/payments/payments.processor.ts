import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { JOBS, QUEUES } from '../jobs/queues.js';
import type { TestOutcome } from './payment-request.js';
import { PaymentProcessingService } from './payment-processing.service.js';

const SWEEP_INTERVAL_MS = 15_000;

interface PaymentJobData {
  paymentId: string;
  testOutcome: TestOutcome | null;
}

@Processor(QUEUES.payments)
export class PaymentsProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly processing: PaymentProcessingService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
    this.sweeper = setInterval(() => void this.processing.sweep().catch(() => undefined), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  async process(job: Job<PaymentJobData>): Promise<void> {
    const { paymentId, testOutcome } = job.data;
    switch (job.name) {
      case JOBS.startPayment:
        return this.processing.start(paymentId, testOutcome);
      case JOBS.settlePayment:
        return this.processing.settle(paymentId, testOutcome);
      default:
        throw new UnrecoverableError(`unknown job ${job.name} on the payments queue`);
    }
  }
}
