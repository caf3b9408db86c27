import { Module } from '@nestjs/common';
import { WebhookEventsService } from './webhook-events.service.js';

/** Event recording, imported by every module that emits webhook events. */
@Module({
  providers: [WebhookEventsService],
  exports: [WebhookEventsService],
})
export class WebhookEventsModule {}
