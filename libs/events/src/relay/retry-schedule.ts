/**
 * When to try a failed webhook delivery again: exponential backoff (30 s × 2^(n-1), at most 4 h)
 * with ±20 % jitter, for at least 24 hours after the first attempt; then the delivery is given up
 * and the subscription marked failing. `scale` shrinks the whole schedule (tests).
 */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_DELAY_MS = 4 * 3600_000;
export const RETRY_WINDOW_MS = 24 * 3600_000;

export function retryDelayMs(attempt: number, scale = 1, random = Math.random): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_DELAY_MS);
  const jitter = 0.8 + random() * 0.4;
  return Math.round(base * jitter * scale);
}

/** True when a delivery first tried at `firstAttemptAt` has been retried long enough. */
export function givesUp(firstAttemptAt: Date, now: Date, scale = 1): boolean {
  return now.getTime() - firstAttemptAt.getTime() >= RETRY_WINDOW_MS * scale;
}
