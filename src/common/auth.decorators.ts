import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBasicAuth, ApiCookieAuth, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Merchant } from '../merchants/merchant.entity.js';
import { ErrorEnvelopeDto } from './error-envelope.dto.js';

/** How a route may be called: CONTRACT §5 tags [K], [K S], [P] and the session-only logout. */
export type AuthMode = 'key' | 'key-or-session' | 'public' | 'session-optional';
export const AUTH_MODE = 'gateway:auth-mode';

export interface AuthenticatedRequest {
  merchant?: Merchant;
  authVia?: 'key' | 'session';
}

const unauthorized = ApiUnauthorizedResponse({
  description: 'Missing, malformed or wrong credentials',
  type: ErrorEnvelopeDto,
  example: { error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' } },
});

/** [K]: X-Api-Key/X-Api-Secret or HTTP Basic. The default for every route without another mode. */
export const ApiKeyAuth = () =>
  applyDecorators(
    SetMetadata(AUTH_MODE, 'key'),
    ApiSecurity({ ApiKey: [], ApiSecret: [] }),
    ApiBasicAuth('Basic'),
    unauthorized,
  );

/** [K S]: API credentials or the dashboard session cookie. */
export const ApiKeyOrSessionAuth = () =>
  applyDecorators(
    SetMetadata(AUTH_MODE, 'key-or-session'),
    // Both headers together form one requirement (CONTRACT §2.1).
    ApiSecurity({ ApiKey: [], ApiSecret: [] }),
    ApiBasicAuth('Basic'),
    ApiCookieAuth('Session'),
    unauthorized,
  );

/** [P]: no credentials. */
export const Public = () => SetMetadata(AUTH_MODE, 'public');

/** Resolves the session if there is one but never rejects (logout). */
export const OptionalSession = () =>
  applyDecorators(SetMetadata(AUTH_MODE, 'session-optional'), ApiCookieAuth('Session'));

/** The merchant resolved by the AuthGuard. */
export const CurrentMerchant = createParamDecorator((_data: unknown, context: ExecutionContext): Merchant => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().merchant as Merchant;
});
