// A token bucket for replay jobs: `acquire(n)` waits until n more messages may go out at the given
// rate. The wait is cancellable: a cancelled or stopping job gives its turn back instead of sending.
// The clock and sleep are injected, so tests run it on a fake clock and bench measures it.

import type { Sleep } from '../shared/queue-deps.ts';

export interface RateLimiter {
  /**
   * Resolves true when `count` sends are allowed, false as soon as the signal aborts (while
   * queued behind other callers or while waiting): the caller must not send, and the tokens it had
   * taken are given back, so callers still in line are not held for sends that never happen.
   */
  acquire(count: number, signal?: AbortSignal): Promise<boolean>;
}

export interface RateLimiterOptions {
  ratePerSecond: number;
  /** Sends allowed at once after an idle spell (default: one batch of 10, or the rate when lower). */
  burst?: number;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Must return early when its signal aborts (realSleep does). */
  sleep: Sleep;
}

export const unlimited: RateLimiter = { acquire: async (_count, signal) => !signal?.aborted };

export const createRateLimiter = (options: RateLimiterOptions): RateLimiter => {
  const rate = options.ratePerSecond;
  if (!(rate > 0)) throw new RangeError('ratePerSecond must be positive');
  const burst = Math.max(1, options.burst ?? Math.min(10, rate));
  // Start empty: a job's first batch waits its share too, so short jobs hold the rate as well as long ones.
  let tokens = 0;
  let last = options.now();
  // Callers queue in order so concurrent workers share the rate fairly.
  let tail: Promise<unknown> = Promise.resolve();
  const refill = (): void => {
    const now = options.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
    last = now;
  };
  const take = async (count: number, signal?: AbortSignal): Promise<boolean> => {
    if (signal?.aborted) return false;
    refill();
    tokens -= count;
    // Debt is allowed (a batch larger than the bucket); wait until it is paid back.
    if (tokens < 0) await options.sleep((-tokens / rate) * 1000, signal);
    if (!signal?.aborted) return true;
    // Cut short: what was not sent is given back (refill first, so the wait so far is not counted twice).
    refill();
    tokens = Math.min(burst, tokens + count);
    return false;
  };
  return {
    acquire: (count, signal) => {
      const turn = tail.then(() => take(count, signal));
      tail = turn.catch(() => undefined);
      return turn;
    },
  };
};
