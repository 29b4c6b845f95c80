import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTopK } from '../../../src/core/analysis/top-k.ts';

describe('createTopK (Space-Saving)', () => {
  it('counts exactly while under capacity', () => {
    const topK = createTopK(3, (key) => ({ key }));
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b']) topK.hit(key);
    expect(topK.entries().map(({ key, count, error }) => [key, count, error])).toEqual([
      ['a', 3, 0],
      ['b', 2, 0],
      ['c', 1, 0],
    ]);
    expect(topK.evictions).toBe(0);
    expect(topK.total).toBe(6);
    expect(topK.get('a')?.data).toEqual({ key: 'a' });
  });

  it('evicts the smallest and bounds the overcount when full', () => {
    const topK = createTopK(2, () => null);
    for (const key of ['a', 'a', 'a', 'b', 'c']) topK.hit(key);
    expect(topK.size).toBe(2);
    expect(topK.evictions).toBe(1);
    expect(topK.entries().map(({ key, count, error }) => [key, count, error])).toEqual([
      ['a', 3, 0],
      ['c', 2, 1],
    ]);
  });

  it('keeps every heavy hitter, never holds more than capacity keys, and brackets true counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 400 }), fc.integer({ min: 1, max: 10 }), (stream, capacity) => {
        const topK = createTopK(capacity, () => null);
        const truth = new Map<string, number>();
        for (const n of stream) {
          topK.hit(String(n));
          truth.set(String(n), (truth.get(String(n)) ?? 0) + 1);
        }
        expect(topK.size).toBeLessThanOrEqual(capacity);
        for (const entry of topK.entries()) {
          const real = truth.get(entry.key) ?? 0;
          expect(entry.count).toBeGreaterThanOrEqual(real);
          expect(entry.count - entry.error).toBeLessThanOrEqual(real);
        }
        for (const [key, count] of truth) {
          if (count > stream.length / capacity) expect(topK.get(key)).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });
});
