// The token bucket on a fake clock: batches go out at the requested rate, debts are paid by waiting.

import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/app/jobs/rate-limiter.ts';

const fakeTime = () => {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now };
};

describe('createRateLimiter', () => {
  it.each([10, 50, 200, 500])('holds %i messages a second over 1,000 messages in batches of 10', async (rate) => {
    const time = fakeTime();
    const limiter = createRateLimiter({ ratePerSecond: rate, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 100; i += 1) await limiter.acquire(10);
    expect((1000 / time.elapsed()) * 1000).toBeCloseTo(rate, 5);
  });

  it('serves concurrent callers in turn without exceeding the rate', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter({ ratePerSecond: 100, now: time.now, sleep: time.sleep });
    await Promise.all(Array.from({ length: 20 }, () => limiter.acquire(10)));
    expect(time.elapsed()).toBe(2000);
  });

  it('rejects a non-positive rate', () => {
    expect(() => createRateLimiter({ ratePerSecond: 0, now: () => 0, sleep: async () => {} })).toThrow(RangeError);
  });
});

describe('createRateLimiter when the wait is cancelled', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  /** A fake clock whose sleep returns early when its signal aborts, like realSleep. */
  const abortableTime = () => {
    let now = 0;
    const sleepers: { until: number; resolve: () => void }[] = [];
    return {
      now: () => now,
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          if (signal?.aborted) return resolve();
          sleepers.push({ until: now + ms, resolve });
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
      advance: (ms: number) => {
        now += ms;
        for (const s of sleepers.filter((x) => x.until <= now)) s.resolve();
      },
    };
  };

  it('answers false at once for the waiting caller and every caller queued behind it; nothing is allowed after the abort', async () => {
    const time = abortableTime();
    const limiter = createRateLimiter({ ratePerSecond: 1, now: time.now, sleep: time.sleep });
    const cancel = new AbortController();
    const turns = Array.from({ length: 4 }, () => limiter.acquire(10, cancel.signal));
    await settle();
    time.advance(3_000);
    await settle();
    cancel.abort();
    expect(await Promise.all(turns)).toEqual([false, false, false, false]);
    expect(await limiter.acquire(10, cancel.signal)).toBe(false);
  });

  it('gives back the tokens of a cancelled wait, so the next job run is not held for sends that never happened', async () => {
    const time = abortableTime();
    const limiter = createRateLimiter({ ratePerSecond: 10, now: time.now, sleep: time.sleep });
    const cancel = new AbortController();
    const waiting = limiter.acquire(10, cancel.signal);
    await settle();
    time.advance(400);
    cancel.abort();
    expect(await waiting).toBe(false);
    // 400 ms at 10/s earned 4 tokens: 6 more need 600 ms, not the 1.6 s a kept debt would cost.
    let allowed = false;
    const next = limiter.acquire(10).then((ok) => (allowed = ok));
    await settle();
    time.advance(599);
    await settle();
    expect(allowed).toBe(false);
    time.advance(1);
    await next;
    expect(allowed).toBe(true);
  });
});
