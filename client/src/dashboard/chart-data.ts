/**
 * Data for the overview chart: payments of the last 14 UTC days, bucketed by the UTC day of `created_at`.
 * The API has no aggregate for this, so the page walks `GET /payments` (newest first) until it passes the window.
 */
export const CHART_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ChartPayment {
  amount: number;
  status: string;
  created_at: string;
}

export interface DayBucket {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  count: number;
  successCount: number;
  failedCount: number;
  /** Sum of successful payments in paise, like `total_amount` of `/payments/stats`. */
  successAmount: number;
  /** `round(100 × success / count)` as in `/payments/stats`; null on a day without payments. */
  successRate: number | null;
}

/** UTC midnight that starts the window: today counts as the last of the `days` days. */
export function chartWindowStart(now: Date, days = CHART_DAYS): Date {
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(todayStart - (days - 1) * DAY_MS);
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** One bucket per UTC day of the window, oldest first; payments outside the window are ignored. */
export function bucketPaymentsByDay(payments: readonly ChartPayment[], now: Date, days = CHART_DAYS): DayBucket[] {
  const start = chartWindowStart(now, days).getTime();
  const buckets: DayBucket[] = Array.from({ length: days }, (_, index) => ({
    day: utcDay(start + index * DAY_MS),
    count: 0,
    successCount: 0,
    failedCount: 0,
    successAmount: 0,
    successRate: null,
  }));
  for (const payment of payments) {
    const time = Date.parse(payment.created_at);
    if (Number.isNaN(time) || time < start) {
      continue;
    }
    const bucket = buckets[Math.floor((time - start) / DAY_MS)];
    if (!bucket) {
      continue;
    }
    bucket.count += 1;
    if (payment.status === 'success') {
      bucket.successCount += 1;
      bucket.successAmount += payment.amount;
    } else if (payment.status === 'failed') {
      bucket.failedCount += 1;
    }
  }
  for (const bucket of buckets) {
    bucket.successRate = bucket.count > 0 ? Math.round((100 * bucket.successCount) / bucket.count) : null;
  }
  return buckets;
}

/**
 * Whether one more page of payments is needed: the last page was full, rows remain, and its oldest row is still
 * inside the window (lists are newest first, so an older row means everything after it is older too).
 */
export function needsAnotherPage(
  lastPage: readonly Pick<ChartPayment, 'created_at'>[],
  fetched: number,
  total: number,
  windowStart: Date,
): boolean {
  const oldest = lastPage[lastPage.length - 1];
  if (!oldest || fetched >= total) {
    return false;
  }
  return Date.parse(oldest.created_at) >= windowStart.getTime();
}

export interface Scale {
  max: number;
  ticks: number[];
}

/** A y-axis with `tickCount` equal steps of 1, 2 or 5 × 10^n covering `value` (at least 0..tickCount). */
export function niceScale(value: number, tickCount = 4): Scale {
  const rawStep = Math.max(value, 1) / tickCount;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rawStep) ?? rawStep;
  const niceStep = Math.max(1, step);
  return { max: niceStep * tickCount, ticks: Array.from({ length: tickCount + 1 }, (_, index) => index * niceStep) };
}
