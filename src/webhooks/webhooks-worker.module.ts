import { Module } from '@nestjs/common';
import { WebhooksModule } from './webhooks.module.js';
import { WebhooksProcessor } from './webhooks.processor.js';

@Module({ imports: [WebhooksModule], providers: [WebhooksProcessor] })
export class WebhooksWorkerModule {}
