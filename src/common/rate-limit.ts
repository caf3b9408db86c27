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

/** Adds ARGV[2] hits to a fixed window of ARGV[1] ms; returns the window's hits and remaining ms. */
const FIXED_WINDOW = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local pttl = redis.call('PTTL', KEYS[1])
if pttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  pttl = tonumber(ARGV[1])
end
return {hits, pttl}
`;

/** Hits counted in this process are sent to Redis (and the others' read back) at least this often. */
export const RATE_LIMIT_SYNC_MS = 100;
const MAX_WINDOWS = 100_000;

interface Window {
  /** Hits in the window as far as this process knows: Redis's count at the last sync plus `pending`. */
  total: number;
  /** Hits counted here and not yet sent to Redis. */
  pending: number;
  resetsAt: number;
  /** When Redis's count was last read (or is being read). */
  syncedAt: number;
  ttl: number;
}

type RateLimitClient = {
  gatewayRateLimit(key: string, ttl: number, hits: number): Promise<[number, number]>;
  pipeline(): { gatewayRateLimit(key: string, ttl: number, hits: number): unknown; exec(): Promise<unknown> };
};

/**
 * Fixed-window counters in Redis, shared by every instance, written behind. A hit is counted in this
 * process when its view of the window is younger than RATE_LIMIT_SYNC_MS; otherwise (first hit of a
 * window, quiet key) it goes to Redis at once with whatever is pending and reads the shared count
 * back. Pending hits of busy keys are sent every RATE_LIMIT_SYNC_MS, all keys in one round trip. So
 * a busy key costs one Redis round trip per RATE_LIMIT_SYNC_MS instead of one per request, and the
 * instances' counts are never more than RATE_LIMIT_SYNC_MS apart. Fails open: if Redis cannot
 * answer, nothing is throttled (availability of payments matters more than the limit).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly windows = new Map<string, Window>();
  private syncTimer?: NodeJS.Timeout;

  constructor(private readonly redis: RedisService) {
    // Registered once, then called by SHA (EVALSHA) instead of shipping the script every time.
    redis.client.defineCommand('gatewayRateLimit', { numberOfKeys: 1, lua: FIXED_WINDOW });
  }

  private get client(): RateLimitClient {
    return this.redis.client as unknown as RateLimitClient;
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (window && window.resetsAt <= now + RATE_LIMIT_SYNC_MS) {
      this.windows.delete(key);
      window = undefined;
    }
    if (window && now - window.syncedAt < RATE_LIMIT_SYNC_MS) {
      window.total++;
      window.pending++;
      this.syncSoon();
      return record(window.total, window.resetsAt - now, limit);
    }
    // Concurrent hits meanwhile are counted locally and sent by the next sync.
    if (window) window.syncedAt = now;
    const sent = 1 + (window?.pending ?? 0);
    if (window) window.pending -= sent - 1;
    try {
      const [hits, pttl] = await this.client.gatewayRateLimit(this.redis.key('ratelimit', key), ttl, sent);
      const at = Date.now();
      const current = this.windows.get(key) ?? { total: 0, pending: 0, resetsAt: 0, syncedAt: at, ttl };
      Object.assign(current, { total: hits + current.pending, resetsAt: at + pttl, syncedAt: at });
      if (this.windows.size >= MAX_WINDOWS) this.windows.clear();
      this.windows.set(key, current);
      return record(hits + current.pending, pttl, limit);
    } catch (error) {
      this.logger.warn(`Rate limit storage unavailable, not throttling: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  private syncSoon(): void {
    this.syncTimer ??= setTimeout(() => void this.sync(), RATE_LIMIT_SYNC_MS).unref();
  }

  /** Sends the pending hits of every key (one pipeline) and takes the shared counts back. */
  private async sync(): Promise<void> {
    this.syncTimer = undefined;
    const now = Date.now();
    const batch: [string, Window, number][] = [];
    for (const [key, window] of this.windows) {
      if (window.resetsAt <= now) this.windows.delete(key);
      else if (window.pending > 0) batch.push([key, window, window.pending]);
    }
    if (batch.length === 0) return;
    const pipeline = this.client.pipeline();
    for (const [key, window, hits] of batch) {
      window.pending -= hits;
      pipeline.gatewayRateLimit(this.redis.key('ratelimit', key), window.ttl, hits);
    }
    try {
      const results = (await pipeline.exec()) as [Error | null, [number, number]][];
      const at = Date.now();
      batch.forEach(([, window], i) => {
        const [error, reply] = results[i];
        if (error) return;
        Object.assign(window, { total: reply[0] + window.pending, resetsAt: at + reply[1], syncedAt: at });
      });
    } catch (error) {
      // Fail open: the hits stay counted here for this window, but are not shared.
      this.logger.warn(`Rate limit storage unavailable, counting locally: ${(error as Error).message}`);
    }
  }
}

function record(hits: number, pttl: number, limit: number): ThrottlerStorageRecord {
  const seconds = Math.max(1, Math.ceil(pttl / 1000));
  return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: seconds };
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

/** Route handlers' auth modes, read once per handler (every request asks once per throttler). */
const authModes = new WeakMap<object, AuthMode>();

function authModeOf(context: ExecutionContext): AuthMode {
  const handler = context.getHandler();
  let mode = authModes.get(handler);
  if (mode === undefined) {
    mode =
      (Reflect.getMetadata(AUTH_MODE, handler) as AuthMode | undefined) ??
      (Reflect.getMetadata(AUTH_MODE, context.getClass()) as AuthMode | undefined) ??
      'key';
    authModes.set(handler, mode);
  }
  return mode;
}

export function skipUnlessBucket(bucket: RateLimitBucket) {
  return (context: ExecutionContext): boolean => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return bucketOf(authModeOf(context), request.url) !== bucket;
  };
}
