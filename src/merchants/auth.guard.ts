import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../common/api.exception.js';
import { AUTH_MODE, type AuthenticatedRequest, type AuthMode } from '../common/auth.decorators.js';
import type { Merchant } from './merchant.entity.js';
import { MerchantsService } from './merchants.service.js';
import { SESSION_COOKIE, SessionsService } from './sessions.service.js';

type Request = FastifyRequest & AuthenticatedRequest & { cookies?: Record<string, string | undefined> };

/** Parses `Authorization: Basic base64(key:secret)`; null when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { key: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return null;
  return { key: decoded.slice(0, separator), secret: decoded.slice(separator + 1) };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Same host:port as the Host header (CSRF rule of CONTRACT §2.1). */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Global guard implementing CONTRACT §2.1: API key headers decide alone if either is present, else
 * HTTP Basic alone, else (where allowed) the session cookie. Every failure is the same 401.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly merchants: MerchantsService,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mode =
      this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]) ??
      'key';
    if (mode === 'public') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (mode === 'session-optional') {
      const token = request.cookies?.[SESSION_COOKIE];
      if (token) request.merchant = (await this.sessions.resolve(token)) ?? undefined;
      return true;
    }
    const merchant = await this.resolve(request, mode === 'key-or-session');
    if (!merchant) throw ApiException.unauthorized();
    request.merchant = merchant;
    return true;
  }

  private async resolve(request: Request, allowSession: boolean): Promise<Merchant | null> {
    const apiKey = header(request, 'x-api-key');
    const apiSecret = header(request, 'x-api-secret');
    if (apiKey !== undefined || apiSecret !== undefined) {
      if (!apiKey || !apiSecret) return null;
      request.authVia = 'key';
      return this.merchants.authenticate(apiKey, apiSecret);
    }
    const authorization = header(request, 'authorization');
    if (authorization !== undefined) {
      const basic = parseBasicAuth(authorization);
      if (!basic) return null;
      request.authVia = 'key';
      return this.merchants.authenticate(basic.key, basic.secret);
    }
    const token = request.cookies?.[SESSION_COOKIE];
    if (!allowSession || !token) return null;
    const origin = header(request, 'origin');
    if (
      (request.method === 'POST' || request.method === 'PUT') &&
      origin &&
      !isSameOrigin(origin, header(request, 'host'))
    ) {
      return null;
    }
    request.authVia = 'session';
    return this.sessions.resolve(token);
  }
}
