import type { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/** The request a log line belongs to, for lines written outside Fastify's request logger. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Never logged: credentials, session cookies, signatures, secrets and card fields, wherever they
 * appear in a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-secret"]',
  'req.headers["x-webhook-signature"]',
  'req.headers["webhook-signature"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.password_hash',
  '*.api_secret',
  '*.apiSecret',
  '*.webhook_secret',
  '*.webhookSecret',
  '*.secret',
  '*.signature',
  '*.card',
  '*.card_number',
  '*.card_cvv',
  '*.cvv',
  '*.number',
];

export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'payment-gateway' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

function render(message: unknown): { msg: string; extra?: Record<string, unknown> } {
  if (message instanceof Error) return { msg: message.message, extra: { err: message } };
  if (typeof message === 'object' && message !== null) return { msg: '', extra: message as Record<string, unknown> };
  return { msg: String(message) };
}

/** Nest's LoggerService on pino: structured JSON with the context and the current request id. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(
    level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    context?: string,
    stack?: string,
  ): void {
    const { msg, extra } = render(message);
    const requestId = requestContext.getStore()?.requestId;
    this.logger[level]({ ...extra, context, ...(requestId && { reqId: requestId }), ...(stack && { stack }) }, msg);
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    if (context === undefined) this.write('error', message, stackOrContext);
    else this.write('error', message, context, stackOrContext);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }
}
