import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersModule } from '../orders/orders.module.js';
import { WebhookEventsModule } from '../webhooks/webhook-events.module.js';
import { Payment } from './payment.entity.js';
import { PaymentProcessingService } from './payment-processing.service.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsService } from './payments.service.js';
import { PublicPaymentsController } from './public-payments.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Payment]), OrdersModule, WebhookEventsModule],
  controllers: [PublicPaymentsController, PaymentsController],
  providers: [PaymentsService, PaymentProcessingService],
  exports: [PaymentsService, PaymentProcessingService],
})
export class PaymentsModule {}
