import type { FastifyRequest } from 'fastify';
import { ApiException } from '../common/api.exception.js';

/**
 * Only public endpoints may be called cross-origin (CONTRACT §1.1): the checkout endpoints, /health
 * and the SDK bundle. Credentialed endpoints send no CORS headers, so browsers refuse them.
 */
const PUBLIC_CORS = [
  /^\/health(\?|$)/,
  /^\/(sdk\/)?checkout\.js(\?|$)/,
  /^\/api\/v1\/orders\/[^/?]+\/public(\?|$)/,
  /^\/api\/v1\/payments\/public(\/[^/?]+)?(\?|$)/,
  /^\/api\/v1\/payments\/[^/?]+\/public(\?|$)/,
];
export const PUBLIC_PREFLIGHT_PATHS = [
  '/health',
  '/api/v1/orders/:id/public',
  '/api/v1/payments/public',
  '/api/v1/payments/public/:id',
  '/api/v1/payments/:id/public',
];

export function isPublicCorsPath(url: string): boolean {
  return PUBLIC_CORS.some((pattern) => pattern.test(url));
}

/** Oversized bodies up to this size are read and discarded before the 413, see `shouldDrainOversizedBody`. */
export const MAX_DRAINED_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Whether a request announcing a body over `limit` should be read to the end (and thrown away) before
 * it is answered 413. Fastify answers as soon as it sees the Content-Length and closes the connection,
 * so a client still uploading gets EPIPE/ECONNRESET instead of the error envelope. Draining costs a
 * little bandwidth; above MAX_DRAINED_BODY_BYTES the connection is simply closed.
 */
export function shouldDrainOversizedBody(contentLength: string | undefined, limit: number): boolean {
  const length = Number(contentLength);
  return Number.isSafeInteger(length) && length > limit && length <= MAX_DRAINED_BODY_BYTES;
}

const MAX_BODY_DEPTH = 64;

/** Nesting depth of a parsed JSON value, without recursion (bodies can be nested thousands deep). */
export function jsonDepth(value: unknown, limit = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** JSON bodies per CONTRACT §2.2: empty means `{}`, anything but an object is a 400. */
export function parseJsonBody(
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
  if (jsonDepth(parsed) > MAX_BODY_DEPTH) {
    return done(ApiException.badRequest(`Request body must not be nested more than ${MAX_BODY_DEPTH} levels deep`));
  }
  done(null, parsed);
}
