import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookEventsModule } from './webhook-events.module.js';
import { WebhookLog } from './webhook-log.entity.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookLog, WebhookAttempt]), MerchantsModule, WebhookEventsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDeliveryService],
  exports: [WebhooksService, WebhookDeliveryService],
})
export class WebhooksModule {}
