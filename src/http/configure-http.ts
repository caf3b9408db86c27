import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { AllExceptionsFilter, toErrorResponse } from '../common/all-exceptions.filter.js';
import { ApiException } from '../common/api.exception.js';
import { createValidationPipe } from '../common/validation.js';
import { setupSwagger } from './swagger.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** JSON bodies per CONTRACT §2.2: empty means `{}`, anything but an object is a 400. */
function parseJsonBody(
  _request: FastifyRequest,
  body: string,
  done: (err: Error | null, body?: unknown) => void,
): void {
  if (body.trim() === '') return done(null, {});
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return done(ApiException.badRequest('Malformed JSON in request body'));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return done(ApiException.badRequest('Request body must be a JSON object'));
  }
  done(null, parsed);
}

/** Everything HTTP-specific: body parsing, error envelope for Fastify-level errors, cookies, docs. */
export async function configureHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const logger = new Logger('Http');

  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, parseJsonBody);
  fastify.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) request.body = {};
  });
  // Errors raised by Fastify before a route runs (body too large, bad JSON) get the same envelope.
  fastify.setErrorHandler((error, request, reply) => {
    const { status, body, headers } = toErrorResponse(error, logger, request);
    void reply.status(status).headers(headers).type('application/json; charset=utf-8').send(JSON.stringify(body));
  });

  await app.register(fastifyCookie as never);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);
}
