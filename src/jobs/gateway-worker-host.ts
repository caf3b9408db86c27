import { WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * What every processor of ours shares: WORKER_CONCURRENCY (known only at run time, so not in the
 * @Processor decorator), worker errors logged at most every 10 s instead of once per retry while
 * Redis is down, and an optional sweeper that repairs work PostgreSQL says is due.
 */
export abstract class GatewayWorkerHost extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private sweeper?: NodeJS.Timeout;
  private lastErrorLog = 0;

  protected constructor(
    protected readonly config: AppConfig,
    private readonly sweepEveryMs?: number,
    /** Jobs per WORKER_CONCURRENCY slot, for queues whose jobs only hand work on (see WebhooksProcessor). */
    private readonly jobsPerSlot = 1,
  ) {
    super();
  }

  /** Re-creates jobs for due work whose job was lost; called every `sweepEveryMs`. */
  protected sweep(): Promise<unknown> {
    return Promise.resolve();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency * this.jobsPerSlot;
    this.worker.on('error', (error: Error) => {
      if (Date.now() - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
      this.lastErrorLog = Date.now();
      this.logger.warn(`Worker error (repeats are silenced for 10 s): ${error.message}`);
    });
    if (this.sweepEveryMs) {
      this.sweeper = setInterval(() => {
        this.sweep().catch((error: unknown) => this.logger.warn(`Sweep failed: ${(error as Error).message}`));
      }, this.sweepEveryMs);
      this.sweeper.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}
