import { ApiException } from './api.exception.js';

export interface Page {
  limit: number;
  offset: number;
}

export interface ListResponse<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

type RawQuery = Record<string, string | string[] | undefined>;

function single(query: RawQuery, names: string[]): string | undefined | null {
  for (const name of names) {
    const value = query[name];
    if (value === undefined) continue;
    return Array.isArray(value) ? null : value;
  }
  return undefined;
}

/**
 * `limit` (1-100, default 10) and `offset` (≥ 0, default 0), with Razorpay's `count`/`skip` aliases
 * (CONTRACT §2.4, §5.5a). Anything else is a 400 naming the parameter.
 */
export function parsePage(query: RawQuery): Page {
  const limit = single(query, ['limit', 'count']);
  const offset = single(query, ['offset', 'skip']);
  const page: Page = { limit: 10, offset: 0 };
  if (limit !== undefined) {
    if (limit === null || !/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 100) {
      throw ApiException.badRequest('limit must be an integer between 1 and 100');
    }
    page.limit = Number(limit);
  }
  if (offset !== undefined) {
    if (offset === null || !/^\d{1,10}$/.test(offset) || Number(offset) > 2_147_483_647) {
      throw ApiException.badRequest('offset must be a non-negative integer');
    }
    page.offset = Number(offset);
  }
  return page;
}

/** An optional filter whose value must be one of `allowed`. */
export function parseFilter<T extends string>(query: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const value = single(query, [name]);
  if (value === undefined) return undefined;
  if (value === null || !(allowed as readonly string[]).includes(value)) {
    throw ApiException.badRequest(`${name} must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}
