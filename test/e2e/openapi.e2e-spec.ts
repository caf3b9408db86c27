import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { api } from '../support/api.js';
import { ROOT } from '../support/gateway.mjs';

// Generous under load: the gateway runs as a separate process, with real PostgreSQL and Redis.
jest.setTimeout(30_000);

interface SecurityScheme {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
}

interface Operation {
  security?: Record<string, string[]>[];
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, SecurityScheme> };
}

/** Every endpoint implemented so far (CONTRACT §5.1–§5.4, §5.7). */
const ROUTES: [string, string][] = [
  ['get', '/health'],
  ['post', '/api/v1/auth/signup'],
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/logout'],
  ['get', '/api/v1/merchants/me'],
  ['get', '/api/v1/merchants/me/credentials'],
  ['post', '/api/v1/merchants/me/regenerate-keys'],
  ['post', '/api/v1/orders'],
  ['get', '/api/v1/orders'],
  ['get', '/api/v1/orders/{}'],
  ['get', '/api/v1/orders/{}/public'],
  ['post', '/api/v1/payments'],
  ['get', '/api/v1/payments'],
  ['get', '/api/v1/payments/stats'],
  ['get', '/api/v1/payments/{}'],
  ['post', '/api/v1/payments/public'],
  ['get', '/api/v1/payments/{}/public'],
  ['get', '/api/v1/payments/public/{}'],
  ['get', '/api/v1/test/merchant'],
  ['get', '/api/v1/test/jobs/status'],
];

/**
 * Runs `SwaggerParser.validate` in a plain Node process: the parser is CommonJS requiring an ESM-only
 * dependency, which Node loads natively but Jest's module runtime cannot.
 */
async function validateOpenApi(doc: unknown): Promise<{ ok: boolean; error?: string }> {
  const script = `
    import SwaggerParser from '@apidevtools/swagger-parser';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    try {
      await SwaggerParser.validate(structuredClone(JSON.parse(input)));
      process.stdout.write(JSON.stringify({ ok: true }));
    } catch (error) {
      process.stdout.write(JSON.stringify({ ok: false, error: error.message }));
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdin.end(JSON.stringify(doc));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0 || !output) {
    throw new Error(`swagger-parser process failed (${code}): ${errors}`);
  }
  return JSON.parse(output) as { ok: boolean; error?: string };
}

/** Follows a local `$ref` (`#/components/schemas/X`). */
function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  if (!ref) {
    return schema?.allOf ? Object.assign({}, ...schema.allOf.map((part) => resolve(doc, part))) : schema;
  }
  let target: unknown = doc;
  for (const segment of ref.replace(/^#\//, '').split('/')) {
    target = (target as Record<string, unknown> | undefined)?.[segment];
  }
  return resolve(doc, target as Schema | undefined);
}

/** `/api/v1/orders/{order_id}` → `/api/v1/orders/{}`, so parameter names do not matter. */
function normalize(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}

function findScheme(
  schemes: Record<string, SecurityScheme>,
  predicate: (scheme: SecurityScheme) => boolean,
): string | undefined {
  return Object.entries(schemes).find(([, scheme]) => predicate(scheme))?.[0];
}

describe('OpenAPI documentation', () => {
  let doc: OpenApiDocument;

  beforeAll(async () => {
    const response = await api().get('/api/docs-json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    doc = response.body as OpenApiDocument;
  });

  it('should serve the Swagger UI as HTML', async () => {
    const response = await api().get('/api/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toMatch(/swagger/i);
  });

  it('should serve a valid OpenAPI 3 document', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(await validateOpenApi(doc)).toEqual({ ok: true });
  });

  it('should declare the API key headers, HTTP Basic and the session cookie as security schemes', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    const apiKey = (name: string) => (s: SecurityScheme) =>
      s.type === 'apiKey' && s.in === 'header' && s.name?.toLowerCase() === name.toLowerCase();
    expect(findScheme(schemes, apiKey('X-Api-Key'))).toBeDefined();
    expect(findScheme(schemes, apiKey('X-Api-Secret'))).toBeDefined();
    expect(findScheme(schemes, (s) => s.type === 'http' && s.scheme?.toLowerCase() === 'basic')).toBeDefined();
    expect(
      findScheme(schemes, (s) => s.type === 'apiKey' && s.in === 'cookie' && s.name === 'gw_session'),
    ).toBeDefined();
  });

  it.each(ROUTES)('should document %s %s', (method, path) => {
    const documented = Object.entries(doc.paths)
      .filter(([documentedPath]) => normalize(documentedPath) === path)
      .flatMap(([, operations]) => Object.keys(operations));
    expect(documented).toContain(method);
  });

  it('should document the error envelope for the 400 of create-order', () => {
    const operation = doc.paths['/api/v1/orders']?.post;
    const schema = resolve(doc, operation?.responses?.['400']?.content?.['application/json']?.schema);
    expect(schema).toBeDefined();
    const error = resolve(doc, schema?.properties?.error);
    expect(error).toBeDefined();
    expect(Object.keys(error?.properties ?? {})).toEqual(expect.arrayContaining(['code', 'description']));
    expect(schema?.required ?? []).toContain('error');
  });

  it('should document API credentials but not the session on the [K] endpoints', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    const session = findScheme(schemes, (s) => s.in === 'cookie');
    const basic = findScheme(schemes, (s) => s.type === 'http' && s.scheme?.toLowerCase() === 'basic');
    for (const path of ['/api/v1/orders', '/api/v1/payments']) {
      const security = doc.paths[path].post.security ?? [];
      expect(security.length).toBeGreaterThan(0);
      expect(security.some((requirement) => Object.keys(requirement).includes(session!))).toBe(false);
      expect(security.some((requirement) => Object.keys(requirement).includes(basic!))).toBe(true);
    }
  });

  it('should require X-Api-Key and X-Api-Secret together in one security requirement', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    const keyHeaders = [
      findScheme(schemes, (s) => s.in === 'header' && s.name?.toLowerCase() === 'x-api-key'),
      findScheme(schemes, (s) => s.in === 'header' && s.name?.toLowerCase() === 'x-api-secret'),
    ];
    // Requirement objects in the array are alternatives; both headers are needed at once (CONTRACT §2.1),
    // so one object must name both, and neither may stand alone.
    for (const [method, path] of [
      ['post', '/api/v1/orders'],
      ['get', '/api/v1/orders'],
      ['post', '/api/v1/payments'],
      ['get', '/api/v1/merchants/me'],
    ]) {
      const security = doc.paths[path][method].security ?? [];
      expect(security).toContainEqual(expect.objectContaining({ [keyHeaders[0]!]: [], [keyHeaders[1]!]: [] }));
      expect(security.filter((requirement) => Object.keys(requirement).length === 1)).not.toContainEqual(
        expect.objectContaining({ [keyHeaders[0]!]: [] }),
      );
    }
  });

  it('should document the session as accepted on the [K S] endpoints', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    const session = findScheme(schemes, (s) => s.in === 'cookie');
    for (const [method, path] of [
      ['get', '/api/v1/orders'],
      ['get', '/api/v1/payments'],
      ['get', '/api/v1/payments/stats'],
      ['get', '/api/v1/merchants/me'],
    ]) {
      const security = doc.paths[path][method].security ?? [];
      expect(security.some((requirement) => Object.keys(requirement).includes(session!))).toBe(true);
    }
  });
});
