// The DeadLetterQueue port's guarantees as one suite every adapter runs (SQS on ElasticMQ, Kafka on a
// real broker): peek and scan never consume, keys find messages, checkout/release/remove behave, and
// partial failure is reported per message. It must not depend on any one adapter's internals.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckedOutMessage, DeadLetterQueue, DlqMessage } from '../../src/ports/dead-letter-queue.port.ts';

export interface DeadLetterQueueFixture {
  /** A fresh, empty DLQ (unique name) for one test. */
  dlq: DeadLetterQueue;
  /** Puts messages with these bodies into the DLQ; resolves once they are readable. */
  seed(bodies: string[]): Promise<void>;
  cleanup(): Promise<void>;
}

export interface DeadLetterQueueContractOptions {
  /**
   * Whether `remove` makes a message disappear from peek/scan by itself (SQS delete). Kafka removes by
   * committing offsets only up to the lowest unresolved one, so it sets this false. Default true.
   */
  removeHidesMessage?: boolean;
  /** Upper bound for peek/scan/checkout waits in these tests. Default 5 s. */
  timeoutMs?: number;
}

const until = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const collect = async (iterable: AsyncIterable<DlqMessage>): Promise<DlqMessage[]> => {
  const out: DlqMessage[] = [];
  for await (const message of iterable) out.push(message);
  return out;
};

const bodiesOf = (messages: DlqMessage[]): string[] => messages.map((m) => m.body).sort();

export const describeDeadLetterQueueContract = (
  name: string,
  make: () => Promise<DeadLetterQueueFixture>,
  options: DeadLetterQueueContractOptions = {},
): void => {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const removeHidesMessage = options.removeHidesMessage ?? true;

  describe(`DeadLetterQueue contract: ${name}`, () => {
    let fixture: DeadLetterQueueFixture;
    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture?.cleanup();
    });

    const seeded = async (count: number, prefix = 'm'): Promise<string[]> => {
      const bodies = Array.from({ length: count }, (_, i) => JSON.stringify({ n: i, id: `${prefix}-${i}`, error: 'HTTP 503' }));
      await fixture.seed(bodies);
      await until(async () => (await fixture.dlq.status()).depth >= count, timeoutMs, `depth ${count}`);
      return bodies;
    };

    it('reports its kind, name and the messages waiting in status', async () => {
      await seeded(3);
      const status = await fixture.dlq.status();
      expect(status.queue).toBe(fixture.dlq.name);
      expect(status.kind).toBe(fixture.dlq.kind);
      expect(status.depth).toBe(3);
      expect(status.at).toBeInstanceOf(Date);
    });

    it('peek returns distinct messages with their bodies and leaves the queue as it was', async () => {
      const bodies = await seeded(5);
      const peeked = await fixture.dlq.peek({ limit: 5, timeoutMs });
      expect(bodiesOf(peeked)).toEqual([...bodies].sort());
      expect(new Set(peeked.map((m) => m.messageKey)).size).toBe(5);
      for (const message of peeked) {
        expect(message.queue).toBe(fixture.dlq.name);
        expect(message.messageKey).not.toBe('');
      }
      const after = await fixture.dlq.status();
      expect(after.depth).toBe(5);
      // Every peeked message is visible again at once: a second peek sees all of them.
      const again = await fixture.dlq.peek({ limit: 5, timeoutMs });
      expect(new Set(again.map((m) => m.messageKey))).toEqual(new Set(peeked.map((m) => m.messageKey)));
    });

    it('peek stops at its limit and returns nothing on an empty queue', async () => {
      expect(await fixture.dlq.peek({ limit: 3, timeoutMs: 1_500 })).toEqual([]);
      await seeded(6);
      const peeked = await fixture.dlq.peek({ limit: 2, timeoutMs });
      expect(peeked).toHaveLength(2);
      expect((await fixture.dlq.status()).depth).toBe(6);
    });

    it('keeps bodies byte for byte, JSON or not', async () => {
      const bodies = ['not json at all <!channel> & stuff', '{"ok":true,"emoji":"📦","quote":"\\""}', '  spaced  '];
      await fixture.seed(bodies);
      await until(async () => (await fixture.dlq.status()).depth >= 3, timeoutMs, 'depth 3');
      const peeked = await fixture.dlq.peek({ limit: 3, timeoutMs });
      expect(bodiesOf(peeked)).toEqual([...bodies].sort());
    });

    it('scan returns every message exactly once and consumes nothing', async () => {
      const bodies = await seeded(25);
      const scanned = await collect(fixture.dlq.scan({ timeoutMs: timeoutMs * 2 }));
      expect(scanned).toHaveLength(25);
      expect(new Set(scanned.map((m) => m.messageKey)).size).toBe(25);
      expect(bodiesOf(scanned)).toEqual([...bodies].sort());
      expect((await fixture.dlq.status()).depth).toBe(25);
      const again = await collect(fixture.dlq.scan({ timeoutMs: timeoutMs * 2 }));
      expect(new Set(again.map((m) => m.messageKey))).toEqual(new Set(scanned.map((m) => m.messageKey)));
    });

    it('scan stops early when its signal aborts and still consumes nothing', async () => {
      await seeded(12);
      const controller = new AbortController();
      const seen: DlqMessage[] = [];
      for await (const message of fixture.dlq.scan({ timeoutMs, signal: controller.signal })) {
        seen.push(message);
        if (seen.length === 3) controller.abort();
      }
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.length).toBeLessThan(12);
      expect((await fixture.dlq.status()).depth).toBe(12);
      expect(await fixture.dlq.peek({ limit: 12, timeoutMs })).toHaveLength(12);
    });

    it('get finds a message by key and returns null for an unknown key, leaving both in place', async () => {
      await seeded(8);
      const [target] = await fixture.dlq.peek({ limit: 1, timeoutMs });
      expect(target).toBeDefined();
      const found = await fixture.dlq.get(target!.messageKey, { timeoutMs });
      expect(found?.messageKey).toBe(target!.messageKey);
      expect(found?.body).toBe(target!.body);
      expect(await fixture.dlq.get('no-such-message-key', { timeoutMs: 1_500 })).toBeNull();
      expect((await fixture.dlq.status()).depth).toBe(8);
      expect(await fixture.dlq.get(target!.messageKey, { timeoutMs })).not.toBeNull();
    });

    // Two people viewing two messages at once: each read may briefly hold the other's message (SQS
    // hides what it receives); neither may answer "not found" for a message that is there.
    it('concurrent gets of different messages each find their own', async () => {
      await seeded(2);
      const keys = (await fixture.dlq.peek({ limit: 2, timeoutMs })).map((m) => m.messageKey);
      expect(keys).toHaveLength(2);
      for (let round = 0; round < 3; round += 1) {
        const found = await Promise.all(keys.map((key) => fixture.dlq.get(key, { timeoutMs })));
        expect(found.map((m) => m?.messageKey ?? null)).toEqual(keys);
      }
      expect((await fixture.dlq.status()).depth).toBe(2);
    });

    it('get waits for a message another reader holds for a moment, instead of answering "not found"', async () => {
      await seeded(2);
      const keys = (await fixture.dlq.peek({ limit: 2, timeoutMs })).map((m) => m.messageKey);
      // A scan holds what it has received until it ends (SQS: both messages hidden).
      const reading = fixture.dlq.scan({ timeoutMs })[Symbol.asyncIterator]();
      expect((await reading.next()).done).toBe(false);
      const wanted = fixture.dlq.get(keys[1] ?? '', { timeoutMs });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await reading.return?.();
      expect((await wanted)?.messageKey).toBe(keys[1]);
      expect((await fixture.dlq.status()).depth).toBe(2);
    });

    it('checkout waitWhileHeld waits for a message another reader holds for a moment', async () => {
      await seeded(2);
      const keys = (await fixture.dlq.peek({ limit: 2, timeoutMs })).map((m) => m.messageKey);
      const reading = fixture.dlq.scan({ timeoutMs })[Symbol.asyncIterator]();
      expect((await reading.next()).done).toBe(false);
      const wanted = fixture.dlq.checkout([keys[1] ?? ''], { timeoutMs, waitWhileHeld: true });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await reading.return?.();
      const result = await wanted;
      expect(result.found.map((m) => m.message.messageKey)).toEqual([keys[1]]);
      await fixture.dlq.release(result.found);
      expect((await fixture.dlq.status()).depth).toBe(2);
    });

    it('checkout returns found and missing keys; release makes the found ones visible again at once', async () => {
      await seeded(6);
      const peeked = await fixture.dlq.peek({ limit: 6, timeoutMs });
      const wanted = peeked.slice(0, 2).map((m) => m.messageKey);
      const result = await fixture.dlq.checkout([...wanted, 'no-such-message-key'], { timeoutMs });
      expect(result.found.map((c) => c.message.messageKey).sort()).toEqual([...wanted].sort());
      expect(result.missing).toEqual(['no-such-message-key']);
      for (const held of result.found) expect(held.message.body).toBe(peeked.find((m) => m.messageKey === held.message.messageKey)?.body);
      await fixture.dlq.release(result.found);
      const after = await fixture.dlq.peek({ limit: 6, timeoutMs });
      expect(new Set(after.map((m) => m.messageKey))).toEqual(new Set(peeked.map((m) => m.messageKey)));
    });

    it('remove takes out exactly the checked-out messages and reports each one', async () => {
      await seeded(5);
      const peeked = await fixture.dlq.peek({ limit: 5, timeoutMs });
      const wanted = peeked.slice(0, 2).map((m) => m.messageKey);
      const held = await fixture.dlq.checkout(wanted, { timeoutMs });
      const result = await fixture.dlq.remove(held.found);
      expect(result.removed.sort()).toEqual([...wanted].sort());
      expect(result.failed).toEqual([]);
      if (removeHidesMessage) {
        await until(async () => (await fixture.dlq.status()).depth === 3, timeoutMs, 'depth 3');
        const rest = await collect(fixture.dlq.scan({ timeoutMs }));
        expect(rest.map((m) => m.messageKey).sort()).toEqual(peeked.slice(2).map((m) => m.messageKey).sort());
      }
    });

    it('remove reports a bad entry per message without throwing, and still removes the good ones', async () => {
      await seeded(3);
      const [first] = await fixture.dlq.peek({ limit: 1, timeoutMs });
      const held = await fixture.dlq.checkout([first!.messageKey], { timeoutMs });
      expect(held.found).toHaveLength(1);
      const good = held.found[0]!;
      const bad: CheckedOutMessage = {
        message: { ...good.message, messageKey: `${good.message.messageKey}-forged` },
        handle: 'not-a-valid-handle',
      };
      const result = await fixture.dlq.remove([good, bad]);
      expect(result.removed).toContain(good.message.messageKey);
      const accounted = [...result.removed, ...result.failed.map((f) => f.messageKey)].sort();
      expect(accounted).toEqual([good.message.messageKey, bad.message.messageKey].sort());
      for (const failure of result.failed) expect(failure.error).not.toBe('');
      if (removeHidesMessage) {
        expect(result.failed.map((f) => f.messageKey)).toEqual([bad.message.messageKey]);
        await until(async () => (await fixture.dlq.status()).depth === 2, timeoutMs, 'depth 2');
      }
    });

    it('checkout of keys that are not there finds nothing and changes nothing', async () => {
      await seeded(2);
      const result = await fixture.dlq.checkout(['missing-a', 'missing-b'], { timeoutMs: 1_500 });
      expect(result.found).toEqual([]);
      expect(result.missing.sort()).toEqual(['missing-a', 'missing-b']);
      expect(await fixture.dlq.peek({ limit: 2, timeoutMs })).toHaveLength(2);
    });
  });
};
