import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { ALL_QUEUES } from '../jobs/queues.js';

const JOB_STATES = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'] as const;

/**
 * Prometheus metrics. Request and delivery figures are per process; queue depths, webhook log states
 * and outbox lag are read from Redis and PostgreSQL at scrape time, so any API instance reports the
 * whole deployment.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'gateway_webhook_deliveries_total',
    help: 'Webhook delivery attempts made by this process, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDuration = new Histogram({
    name: 'gateway_webhook_delivery_duration_seconds',
    help: 'Duration of webhook delivery attempts made by this process',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(dataSource: DataSource, relay: OutboxRelay) {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
    new Gauge({
      name: 'gateway_queue_jobs',
      help: 'BullMQ jobs per queue and state (completed/failed: retained jobs)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        await Promise.all(
          ALL_QUEUES.map(async (queue) => {
            const counts = await relay.queue(queue).getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
          }),
        ).catch(() => undefined);
      },
    });
    new Gauge({
      name: 'gateway_webhook_logs',
      help: 'Webhook logs by status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await dataSource
          .query<{ status: string; count: number }[]>(
            `SELECT status, count(*)::int AS count FROM webhook_logs GROUP BY status`,
          )
          .catch(() => []);
        for (const status of ['pending', 'success', 'failed']) {
          this.set({ status }, rows.find((r) => r.status === status)?.count ?? 0);
        }
      },
    });
    new Gauge({
      name: 'gateway_outbox_lag_seconds',
      help: 'Age of the oldest job waiting in the outbox (0 when empty)',
      registers: [this.registry],
      async collect() {
        const [row] = await dataSource
          .query<{ lag: number | null }[]>(
            `SELECT extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox`,
          )
          .catch(() => [{ lag: null }]);
        this.set(row?.lag ?? 0);
      },
    });
    new Gauge({
      name: 'gateway_outbox_rows',
      help: 'Jobs waiting in the outbox to be pushed to Redis',
      registers: [this.registry],
      async collect() {
        const [row] = await dataSource
          .query<{ count: number }[]>(`SELECT count(*)::int AS count FROM outbox`)
          .catch(() => [{ count: 0 }]);
        this.set(row?.count ?? 0);
      },
    });
  }
}
