// The token bucket on a fake clock: batches go out at the requested rate, debts are paid by waiting.

import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/app/queue/rate-limiter.ts';

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
