import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigurationError } from './config/environment.js';
import { toErrorResponse } from './common/all-exceptions.filter.js';
import { checkRedis } from './common/check-redis.js';
import { createRootLogger, PinoNestLogger } from './common/logger.js';
import { prepareDatabase, StartupError } from './database/prepare-database.js';
import { BODY_LIMIT_BYTES, configureHttp } from './http/configure-http.js';
import { seedTestMerchant } from './merchants/merchants.service.js';
import { resealSecrets } from './merchants/reseal-secrets.js';

/**
 * Boot: validate the environment, make sure PostgreSQL and Redis answer, migrate (under an advisory
 * lock) and seed, then start the role: HTTP + processors (`all`), HTTP only (`api`) or processors only
 * (`worker`, also selected by `--worker`).
 */
async function bootstrap(): Promise<void> {
  const config = new AppConfig();
  const rootLogger = createRootLogger(config.logLevel);
  const nestLogger = new PinoNestLogger(rootLogger);
  Logger.overrideLogger(nestLogger);
  const logger = new Logger('Bootstrap');
  // Node's own warnings (deprecations, ...) go to the JSON log too, not as plain text on stderr.
  process.removeAllListeners('warning');
  process.on('warning', (warning) =>
    rootLogger.warn({ warning: warning.name, code: (warning as { code?: string }).code }, warning.message),
  );
  if (config.usingDevelopmentEncryptionKey) {
    logger.warn(
      'APP_ENCRYPTION_KEY is not set: secrets are encrypted with the built-in DEVELOPMENT key. Never do this in production.',
    );
  }
  await checkRedis(config);
  await prepareDatabase(config, async (dataSource) => {
    const resealed = await resealSecrets(dataSource, config);
    if (resealed > 0)
      logger.log(`Re-encrypted the secrets of ${resealed} merchant(s) under the current APP_ENCRYPTION_KEY`);
    if (!config.isProduction) await seedTestMerchant(dataSource, config);
  });

  const module = AppModule.forRoot(config);
  if (config.runsHttp) {
    const app = await NestFactory.create<NestFastifyApplication>(
      module,
      new FastifyAdapter({
        bodyLimit: BODY_LIMIT_BYTES,
        // Long or odd ids must reach the handlers, which answer 404 for ids that cannot exist.
        routerOptions: { maxParamLength: 2048 },
        // Errors Fastify raises while routing (e.g. an invalid percent-encoding) get the envelope too.
        frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
          const { status, body } = toErrorResponse(error, logger, request);
          void reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
        },
        trustProxy: true,
        requestIdHeader: 'x-request-id',
        genReqId: () => randomUUID(),
        loggerInstance: rootLogger,
        // One 'request completed' line per request is written by configureHttp instead.
        logController: new LogController({ disableRequestLogging: true }),
      }),
      { logger: nestLogger, bodyParser: false },
    );
    // Finish active jobs and in-flight webhooks, then exit 0 (rather than re-raising the signal).
    app.enableShutdownHooks([], { useProcessExit: true });
    await configureHttp(app);
    await app.listen(config.port, '0.0.0.0');
    logger.log(`Payment gateway (role ${config.role}) listening on http://localhost:${config.port}`);
  } else {
    const app = await NestFactory.createApplicationContext(module, { logger: nestLogger });
    // Finish active jobs and in-flight webhooks, then exit 0 (rather than re-raising the signal).
    app.enableShutdownHooks([], { useProcessExit: true });
    await app.init();
    logger.log('Payment gateway worker started (processors, outbox relay and sweepers; no HTTP)');
  }
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof StartupError) {
    console.error(`\nCannot start the payment gateway.\n${error.message}\n`);
  } else {
    console.error('Cannot start the payment gateway:', error);
  }
  process.exit(1);
});
