import { Module } from '@nestjs/common';
import { IdempotencyModule } from './idempotency.module.js';
import { MaintenanceProcessor } from './maintenance.processor.js';

@Module({ imports: [IdempotencyModule], providers: [MaintenanceProcessor] })
export class IdempotencyWorkerModule {}
