/**
 * Paging and list-query helpers. Every dashboard table shows 100 rows per page (CONTRACT §10) and keeps its page
 * and filters in the URL query, so a reload or a shared link shows the same slice.
 */
export const PAGE_SIZE = 100;

export interface PageInfo {
  /** 1-based page number. */
  page: number;
  pageCount: number;
  offset: number;
  limit: number;
  total: number;
  /** 1-based index of the first row shown, 0 when nothing is shown. */
  from: number;
  /** 1-based index of the last row shown, 0 when nothing is shown. */
  to: number;
  hasPrev: boolean;
  hasNext: boolean;
}

export function offsetForPage(page: number, limit = PAGE_SIZE): number {
  return (Math.max(1, Math.floor(page)) - 1) * limit;
}

/** Paging state for `page` of a list whose `total` rows match the current filters. */
export function pageInfo(page: number, total: number, limit = PAGE_SIZE): PageInfo {
  const safePage = Math.max(1, Math.floor(page));
  const offset = offsetForPage(safePage, limit);
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const shown = Math.max(0, Math.min(limit, total - offset));
  return {
    page: safePage,
    pageCount,
    offset,
    limit,
    total,
    from: shown > 0 ? offset + 1 : 0,
    to: shown > 0 ? offset + shown : 0,
    hasPrev: safePage > 1,
    hasNext: offset + limit < total,
  };
}

/** `?page=` value → page number; anything that is not a positive integer means page 1. */
export function parsePage(value: string | null): number {
  if (value === null || !/^\d+$/.test(value)) {
    return 1;
  }
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/** A filter value from the URL, kept only when the API accepts it (unknown values would be a 400). */
export function parseFilter<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** Builds `?a=1&b=2`, skipping undefined and empty values; returns '' when nothing remains. */
export function toQueryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Applies `changes` to an existing query string (undefined removes a key); `page=1` is left implicit. */
export function updateSearch(search: string, changes: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') {
      params.delete(key);
    } else {
      params.set(key, String(value));
    }
  }
  if (params.get('page') === '1') {
    params.delete('page');
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
