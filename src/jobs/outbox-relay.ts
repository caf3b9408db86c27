import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES, type QueueName } from './queues.js';
import type { OutboxRow } from './unit-of-work.js';

const RELAY_INTERVAL_MS = 1000;
const RELAY_BATCH = 500;
/** Rows younger than this are being dispatched by the request that wrote them. */
const RELAY_GRACE = '2 seconds';
/** Rows pushed to BullMQ are deleted in batches: one DELETE per this many ms, well inside the grace. */
const DELETE_EVERY_MS = 50;

interface OutboxRecord {
  id: string;
  queue: QueueName;
  job_name: OutboxRow['name'];
  job_id: string;
  payload: OutboxRow['data'];
  run_at: Date;
}

/**
 * Pushes committed outbox rows to BullMQ. Rows are dispatched right after their commit (batched
 * across concurrent requests), and a loop picks up whatever a crash or a Redis outage left behind,
 * using FOR UPDATE SKIP LOCKED so any number of processes can relay side by side. Job ids are
 * deterministic, so a row pushed twice becomes one job.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Record<QueueName, Queue>;
  private buffer: OutboxRow[] = [];
  private flushScheduled = false;
  private pushed: string[] = [];
  private deleteTimer?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private looping = false;
  private redisWarned = false;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.payments) payments: Queue,
    @InjectQueue(QUEUES.webhooks) webhooks: Queue,
    @InjectQueue(QUEUES.refunds) refunds: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
  ) {
    this.queues = { payments, webhooks, refunds, maintenance };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.relayPending(), RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.deletePushed();
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /** Called after commit; never throws (a failure leaves the rows for the loop). */
  dispatchSoon(rows: OutboxRow[]): void {
    this.buffer.push(...rows);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.buffer;
      this.buffer = [];
      void this.push(batch)
        .then(() => this.forgetSoon(batch.map((r) => r.id)))
        .catch((error: unknown) => this.warnUndelivered(error));
    });
  }

  /** Deletes pushed rows a little later, many per statement (a leftover row is merely pushed twice). */
  private forgetSoon(ids: string[]): void {
    this.pushed.push(...ids);
    this.deleteTimer ??= setTimeout(() => void this.deletePushed(), DELETE_EVERY_MS);
  }

  private async deletePushed(): Promise<void> {
    clearTimeout(this.deleteTimer);
    this.deleteTimer = undefined;
    const batch = this.pushed;
    this.pushed = [];
    if (batch.length === 0) return;
    await this.dataSource
      .query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [batch])
      .catch((error: unknown) => this.logger.warn(`Could not delete relayed outbox rows: ${(error as Error).message}`));
  }

  /** One pass of the safety-net loop; returns the number of rows relayed. */
  async relayPending(): Promise<number> {
    if (this.looping) return 0;
    this.looping = true;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const records = await manager.query<OutboxRecord[]>(
          `SELECT id, queue, job_name, job_id, payload, run_at FROM outbox
           WHERE created_at < now() - interval '${RELAY_GRACE}'
           ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`,
        );
        if (records.length === 0) return 0;
        await this.push(
          records.map((r) => ({
            id: String(r.id),
            queue: r.queue,
            name: r.job_name,
            jobId: r.job_id,
            data: r.payload,
            runAt: new Date(r.run_at),
          })),
        );
        await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [records.map((r) => r.id)]);
        this.redisWarned = false;
        return records.length;
      });
    } catch (error) {
      this.warnUndelivered(error);
      return 0;
    } finally {
      this.looping = false;
    }
  }

  private async push(rows: OutboxRow[]): Promise<void> {
    const now = Date.now();
    const byQueue = new Map<QueueName, OutboxRow[]>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    await Promise.all(
      [...byQueue].map(([queue, list]) =>
        this.queues[queue].addBulk(
          list.map((row) => ({
            name: row.name,
            data: row.data,
            opts: { jobId: row.jobId, delay: Math.max(0, (row.runAt?.getTime() ?? now) - now) },
          })),
        ),
      ),
    );
  }

  private warnUndelivered(error: unknown): void {
    if (this.redisWarned) return;
    this.redisWarned = true;
    this.logger.warn(
      `Outbox rows kept for retry (${(error as Error).message}); the relay will push them when Redis is back`,
    );
  }
}
