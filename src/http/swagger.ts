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
  return documentIdempotency(
    combineKeyHeaders(SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelopeDto] })),
  );
}

/** X-Api-Key and X-Api-Secret are needed together: one security requirement, not two alternatives. */
function combineKeyHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.delete, item.patch]) {
      if (!operation?.security) continue;
      const rest = operation.security.filter((r) => !('ApiKey' in r) && !('ApiSecret' in r));
      const hasKey = operation.security.some((r) => 'ApiKey' in r || 'ApiSecret' in r);
      operation.security = hasKey ? [{ ApiKey: [], ApiSecret: [] }, ...rest] : rest;
    }
  }
  return document;
}

const envelope = (code: string, description: string) => ({
  description,
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/ErrorEnvelopeDto' },
      example: { error: { code, description } },
    },
  },
});

/**
 * Every authenticated POST honours Idempotency-Key (the interceptor is global), so its header and
 * its 409/422 responses are added to each such operation here rather than repeated on every route.
 */
function documentIdempotency(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const post = item.post;
    if (!post?.security?.length) continue;
    post.parameters = [
      ...(post.parameters ?? []),
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes the request safe to retry: 1-255 printable ASCII characters, scoped to your account for 24 h. ' +
          'A repeat with the same body replays the first 2xx response with `Idempotent-Replayed: true`.',
        schema: { type: 'string', maxLength: 255 },
      },
      ...(path.includes('/refund')
        ? [
            {
              name: 'X-Refund-Idempotency',
              in: 'header' as const,
              required: false,
              description: 'Razorpay-style alias of Idempotency-Key.',
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    post.responses = {
      ...post.responses,
      '409': envelope(
        'IDEMPOTENCY_KEY_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed (Retry-After: 1)',
      ),
      '422': envelope('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was already used with a different request'),
    };
  }
  return document;
}

/** Swagger UI at /api/docs and the OpenAPI 3 JSON at /api/docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'Payment Gateway API',
  });
}
