import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AllExceptionsFilter, toErrorResponse } from '../common/all-exceptions.filter.js';
import { requestContext } from '../common/logger.js';
import { createValidationPipe } from '../common/validation.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CLIENT_DIST } from '../static/static-files.js';
import { mountAdminQueues } from './admin-queues.js';
import { isPublicCorsPath, parseJsonBody, PUBLIC_PREFLIGHT_PATHS, shouldDrainOversizedBody } from './http-rules.js';
import { setupSwagger } from './swagger.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Levels at which the one 'request completed' line per request is written. */
const LOGGED_LEVELS = new Set(['trace', 'debug', 'info']);

/** Everything HTTP-specific: body parsing, error envelope for Fastify-level errors, cookies, docs. */
export async function configureHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const logger = new Logger('Http');

  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, parseJsonBody);
  fastify.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) request.body = {};
  });
  fastify.addHook('onRequest', async (request) => {
    requestContext.enterWith({ requestId: request.id });
    // Let the client finish uploading, so it reads the 413 envelope rather than a reset connection.
    if (shouldDrainOversizedBody(request.headers['content-length'], BODY_LIMIT_BYTES)) {
      for await (const _chunk of request.raw) void _chunk;
    }
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (!LOGGED_LEVELS.has(request.log.level)) return;
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });
  // X-Request-Id on every response: the client's value if sent (FastifyAdapter requestIdHeader), else generated.
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
    if (isPublicCorsPath(request.url)) void reply.header('Access-Control-Allow-Origin', '*');
  });
  for (const path of PUBLIC_PREFLIGHT_PATHS) {
    fastify.options(path, async (_request, reply) => {
      void reply
        .status(204)
        .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
        .header('Access-Control-Allow-Headers', 'Content-Type, X-Request-Id')
        .header('Access-Control-Max-Age', '86400')
        .send();
    });
  }
  // Errors raised by Fastify before a route runs (body too large, bad JSON) get the same envelope.
  fastify.setErrorHandler((error, request, reply) => {
    const { status, body, headers } = toErrorResponse(error, logger, request);
    void reply.status(status).headers(headers).type('application/json; charset=utf-8').send(JSON.stringify(body));
  });

  // Security headers on every response. The pages set their own CSP and framing rules (only /checkout
  // may be framed), and the SDK bundle must load cross-origin, so those three helmet defaults are off.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: false,
    frameguard: false,
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie as never);
  const assets = join(CLIENT_DIST, 'assets');
  if (existsSync(assets)) {
    // Hashed file names: cache for a year.
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      maxAge: '365d',
      immutable: true,
      decorateReply: false,
    });
  } else {
    logger.warn('client/dist is missing: run `npm run build` to serve the dashboard and checkout pages');
  }
  await mountAdminQueues(app);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);
}
