// Reading a Kafka DLQ on a real broker: peek starts at the group's committed offset, never commits
// or joins a group, skips resolved messages, honours limit and timeout; get by partition/offset;
// status depth is lag minus resolved per partition, with the oldest unresolved message's age.

import { describe, expect, it } from 'vitest';
import type { KafkaDeadLetterQueue } from '../../../src/adapters/outbound/kafka/kafka-dead-letter-queue.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { DEFAULT_FIELD_MAPPING, mapMessage } from '../../../src/core/analysis/field-mapping.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../../fixtures/download-dlq-body.ts';
import { kafkaDlq, resolveAt, services, uniqueName, useKafkaTestEnv } from './kafka-test-env.ts';

const T0 = Date.parse('2026-01-05T10:00:00.000Z');

const runbookBody = (i: number): string =>
  downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: `evt-read-${i}`, failedAt: new Date(T0 + i * 1000) });

const offsetsOf = (messages: DlqMessage[]): string[] => messages.map((m) => m.messageKey);

describe.skipIf(!services)('KafkaDeadLetterQueue reads', () => {
  const env = useKafkaTestEnv();
  let dlq: KafkaDeadLetterQueue;
  let topic: string;
  let group: string;

  const open = (partitions: number, clock = fixedClock(new Date(T0 + 60_000))) =>
    env.bench.createTopic('read-dlq', partitions).then((name) => {
      topic = name;
      group = uniqueName('read-group');
      ({ dlq, clients: env.clients } = kafkaDlq({ topic, group, store: env.store, clock }));
    });

  it('peek starts at the committed offset, skips resolved messages and commits nothing', async () => {
    await open(1);
    await env.bench.produce(topic, Array.from({ length: 10 }, (_, i) => ({ value: runbookBody(i), key: `evt-read-${i}` })));
    await env.bench.setCommitted(group, topic, { 0: 4 });
    await resolveAt(env.store, topic, 0, 6);
    await resolveAt(env.store, topic, 0, 2); // before the committed offset: already out of the way

    const peeked = await dlq.peek({ limit: 100, timeoutMs: 5_000 });
    expect(offsetsOf(peeked)).toEqual(['0:4', '0:5', '0:7', '0:8', '0:9']);
    const first = peeked[0]!;
    expect(first).toMatchObject({ queue: topic, partition: 0, offset: '4', key: 'evt-read-4', body: runbookBody(4), receiveCount: null });
    expect(first.enqueuedAt).toBeInstanceOf(Date);

    await dlq.scan({ timeoutMs: 5_000 })[Symbol.asyncIterator]().next();
    await dlq.get('0:5');
    await dlq.status();
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '4' });
  });

  it('reading joins no consumer group and leaves a group without offsets without offsets', async () => {
    await open(2);
    await env.bench.produce(topic, [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }]);
    const groupsBefore = new Set((await env.bench.admin.listGroups()).groups.map((g) => g.groupId));

    expect(offsetsOf(await dlq.peek({ limit: 10, timeoutMs: 5_000 }))).toEqual(['0:0', '1:0']);
    for await (const _ of dlq.scan({ timeoutMs: 5_000 })) void _;
    await dlq.status();

    expect(await env.bench.committed(group, topic)).toEqual({ 0: '-1', 1: '-1' });
    const groupsAfter = (await env.bench.admin.listGroups()).groups.map((g) => g.groupId);
    // Other test files run beside this one on the same broker; their own consumers' groups are not ours.
    const othersGroups = /^(bench-reader|smoke-group)-/;
    expect(groupsAfter.filter((g) => !groupsBefore.has(g) && !othersGroups.test(g))).toEqual([]);
  });

  it('peek honours its limit, then the rest by offset, and an empty topic answers at once', async () => {
    await open(1);
    const started = performance.now();
    expect(await dlq.peek({ limit: 5, timeoutMs: 5_000 })).toEqual([]);
    // Well before its 5 s timeout (generous: two cores shared with the whole suite).
    expect(performance.now() - started).toBeLessThan(3_000);

    await env.bench.produce(topic, Array.from({ length: 30 }, (_, i) => ({ value: runbookBody(i) })));
    expect(offsetsOf(await dlq.peek({ limit: 3, timeoutMs: 5_000 }))).toEqual(['0:0', '0:1', '0:2']);
    expect(await dlq.peek({ limit: 30, timeoutMs: 5_000 })).toHaveLength(30);
  });

  it('peek gives up at its timeout with what it has read so far', async () => {
    await open(1);
    const big = 'x'.repeat(4_000);
    await env.bench.produce(topic, Array.from({ length: 3_000 }, (_, i) => ({ value: `{"n":${i},"pad":"${big}"}` })));
    const started = performance.now();
    const peeked = await dlq.peek({ limit: 3_000, timeoutMs: 1 });
    const elapsed = performance.now() - started;
    expect(peeked.length).toBeGreaterThan(0);
    expect(peeked.length).toBeLessThan(3_000);
    expect(elapsed).toBeLessThan(3_000);
    expect(offsetsOf(peeked).slice(0, 2)).toEqual(['0:0', '0:1']);
  });

  it('get reads exactly one partition/offset, resolved or not; unknown keys are null', async () => {
    await open(2);
    await env.bench.produce(topic, [
      { value: 'p0-o0', partition: 0 },
      { value: 'p1-o0', partition: 1 },
      { value: 'p1-o1', partition: 1, key: 'k-1', headers: { 'content-type': 'application/json', trace: ['a', 'b'] } },
      { value: 'p1-o2', partition: 1 },
    ]);
    await resolveAt(env.store, topic, 1, 1);

    const found = await dlq.get('1:1', { timeoutMs: 5_000 });
    expect(found).toMatchObject({ messageKey: '1:1', partition: 1, offset: '1', body: 'p1-o1', key: 'k-1' });
    expect(found?.attributes).toEqual({ 'content-type': 'application/json', trace: 'a, b' });
    expect((await dlq.get('0:0'))?.body).toBe('p0-o0');
    for (const missing of ['1:3', '0:99', '7:0', 'evt-abc-123', '1:-1', '']) expect(await dlq.get(missing, { timeoutMs: 1_000 })).toBeNull();

    const held = await dlq.checkout(['1:2', '0:0', '1:9'], { timeoutMs: 5_000 });
    expect(held.found.map((h) => h.message.body)).toEqual(['p1-o2', 'p0-o0']);
    expect(held.found.every((h) => h.handle === null)).toBe(true);
    expect(held.missing).toEqual(['1:9']);
  });

  it('non-JSON and non-UTF-8 bodies are peekable and kept, never dropped', async () => {
    await open(1);
    await env.bench.produce(topic, [
      { value: 'not json <!channel> & <https://evil|click>' },
      { value: Buffer.from([0xff, 0xfe, 0x00, 0x41]) },
      { value: null },
      { value: '{"trace_id":"evt-ok"}' },
    ]);
    const peeked = await dlq.peek({ limit: 10, timeoutMs: 5_000 });
    expect(peeked.map((m) => m.body)).toEqual(['not json <!channel> & <https://evil|click>', '\ufffd\ufffd\u0000A', '', '{"trace_id":"evt-ok"}']);
  });

  it('status: depth is lag minus resolved per partition; oldest age from the first unresolved message', async () => {
    await open(2, fixedClock(new Date(T0 + 100_000)));
    const at = (seconds: number) => String(T0 + seconds * 1000);
    await env.bench.produce(topic, [
      ...Array.from({ length: 6 }, (_, i) => ({ value: runbookBody(i), partition: 0, timestamp: at(10 + i) })),
      ...Array.from({ length: 4 }, (_, i) => ({ value: runbookBody(i), partition: 1, timestamp: at(20 + i) })),
    ]);
    await env.bench.setCommitted(group, topic, { 0: 2 });
    for (const [p, o] of [[0, 0], [0, 2], [0, 5], [1, 1], [1, 0]] as const) await resolveAt(env.store, topic, p, o);

    const status = await dlq.status();
    expect(status).toMatchObject({ queue: topic, kind: 'kafka', inFlight: null, delayed: null });
    expect(status.partitions).toEqual([
      { partition: 0, highWatermark: '6', committed: '2', lag: 4, resolved: 2 },
      { partition: 1, highWatermark: '4', committed: '0', lag: 4, resolved: 2 },
    ]);
    expect(status.depth).toBe(4);
    // p0's first unresolved is offset 3 (13 s after T0), p1's is offset 2 (22 s): 100 - 13 = 87.
    expect(status.oldestAgeSeconds).toBe(87);
    expect(status.at).toEqual(new Date(T0 + 100_000));

    const unresolved = await dlq.peek({ limit: 10, timeoutMs: 5_000 });
    expect(offsetsOf(unresolved)).toEqual(['0:3', '0:4', '1:2', '1:3']);
  });

  it('findByTraceId reads the whole retained topic, resolved and committed messages included', async () => {
    await open(2);
    await env.bench.produce(topic, [
      { value: runbookBody(1), partition: 0 },
      { value: runbookBody(2), partition: 1 },
      { value: 'not json evt-read-2', partition: 1 },
      { value: runbookBody(2), partition: 0 },
    ]);
    await env.bench.setCommitted(group, topic, { 1: 1 });
    await resolveAt(env.store, topic, 0, 1);
    const traceIdOf = (m: DlqMessage) => mapMessage(m.body, DEFAULT_FIELD_MAPPING).traceId;
    const found = await dlq.findByTraceId('evt-read-2', { traceIdOf, timeoutMs: 5_000 });
    expect(offsetsOf(found)).toEqual(['0:1', '1:0']);
    expect(await dlq.findByTraceId('evt-read-2', { traceIdOf, limit: 1 })).toHaveLength(1);
    expect(await dlq.findByTraceId('evt-nowhere', { traceIdOf })).toEqual([]);
  });

  it('scan streams every unresolved message once, up to the high watermark taken when it started', async () => {
    await open(2);
    await env.bench.produce(topic, Array.from({ length: 400 }, (_, i) => ({ value: runbookBody(i), partition: i % 2 })));
    await resolveAt(env.store, topic, 0, 10);
    await resolveAt(env.store, topic, 1, 0);
    const seen: string[] = [];
    for await (const message of dlq.scan({ timeoutMs: 10_000 })) {
      seen.push(message.messageKey);
      // Arrives after the snapshot: the scan ends without it.
      if (seen.length === 1) await env.bench.produce(topic, [{ value: 'late', partition: 0 }]);
    }
    expect(seen).toHaveLength(398);
    expect(new Set(seen).size).toBe(398);
    expect(seen).not.toContain('0:10');
    expect(seen).not.toContain('0:200');
  });
});
