import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { JobName, QueueName } from './queues.js';
import { OutboxRelay } from './outbox-relay.js';

/** A job written to the outbox in the business transaction and pushed to BullMQ after commit. */
export interface OutboxJob {
  queue: QueueName;
  name: JobName;
  /** Deterministic, so a job pushed twice (relay race, crash) runs once. */
  jobId: string;
  data: Record<string, string | number | boolean | null>;
  /** Not before this time (delayed job). */
  runAt?: Date;
}

export interface OutboxRow extends OutboxJob {
  id: string;
}

export interface Tx {
  manager: EntityManager;
  /** Writes the job with this transaction's commit; nothing is enqueued if it rolls back. */
  enqueue(job: OutboxJob): void;
}

/**
 * The transaction helper every multi-row write goes through: runs `work` in one PostgreSQL transaction,
 * writes the jobs it enqueued to the outbox in the same transaction, and hands them to the relay once
 * committed. A Redis outage therefore delays jobs but never loses them.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let rows: OutboxRow[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const jobs: OutboxJob[] = [];
      const value = await work({ manager, enqueue: (job) => jobs.push(job) });
      rows = jobs.length > 0 ? await insertOutboxRows(manager, jobs) : [];
      return value;
    });
    if (rows.length > 0) this.relay.dispatchSoon(rows);
    return result;
  }
}

async function insertOutboxRows(manager: EntityManager, jobs: OutboxJob[]): Promise<OutboxRow[]> {
  const values: unknown[] = [];
  const tuples = jobs.map((job, i) => {
    values.push(job.queue, job.name, job.jobId, JSON.stringify(job.data), (job.runAt ?? new Date()).toISOString());
    const o = i * 5;
    return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::jsonb, $${o + 5}::timestamptz)`;
  });
  const inserted = await manager.query<{ id: string }[]>(
    `INSERT INTO outbox (queue, job_name, job_id, payload, run_at) VALUES ${tuples.join(', ')} RETURNING id`,
    values,
  );
  return jobs.map((job, i) => ({ ...job, id: String(inserted[i].id) }));
}
