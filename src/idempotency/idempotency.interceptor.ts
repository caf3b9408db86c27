import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  Logger,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, type Observable, of, switchMap, throwError } from 'rxjs';
import { ApiException } from '../common/api.exception.js';
import { AUTH_MODE, type AuthenticatedRequest, type AuthMode } from '../common/auth.decorators.js';
import { isValidIdempotencyKey, requestFingerprint } from './fingerprint.js';
import { IdempotencyStore } from './idempotency.store.js';

const ALTERNATE_HEADER = 'gateway:idempotency-alternate-header';

/** Also accept this header as the Idempotency-Key (X-Refund-Idempotency on refunds, CONTRACT §5.5a). */
export const AlsoIdempotencyHeader = (header: string) => SetMetadata(ALTERNATE_HEADER, header.toLowerCase());

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Applies CONTRACT §2.5 to every authenticated POST. Runs after the auth guard (a 401 never touches
 * the key) and before validation pipes; stores 2xx responses byte for byte and replays them.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
  ) {}

  /**
   * The business change is committed by now: if storing the response fails we still answer 2xx (the
   * claim then expires after 60 s) rather than turn a success into an error the client would retry.
   */
  private async complete(merchantId: string, key: string, statusCode: number, value: unknown): Promise<unknown> {
    try {
      await this.store.complete(merchantId, key, statusCode, JSON.stringify(value));
    } catch (error) {
      this.logger.error(`Could not store the response for an idempotency key: ${(error as Error).message}`);
    }
    return value;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const mode =
      this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]) ??
      'key';
    const merchant = request.merchant;
    if (request.method !== 'POST' || (mode !== 'key' && mode !== 'key-or-session') || !merchant) return next.handle();

    const alternate = this.reflector.get<string | undefined>(ALTERNATE_HEADER, context.getHandler());
    const key = header(request, 'idempotency-key') || (alternate ? header(request, alternate) : undefined);
    if (!key) return next.handle();
    if (!isValidIdempotencyKey(key)) {
      return throwError(() => ApiException.badRequest('Idempotency-Key must be 1-255 printable ASCII characters'));
    }

    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return from(this.store.claim(merchant.id, key, fingerprint)).pipe(
      switchMap((claim) => {
        switch (claim.outcome) {
          case 'mismatch':
            throw new ApiException(
              422,
              'IDEMPOTENCY_KEY_REUSED',
              'Idempotency-Key was already used with a different request',
            );
          case 'in_progress':
            throw new ApiException(
              409,
              'IDEMPOTENCY_KEY_IN_PROGRESS',
              'A request with this Idempotency-Key is still being processed',
              { 'Retry-After': '1' },
            );
          case 'replay':
            void reply.header('Idempotent-Replayed', 'true');
            // JSON.stringify(JSON.parse(stored)) === stored, so the replayed bytes are the stored bytes.
            return of(JSON.parse(claim.body) as unknown);
          case 'claimed':
            return next.handle().pipe(
              switchMap((value) => from(this.complete(merchant.id, key, successStatus, value))),
              catchError((error: unknown) =>
                from(this.store.release(merchant.id, key).catch(() => undefined)).pipe(
                  switchMap(() => throwError(() => error)),
                ),
              ),
            );
        }
      }),
    );
  }
}
