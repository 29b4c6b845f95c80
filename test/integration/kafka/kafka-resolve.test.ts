// Resolving Kafka DLQ messages on a real broker (runbook `dlq.cli resolve`): the resolution goes to the
// store, and the group's committed offset moves only up to the lowest unresolved offset of each
// partition, so resolving one message never hides another. State survives a restart.

import { beforeEach, describe, expect, it } from 'vitest';
import type { KafkaDeadLetterQueue } from '../../../src/adapters/outbound/kafka/kafka-dead-letter-queue.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import type { DlqMessage, RemoveResult } from '../../../src/ports/dead-letter-queue.port.ts';
import { kafkaDlq, resolveAt, services, uniqueName, useKafkaTestEnv, waitFor } from './kafka-test-env.ts';

const keysOf = (messages: DlqMessage[]): string[] => messages.map((m) => m.messageKey);

describe.skipIf(!services)('KafkaDeadLetterQueue resolve', () => {
  const env = useKafkaTestEnv();
  let dlq: KafkaDeadLetterQueue;
  let topic: string;
  let group: string;

  /** What the app layer does: read the message, record the resolution, then remove. */
  const resolve = async (...keys: string[]): Promise<RemoveResult> => {
    const held = await dlq.checkout(keys, { timeoutMs: 5_000 });
    expect(held.missing).toEqual([]);
    for (const { message } of held.found) await resolveAt(env.store, dlq.name, message.partition ?? -1, Number(message.offset));
    return dlq.remove(held.found);
  };

  const unresolved = async (): Promise<string[]> => keysOf(await dlq.peek({ limit: 100, timeoutMs: 5_000 }));

  beforeEach(async () => {
    topic = await env.bench.createTopic('resolve-dlq', 2);
    group = uniqueName('resolve-group');
    ({ dlq, clients: env.clients } = kafkaDlq({ topic, group, store: env.store }));
    await env.bench.produce(topic, Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify({ trace_id: `evt-${i}` }), partition: 0 })));
  });

  it('resolving offset 5 of 0–9 keeps the commit at 0 and hides only 5; resolving 0–4 then commits 6', async () => {
    await env.bench.setCommitted(group, topic, { 0: 0 });

    const first = await resolve('0:5');
    expect(first).toEqual({ removed: ['0:5'], failed: [] });
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '0', 1: '-1' });
    expect(await unresolved()).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '0:6', '0:7', '0:8', '0:9']);
    expect((await dlq.status()).depth).toBe(9);

    const second = await resolve('0:0', '0:1', '0:2', '0:3', '0:4');
    expect(second.removed.sort()).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4']);
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '6', 1: '-1' });
    expect(await unresolved()).toEqual(['0:6', '0:7', '0:8', '0:9']);
    const status = await dlq.status();
    expect(status.depth).toBe(4);
    expect(status.partitions?.[0]).toEqual({ partition: 0, highWatermark: '10', committed: '6', lag: 4, resolved: 0 });
  });

  it('survives a restart: a new adapter on the reopened store sees the same resolutions and commit', async () => {
    await resolve('0:1', '0:3');
    await resolve('0:0');
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '2', 1: '-1' });
    await env.clients?.close();
    await env.store.close();

    env.store = SqliteStore.open(env.temp.path);
    await env.store.migrate();
    ({ dlq, clients: env.clients } = kafkaDlq({ topic, group, store: env.store }));
    expect(await unresolved()).toEqual(['0:2', '0:4', '0:5', '0:6', '0:7', '0:8', '0:9']);
    expect((await dlq.status()).depth).toBe(7);
    expect(await resolve('0:2')).toEqual({ removed: ['0:2'], failed: [] });
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '4', 1: '-1' });
  });

  it('a group without a committed offset starts at the log start and commits once the head is resolved', async () => {
    await resolve('0:3');
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '-1', 1: '-1' });
    await resolve('0:2', '0:0', '0:1');
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '4', 1: '-1' });
  });

  it('partitions move independently', async () => {
    await env.bench.produce(topic, [{ value: 'p1-a', partition: 1 }, { value: 'p1-b', partition: 1 }]);
    await resolve('1:0', '0:1');
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '-1', 1: '1' });
    expect(await unresolved()).toEqual(['0:0', '0:2', '0:3', '0:4', '0:5', '0:6', '0:7', '0:8', '0:9', '1:1']);
  });

  it('remove records a resolution itself when none was recorded, and keeps the one the app layer wrote', async () => {
    await resolveAt(env.store, dlq.name, 0, 1, 'U0APPLAYER');
    const held = await dlq.checkout(['0:0', '0:1'], { timeoutMs: 5_000 });
    expect(await dlq.remove(held.found)).toEqual({ removed: ['0:0', '0:1'], failed: [] });
    expect((await env.store.getResolution(dlq.name, '0:0'))?.resolvedBy).toBe('redrive');
    expect((await env.store.getResolution(dlq.name, '0:1'))?.resolvedBy).toBe('U0APPLAYER');
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '2', 1: '-1' });
  });

  it('non-JSON bodies resolve like any other', async () => {
    const other = await env.bench.createTopic('resolve-raw', 1);
    ({ dlq } = kafkaDlq({ topic: other, group, store: env.store, clients: env.clients }));
    await env.bench.produce(other, [{ value: 'plain text, not json' }, { value: Buffer.from([0xc3, 0x28, 0xff]) }]);
    expect(await resolve('0:0', '0:1')).toEqual({ removed: ['0:0', '0:1'], failed: [] });
    expect(await env.bench.committed(group, other)).toEqual({ 0: '2' });
    expect(await dlq.peek({ limit: 5, timeoutMs: 2_000 })).toEqual([]);
  });

  it('while the group has live members the commit is refused per message; the resolution stays and commits later', async () => {
    const member = env.bench.kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 500 });
    await member.connect();
    await member.subscribe({ topics: [topic] });
    await member.run({ autoCommit: false, eachMessage: async () => undefined });
    try {
      await waitFor(async () => (await env.bench.admin.describeGroups([group])).groups[0]?.state === 'Stable', { timeoutMs: 20_000, description: 'group Stable' });
      const result = await resolve('0:0');
      expect(result.removed).toEqual([]);
      expect(result.failed).toHaveLength(1);
      expect(result.failed[0]?.error).toMatch(/active members/);
      expect(await env.store.getResolution(dlq.name, '0:0')).not.toBeNull();
      expect(await unresolved()).not.toContain('0:0');
    } finally {
      await member.disconnect();
    }
    expect((await env.bench.committed(group, topic))[0]).toBe('-1');
    await waitFor(async () => (await env.bench.admin.describeGroups([group])).groups[0]?.state === 'Empty', { timeoutMs: 20_000, description: 'group Empty' });
    expect(await resolve('0:1')).toEqual({ removed: ['0:1'], failed: [] });
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '2', 1: '-1' });
  });

  it('entries that are not messages of this DLQ fail one by one and the rest are removed', async () => {
    const [good] = (await dlq.checkout(['0:0'], { timeoutMs: 5_000 })).found;
    const result = await dlq.remove([good!, { message: { ...good!.message, messageKey: 'evt-0' }, handle: null }, { message: { ...good!.message, queue: 'other-queue' }, handle: null }]);
    expect(result.removed).toEqual(['0:0']);
    expect(result.failed.map((f) => f.messageKey)).toEqual(['evt-0', '0:0']);
  });
});
