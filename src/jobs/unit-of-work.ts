import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CteStatement, valuesTable, whenWritten } from '../database/cte-statement.js';
import type { JobName, QueueName } from './queues.js';
import { OutboxRelay } from './outbox-relay.js';
import { queryPrepared } from '../database/prepared.js';

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

/** A unit of work written as one statement: its writes are CTEs, its jobs go in the same statement. */
export interface StatementTx {
  /** Adds a data-modifying CTE (parameters from $1; may read the CTEs added before it). */
  add(name: string, sql: string, params?: unknown[]): void;
  /** Writes the job with the statement; with `onlyIf`, only when that CTE wrote (returned) a row. */
  enqueue(job: OutboxJob, onlyIf?: string): void;
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

  /**
   * The same guarantees in one round trip, for units whose writes need no result of each other: the
   * writes and the outbox rows form one statement (atomic without BEGIN/COMMIT). On the hot paths
   * (creating a payment, moving it through the bank) this replaces five or six round trips by one.
   */
  async runStatement(work: (tx: StatementTx) => void): Promise<void> {
    const statement = new CteStatement();
    const jobs: { job: OutboxJob; onlyIf?: string }[] = [];
    work({
      add: (name, sql, params) => statement.add(name, sql, params),
      enqueue: (job, onlyIf) => jobs.push({ job, onlyIf }),
    });
    if (jobs.length > 0) {
      const guards = [...new Set(jobs.map((j) => j.onlyIf))];
      const table = valuesTable(
        'j',
        [...OUTBOX_COLUMNS, 'guard'],
        [...OUTBOX_CASTS, 'int'],
        jobs.map(({ job, onlyIf }) => [...outboxValues(job), guards.indexOf(onlyIf)]),
      );
      statement.add(
        'outbox_rows',
        `INSERT INTO outbox (queue, job_name, job_id, payload, run_at)
         SELECT j.queue, j.job_name, j.job_id, j.payload, j.run_at FROM ${table.sql}
         WHERE ${guards.map((guard, i) => `(j.guard = ${i} AND ${whenWritten(guard)})`).join(' OR ')}
         RETURNING id, job_id`,
        table.params,
      );
    }
    const { sql, params } = statement.build(
      jobs.length > 0 ? 'SELECT id::text, job_id FROM outbox_rows' : 'SELECT 1 WHERE false',
    );
    const written = await queryPrepared<{ id: string; job_id: string }>(this.dataSource, sql, params);
    const rows = withIds(
      jobs.map(({ job }) => job),
      written,
    );
    if (rows.length > 0) this.relay.dispatchSoon(rows);
  }
}

const OUTBOX_COLUMNS = ['queue', 'job_name', 'job_id', 'payload', 'run_at'];
const OUTBOX_CASTS = ['text', 'text', 'text', 'jsonb', 'timestamptz'];

function outboxValues(job: OutboxJob): unknown[] {
  return [job.queue, job.name, job.jobId, JSON.stringify(job.data), (job.runAt ?? new Date()).toISOString()];
}

/** The written outbox rows as jobs with their row ids, matched by job id. */
function withIds(jobs: OutboxJob[], written: { id: string; job_id: string }[]): OutboxRow[] {
  const byJobId = new Map(jobs.map((job) => [job.jobId, job]));
  return written.map(({ id, job_id }) => ({ ...byJobId.get(job_id)!, id }));
}

async function insertOutboxRows(manager: EntityManager, jobs: OutboxJob[]): Promise<OutboxRow[]> {
  const table = valuesTable('j', OUTBOX_COLUMNS, OUTBOX_CASTS, jobs.map(outboxValues));
  const written = await manager.query<{ id: string; job_id: string }[]>(
    `INSERT INTO outbox (${OUTBOX_COLUMNS.join(', ')}) SELECT * FROM ${table.sql} RETURNING id::text, job_id`,
    table.params,
  );
  return withIds(jobs, written);
}
