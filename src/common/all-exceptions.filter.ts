import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException, type ErrorCode, type ErrorEnvelope } from './api.exception.js';
import { isDependencyUnavailable, isUnstorableText } from './error-classification.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST_ERROR',
  401: 'AUTHENTICATION_ERROR',
  404: 'NOT_FOUND_ERROR',
  409: 'CONFLICT_ERROR',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Turns any thrown value into the contract's status, headers and `{"error":{...}}` envelope. */
export function toErrorResponse(
  exception: unknown,
  logger: Logger,
  request?: { method?: string; url?: string },
): { status: number; body: ErrorEnvelope; headers: Record<string, string> } {
  if (exception instanceof ApiException) {
    return {
      status: exception.getStatus(),
      body: exception.getResponse() as ErrorEnvelope,
      headers: exception.headers,
    };
  }
  // The Fastify adapter wraps Fastify's own 4xx errors in an HttpException; the original is the cause.
  const fastifyError = (
    exception instanceof HttpException && isFastifyError(exception.cause) ? exception.cause : exception
  ) as { statusCode?: number; code?: string; message?: string };
  if (fastifyError?.code === 'FST_ERR_BAD_URL' || fastifyError?.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // The router could not even decode the id: it is simply not found (CONTRACT §2.2).
    return envelope(404, 'NOT_FOUND_ERROR', notFoundDescription(request?.url ?? ''));
  }
  if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fastifyError?.statusCode === 413) {
    return envelope(413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds the 1 MB limit');
  }
  if (exception instanceof HttpException && fastifyError === exception) {
    const status = exception.getStatus();
    if (status === 404) return envelope(404, 'NOT_FOUND_ERROR', 'Route not found');
    if (status === 405) return envelope(404, 'NOT_FOUND_ERROR', 'Route not found');
    const code = CODE_BY_STATUS[status];
    if (code) return envelope(status, code, exception.message);
    if (status < 500) return envelope(400, 'BAD_REQUEST_ERROR', exception.message);
  } else if (fastifyError?.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Errors raised by Fastify itself before routing (bad headers, unsupported media type, ...).
    const status = fastifyError.statusCode === 404 ? 404 : 400;
    return envelope(status, CODE_BY_STATUS[status], status === 404 ? 'Route not found' : 'Malformed request');
  }
  if (isUnstorableText(exception)) {
    return envelope(
      400,
      'BAD_REQUEST_ERROR',
      'Request body contains characters that cannot be stored (NUL or unpaired surrogates)',
    );
  }
  if (isDependencyUnavailable(exception)) {
    logger.warn(`Dependency unavailable during ${request?.method} ${request?.url}: ${(exception as Error).message}`);
    return envelope(503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable, please retry');
  }
  logger.error(
    `Unhandled error during ${request?.method} ${request?.url}`,
    exception instanceof Error ? exception.stack : String(exception),
  );
  return envelope(500, 'INTERNAL_ERROR', 'Internal server error');
}

function isFastifyError(value: unknown): boolean {
  const code = (value as { code?: unknown } | undefined)?.code;
  return value instanceof Error && typeof code === 'string' && code.startsWith('FST_');
}

const RESOURCE_NOT_FOUND: [RegExp, string][] = [
  [/^\/api\/v1\/orders\/[^/]+/, 'Order not found'],
  [/^\/api\/v1\/payments\/[^/]+/, 'Payment not found'],
  [/^\/api\/v1\/refunds\/[^/]+/, 'Refund not found'],
  [/^\/api\/v1\/webhooks\/[^/]+/, 'Webhook log not found'],
];

/** The resource's own 404 description for a path whose id could not be decoded. */
export function notFoundDescription(url: string): string {
  return RESOURCE_NOT_FOUND.find(([pattern]) => pattern.test(url))?.[1] ?? 'Route not found';
}

function envelope(status: number, code: ErrorCode, description: string) {
  return { status, body: { error: { code, description } }, headers: {} as Record<string, string> };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body, headers } = toErrorResponse(exception, this.logger, request);
    void reply
      .status(status)
      .headers(headers)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(body));
  }
}
