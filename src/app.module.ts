import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { RateLimitModule } from './common/rate-limit.module.js';
import { CoreModule } from './core.module.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyWorkerModule } from './idempotency/idempotency-worker.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MerchantsModule } from './merchants/merchants.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsWorkerModule } from './payments/payments-worker.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { RefundsWorkerModule } from './refunds/refunds-worker.module.js';
import { RefundsModule } from './refunds/refunds.module.js';
import { StaticModule } from './static/static.module.js';
import { SystemModule } from './system/system.module.js';
import { WebhooksWorkerModule } from './webhooks/webhooks-worker.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/**
 * Composition root. The role decides the graph: HTTP modules for `api` and `all`, processors (worker
 * modules) for `worker` and `all`.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const http: (Type | DynamicModule)[] = [
      RateLimitModule.forRoot(config),
      HealthModule,
      MerchantsModule,
      IdempotencyModule,
      OrdersModule,
      PaymentsModule,
      RefundsModule,
      WebhooksModule,
      SystemModule.forRoot({ testEndpoints: !config.isProduction }),
      StaticModule,
    ];
    const workers: Type[] = [PaymentsWorkerModule, RefundsWorkerModule, WebhooksWorkerModule, IdempotencyWorkerModule];
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        JobsModule.forRoot(config),
        MetricsModule,
        ...(config.runsHttp ? http : [MerchantsModule]),
        ...(config.runsWorkers ? workers : []),
      ],
    };
  }
}
