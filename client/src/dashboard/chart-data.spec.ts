import { describe, expect, it } from '@jest/globals';
import { bucketPaymentsByDay, chartWindowStart, needsAnotherPage, niceScale } from './chart-data';

const NOW = new Date('2024-01-15T10:31:00.000Z');

describe('chartWindowStart', () => {
  it('should start at UTC midnight 13 days before today', () => {
    expect(chartWindowStart(NOW).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(chartWindowStart(new Date('2024-03-01T23:59:59.999Z')).toISOString()).toBe('2024-02-17T00:00:00.000Z');
  });
});

describe('bucketPaymentsByDay', () => {
  it('should return 14 empty UTC days, oldest first, without payments', () => {
    const sut = bucketPaymentsByDay([], NOW);
    expect(sut).toHaveLength(14);
    expect(sut[0]).toEqual({
      day: '2024-01-02',
      count: 0,
      successCount: 0,
      failedCount: 0,
      successAmount: 0,
      successRate: null,
    });
    expect(sut[13]?.day).toBe('2024-01-15');
  });

  it('should bucket by the UTC day of created_at and compute the stats formula per day', () => {
    const sut = bucketPaymentsByDay(
      [
        { amount: 50000, status: 'success', created_at: '2024-01-15T09:00:00.000Z' },
        { amount: 20000, status: 'failed', created_at: '2024-01-15T00:00:00.000Z' },
        { amount: 10000, status: 'pending', created_at: '2024-01-15T10:30:00.000Z' },
        { amount: 30000, status: 'success', created_at: '2024-01-14T23:59:59.999Z' },
        { amount: 100, status: 'processing', created_at: '2024-01-02T00:00:00.000Z' },
      ],
      NOW,
    );
    expect(sut[13]).toEqual({
      day: '2024-01-15',
      count: 3,
      successCount: 1,
      failedCount: 1,
      successAmount: 50000,
      successRate: 33,
    });
    expect(sut[12]).toMatchObject({ day: '2024-01-14', count: 1, successAmount: 30000, successRate: 100 });
    expect(sut[0]).toMatchObject({ day: '2024-01-02', count: 1, successCount: 0, successRate: 0 });
  });

  it('should ignore payments before the window, after now and with bad timestamps', () => {
    const sut = bucketPaymentsByDay(
      [
        { amount: 100, status: 'success', created_at: '2024-01-01T23:59:59.999Z' },
        { amount: 100, status: 'success', created_at: '2024-01-16T00:00:00.000Z' },
        { amount: 100, status: 'success', created_at: 'not a date' },
      ],
      NOW,
    );
    expect(sut.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(0);
  });

  it('should support another window length', () => {
    expect(bucketPaymentsByDay([], NOW, 7).map((bucket) => bucket.day)).toEqual([
      '2024-01-09',
      '2024-01-10',
      '2024-01-11',
      '2024-01-12',
      '2024-01-13',
      '2024-01-14',
      '2024-01-15',
    ]);
  });
});

describe('needsAnotherPage', () => {
  const start = chartWindowStart(NOW);
  const inside = { created_at: '2024-01-05T00:00:00.000Z' };
  const before = { created_at: '2023-12-31T00:00:00.000Z' };

  it('should continue while the oldest row is still in the window and rows remain', () => {
    expect(needsAnotherPage([inside, inside], 100, 250, start)).toBe(true);
  });

  it('should stop once a row is older than the window', () => {
    expect(needsAnotherPage([inside, before], 100, 250, start)).toBe(false);
  });

  it('should stop when everything was fetched or the page was empty', () => {
    expect(needsAnotherPage([inside], 250, 250, start)).toBe(false);
    expect(needsAnotherPage([], 100, 250, start)).toBe(false);
  });
});

describe('niceScale', () => {
  it('should cover the value with round steps', () => {
    expect(niceScale(0)).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
    expect(niceScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(37)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceScale(12345.67)).toEqual({ max: 20000, ticks: [0, 5000, 10000, 15000, 20000] });
  });

  it('should never produce a maximum below the value', () => {
    for (const value of [1, 3, 9, 11, 99, 101, 999, 1001, 45678]) {
      expect(niceScale(value).max).toBeGreaterThanOrEqual(value);
    }
  });
});
