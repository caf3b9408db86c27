import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import type { FastifyRequest } from 'fastify';
import { ApiException } from './api.exception.js';
import { AUTH_MODE, type AuthMode } from './auth.decorators.js';
import { sha256Hex } from './crypto.js';
import { parseBasicAuth } from '../merchants/auth.guard.js';
import { RedisService } from './redis.service.js';

export type RateLimitBucket = 'api' | 'public' | 'auth';

const FIXED_WINDOW = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
`;

/**
 * Fixed-window counters in Redis, shared by every instance. Fails open: if Redis cannot answer, the
 * request is not throttled (availability of payments matters more than the limit).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);

  constructor(private readonly redis: RedisService) {
    // Registered once, then called by SHA (EVALSHA) instead of shipping the script on every request.
    redis.client.defineCommand('gatewayRateLimit', { numberOfKeys: 1, lua: FIXED_WINDOW });
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const client = this.redis.client as unknown as {
        gatewayRateLimit(key: string, ttl: number): Promise<[number, number]>;
      };
      const [hits, pttl] = await client.gatewayRateLimit(this.redis.key('ratelimit', key), ttl);
      const seconds = Math.max(1, Math.ceil(pttl / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: seconds };
    } catch (error) {
      this.logger.warn(`Rate limit storage unavailable, not throttling: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Which bucket a route belongs to: login/signup, other public routes, or merchant (API key) routes. */
export function bucketOf(mode: AuthMode, path: string): RateLimitBucket {
  if (path.startsWith('/api/v1/auth/login') || path.startsWith('/api/v1/auth/signup')) return 'auth';
  return mode === 'key' || mode === 'key-or-session' ? 'api' : 'public';
}

/**
 * One named throttler per bucket; each request counts against its own bucket only. Merchant
 * endpoints are tracked per API key (or session), public ones per client IP, login per IP and email.
 */
@Injectable()
export class GatewayThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as FastifyRequest & { cookies?: Record<string, string | undefined> };
    const apiKey = header(request, 'x-api-key') ?? parseBasicAuth(header(request, 'authorization'))?.key;
    if (apiKey) return `key:${apiKey}`;
    const session = request.cookies?.gw_session;
    if (session) return `session:${sha256Hex(session)}`;
    const email = (request.body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' && request.url.startsWith('/api/v1/auth/login')
      ? `ip:${request.ip}:${email.trim().toLowerCase()}`
      : `ip:${request.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  /** The contract's 429 envelope with a plain Retry-After (seconds until the window resets). */
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: { timeToBlockExpire: number },
  ): Promise<void> {
    throw new ApiException(429, 'RATE_LIMITED', 'Too many requests, please retry later', {
      'Retry-After': String(Math.max(1, detail.timeToBlockExpire)),
    });
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }
}

export function skipUnlessBucket(bucket: RateLimitBucket) {
  return (context: ExecutionContext): boolean => {
    const mode =
      (Reflect.getMetadata(AUTH_MODE, context.getHandler()) as AuthMode | undefined) ??
      (Reflect.getMetadata(AUTH_MODE, context.getClass()) as AuthMode | undefined) ??
      'key';
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return bucketOf(mode, request.url) !== bucket;
  };
}
