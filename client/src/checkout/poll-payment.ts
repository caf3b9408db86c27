import { ApiError } from '../shared/api';
import { isFinalStatus, type PublicPayment } from './checkout-api';

export const POLL_INTERVAL_MS = 2_000;
export const POLL_TIMEOUT_MS = 5 * 60_000;
/** A stalled request counts as a blip: the next tick asks again instead of waiting forever. */
export const POLL_REQUEST_TIMEOUT_MS = 10_000;

export type PollOutcome =
  | { kind: 'final'; payment: PublicPayment }
  | { kind: 'timeout' }
  | { kind: 'error'; error: unknown }
  | { kind: 'aborted' };

export interface PollOptions {
  signal?: AbortSignal;
  intervalMs?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
  now?: () => number;
}

/**
 * Network failures, timeouts, 5xx, 408 and 429 are worth asking again; any other 4xx (a payment the
 * server does not know) will not get better by polling.
 */
export function isTransientPollError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

/** Asks for the payment every `intervalMs` until it is final, a permanent error occurs or `timeoutMs` passes. */
export async function pollPayment(
  fetchPayment: () => Promise<PublicPayment>,
  options: PollOptions = {},
): Promise<PollOutcome> {
  const {
    signal,
    intervalMs = POLL_INTERVAL_MS,
    timeoutMs = POLL_TIMEOUT_MS,
    requestTimeoutMs = POLL_REQUEST_TIMEOUT_MS,
    now = Date.now,
  } = options;
  const deadline = now() + timeoutMs;
  for (;;) {
    await sleep(intervalMs, signal);
    if (signal?.aborted) return { kind: 'aborted' };
    try {
      const payment = await withTimeout(fetchPayment(), requestTimeoutMs);
      if (signal?.aborted) return { kind: 'aborted' };
      if (isFinalStatus(payment.status)) return { kind: 'final', payment };
    } catch (error) {
      if (signal?.aborted) return { kind: 'aborted' };
      if (!isTransientPollError(error)) return { kind: 'error', error };
    }
    if (now() >= deadline) return { kind: 'timeout' };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

class PollRequestTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PollRequestTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
