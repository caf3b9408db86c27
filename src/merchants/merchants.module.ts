import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { Merchant } from './merchant.entity.js';
import { MerchantsService } from './merchants.service.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Merchant, Session])],
  controllers: [AuthController],
  providers: [MerchantsService, SessionsService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [MerchantsService],
})
export class MerchantsModule {}
