import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../common/error-envelope.dto.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Payment Gateway API')
    .setDescription(
      'Orders, UPI and card payments, refunds and signed webhooks. Amounts are integer paise. Every error is ' +
        '`{"error":{"code","description"}}`.',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Your api_key' }, 'ApiKey')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Secret', description: 'Your api_secret' }, 'ApiSecret')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'api_key:api_secret (Razorpay SDK style)' }, 'Basic')
    .addCookieAuth(
      'gw_session',
      { type: 'apiKey', in: 'cookie', name: 'gw_session', description: 'Dashboard session' },
      'Session',
    )
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelopeDto] });
}

/** Swagger UI at /api/docs and the OpenAPI 3 JSON at /api/docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'Payment Gateway API',
  });
}
