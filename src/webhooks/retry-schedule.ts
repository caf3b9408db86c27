/** Delay before attempt n (index n-1), CONTRACT §7.4. */
const DEFAULT_DELAYS_MS = [0, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
const TEST_DELAYS_MS = [0, 5_000, 10_000, 15_000, 20_000];

export const MAX_ATTEMPTS = 5;

/** Delay to wait after failed attempt `attemptsSoFar` (1-4) before the next; null after the last. */
export function delayBeforeNextAttempt(attemptsSoFar: number, testIntervals: boolean): number | null {
  if (attemptsSoFar >= MAX_ATTEMPTS) return null;
  return (testIntervals ? TEST_DELAYS_MS : DEFAULT_DELAYS_MS)[attemptsSoFar];
}
