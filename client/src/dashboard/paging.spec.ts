import { describe, expect, it } from '@jest/globals';
import { offsetForPage, PAGE_SIZE, pageInfo, parseFilter, parsePage, toQueryString, updateSearch } from './paging';

describe('pageInfo', () => {
  it('should use 100 rows per page', () => {
    expect(PAGE_SIZE).toBe(100);
    expect(offsetForPage(1)).toBe(0);
    expect(offsetForPage(3)).toBe(200);
  });

  it('should disable both directions for a single partial page', () => {
    expect(pageInfo(1, 42)).toEqual({
      page: 1,
      pageCount: 1,
      offset: 0,
      limit: 100,
      total: 42,
      from: 1,
      to: 42,
      hasPrev: false,
      hasNext: false,
    });
  });

  it('should enable next only while rows remain after this page', () => {
    expect(pageInfo(1, 250)).toMatchObject({ from: 1, to: 100, hasPrev: false, hasNext: true, pageCount: 3 });
    expect(pageInfo(2, 250)).toMatchObject({ from: 101, to: 200, hasPrev: true, hasNext: true });
    expect(pageInfo(3, 250)).toMatchObject({ from: 201, to: 250, hasPrev: true, hasNext: false });
  });

  it('should treat an exact multiple of the page size as the last page', () => {
    expect(pageInfo(1, 100)).toMatchObject({ hasNext: false, pageCount: 1, to: 100 });
    expect(pageInfo(2, 200)).toMatchObject({ hasNext: false, from: 101, to: 200 });
  });

  it('should describe an empty list and a page past the end', () => {
    expect(pageInfo(1, 0)).toMatchObject({ from: 0, to: 0, pageCount: 1, hasPrev: false, hasNext: false });
    expect(pageInfo(5, 120)).toMatchObject({ offset: 400, from: 0, to: 0, hasPrev: true, hasNext: false });
  });
});

describe('parsePage', () => {
  it('should accept positive integers only', () => {
    expect(parsePage('3')).toBe(3);
    expect(parsePage(null)).toBe(1);
    expect(parsePage('0')).toBe(1);
    expect(parsePage('-2')).toBe(1);
    expect(parsePage('2.5')).toBe(1);
    expect(parsePage('abc')).toBe(1);
    expect(parsePage('99999999999999999999')).toBe(1);
  });
});

describe('parseFilter', () => {
  it('should keep only values the API accepts', () => {
    const statuses = ['pending', 'processed'] as const;
    expect(parseFilter('processed', statuses)).toBe('processed');
    expect(parseFilter('PROCESSED', statuses)).toBeUndefined();
    expect(parseFilter(null, statuses)).toBeUndefined();
  });
});

describe('toQueryString', () => {
  it('should skip unset values', () => {
    expect(toQueryString({ limit: 100, offset: 0, status: undefined, method: 'upi' })).toBe(
      '?limit=100&offset=0&method=upi',
    );
    expect(toQueryString({ status: undefined, method: '' })).toBe('');
  });
});

describe('updateSearch', () => {
  it('should set, replace and remove keys', () => {
    expect(updateSearch('', { status: 'success' })).toBe('?status=success');
    expect(updateSearch('?status=success&page=3', { status: 'failed', page: undefined })).toBe('?status=failed');
    expect(updateSearch('?status=success', { status: undefined })).toBe('');
  });

  it('should leave page 1 implicit', () => {
    expect(updateSearch('?page=4&method=card', { page: 1 })).toBe('?method=card');
    expect(updateSearch('?method=card', { page: 2 })).toBe('?method=card&page=2');
  });
});
