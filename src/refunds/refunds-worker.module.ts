import { Module } from '@nestjs/common';
import { RefundsModule } from './refunds.module.js';
import { RefundsProcessor } from './refunds.processor.js';

@Module({ imports: [RefundsModule], providers: [RefundsProcessor] })
export class RefundsWorkerModule {}
