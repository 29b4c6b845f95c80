// Store contract, monitors part: a `/dlq monitor` kept in the store so the poller's replica runs it
// and a restart carries it on. One per queue (a second add changes nothing, even when two replicas
// race), every field read back, readings recorded, and a removed monitor gone for every caller.

import { describe, expect, it } from 'vitest';
import type { StoredMonitor } from '../../../src/core/model.ts';
import { at, concurrently, T0, unique, type StoreRef } from './store-fixtures.ts';

const monitor = (queue: string, overrides: Partial<StoredMonitor> = {}): StoredMonitor => ({
  queue,
  intervalSeconds: 60,
  channel: 'C_ALERTS',
  threadTs: '1700000000.000100',
  startedBy: 'U_ALICE',
  startedAt: T0,
  lastReadingAt: T0,
  ...overrides,
});

export const describeMonitorContract = (store: StoreRef): void => {
  describe('monitors', () => {
    it('keeps one monitor per queue with every field, records readings, and removes it', async () => {
      const queue = unique('q');
      const first = monitor(queue);
      expect(await store().addMonitor(first)).toBe(true);
      expect(await store().addMonitor(monitor(queue, { intervalSeconds: 5, startedBy: 'U_BOB' }))).toBe(false);
      expect(await store().getMonitor(queue)).toEqual(first);
      const bare = monitor(unique('q'), { channel: null, threadTs: null, lastReadingAt: null });
      expect(await store().addMonitor(bare)).toBe(true);
      expect(await store().getMonitor(bare.queue)).toEqual(bare);
      const listed = await store().listMonitors();
      expect(listed.filter((m) => m.queue === queue || m.queue === bare.queue)).toEqual([first, bare].sort((x, y) => (x.queue < y.queue ? -1 : 1)));

      expect(await store().noteMonitorReading(queue, at(60_000))).toBe(true);
      expect((await store().getMonitor(queue))?.lastReadingAt).toEqual(at(60_000));
      expect(await store().removeMonitor(queue)).toBe(true);
      expect(await store().removeMonitor(queue)).toBe(false);
      expect(await store().getMonitor(queue)).toBeNull();
      expect(await store().noteMonitorReading(queue, at(120_000))).toBe(false);
      expect((await store().listMonitors()).some((m) => m.queue === queue)).toBe(false);
      await store().removeMonitor(bare.queue);
    });

    it('two replicas adding a monitor for one queue at once: exactly one wins', async () => {
      const queue = unique('q');
      const results = await concurrently(8, (i) => store().addMonitor(monitor(queue, { startedBy: `U_${i}` })));
      expect(results.filter(Boolean)).toHaveLength(1);
      await store().removeMonitor(queue);
    });
  });
};
