import { Module } from '@nestjs/common';
import { PaymentsModule } from './payments.module.js';
import { PaymentsProcessor } from './payments.processor.js';

/** Registered only in the worker and all roles: the API role produces payment jobs but never runs them. */
@Module({
  imports: [PaymentsModule],
  providers: [PaymentsProcessor],
})
export class PaymentsWorkerModule {}
