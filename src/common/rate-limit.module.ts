import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config.js';
import { GatewayThrottlerGuard, RedisThrottlerStorage, skipUnlessBucket, type RateLimitBucket } from './rate-limit.js';
import { RedisService } from './redis.service.js';

const MINUTE_MS = 60_000;

/** Rate limits (429 RATE_LIMITED with Retry-After), configured by RATE_LIMIT_* variables; 0 disables one. */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    const limits: [RateLimitBucket, number][] = [
      ['api', config.rateLimits.apiPerMinute],
      ['public', config.rateLimits.publicPerMinute],
      ['auth', config.rateLimits.authPerMinute],
    ];
    const throttlers: ThrottlerOptions[] = limits
      .filter(([, limit]) => limit > 0)
      .map(([name, limit]) => ({ name, ttl: MINUTE_MS, limit, skipIf: skipUnlessBucket(name) }));
    if (throttlers.length === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [RedisService],
          useFactory: (redis: RedisService) => ({
            throttlers,
            storage: new RedisThrottlerStorage(redis),
            errorMessage: 'Too many requests, please retry later',
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: GatewayThrottlerGuard }],
    };
  }
}
