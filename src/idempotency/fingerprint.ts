import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so key order and whitespace never matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Hex SHA-256 of method + path (without query) + canonical body; an empty body counts as `{}`. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const path = url.split('?')[0];
  const canonicalBody = canonicalJson(body === undefined || body === null ? {} : body);
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalBody}`).digest('hex');
}

/** 1-255 printable ASCII characters (0x20-0x7E). */
export function isValidIdempotencyKey(key: string): boolean {
  return /^[\x20-\x7E]{1,255}$/.test(key);
}
