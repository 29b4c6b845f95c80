// `view`, `replay` and `resolve` by trace id on a real Kafka DLQ nobody peeked at: the use cases fall
// back from the message index to the topic itself, reading trace ids through the queue's configured
// field mapping (the same one the analyzer and the replies use).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KafkaClients } from '../../../src/adapters/outbound/kafka/kafka-client.ts';
import { createKafkaQueueBackend } from '../../../src/adapters/outbound/kafka/kafka-queue-backend.ts';
import type { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { replayMessage, resolveMessage } from '../../../src/app/queue/change-queue.use-case.ts';
import { viewMessage } from '../../../src/app/queue/read-queue.use-case.ts';
import { createQueueRegistry } from '../../../src/app/queue-registry.ts';
import { kafkaQueueSchema } from '../../../src/config/config.schema.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { connectionSettings, KafkaTestBench, quietLogger, services, tempStore, uniqueName } from './kafka-test-env.ts';

describe.skipIf(!services)('Kafka view by trace id', () => {
  let bench: KafkaTestBench;
  let temp: Awaited<ReturnType<typeof tempStore>>;
  let store: SqliteStore;
  let clients: KafkaClients;
  let topic: string;
  let replayTopic: string;
  let group: string;

  beforeEach(async () => {
    bench = await new KafkaTestBench().connect();
    temp = await tempStore();
    store = temp.store;
    topic = await bench.createTopic('view-dlq', 2);
    replayTopic = await bench.createTopic('view-pending', 1);
    group = uniqueName('view-group');
    clients = new KafkaClients(connectionSettings(), quietLogger());
  });
  afterEach(async () => {
    await clients.close();
    await bench.close();
    await store.close();
    temp.remove();
  });

  const depsFor = (fieldMapping?: Record<string, string>) => {
    const queue = kafkaQueueSchema.parse({ kind: 'kafka', name: 'orders-dlq', topic, consumerGroup: group, replayTopic, ...(fieldMapping ? { fieldMapping } : {}) });
    const backend = createKafkaQueueBackend(queue, { clients, store, clock: systemClock });
    return { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics };
  };

  it('reads trace ids through the configured field mapping, on any partition, without a peek first', async () => {
    await bench.produce(topic, [
      { partition: 0, value: JSON.stringify({ event: { correlation: 'ord-1' }, trace_id: 'decoy-1', error: 'HTTP 503' }) },
      { partition: 1, value: JSON.stringify({ event: { correlation: 'ord-2' }, trace_id: 'decoy-2', error: 'HTTP 404' }) },
    ]);
    const deps = depsFor({ traceId: 'event.correlation' });
    const found = await viewMessage(deps, 'orders-dlq', 'ord-2', 'U0VIEWER');
    expect(found).toMatchObject({ messageKey: '1:0', partition: 1 });
    // The mapping replaces the default candidates: trace_id is no longer a trace id here.
    await expect(viewMessage(deps, 'orders-dlq', 'decoy-1', 'U0VIEWER')).rejects.toMatchObject({ code: 'DLQ_MESSAGE_NOT_FOUND' });
    // The view indexed the message under its mapped trace id.
    expect(await store.findIndexedMessage('orders-dlq', 'ord-2')).toMatchObject({ messageKey: '1:0', traceId: 'ord-2' });
    const audit = await store.searchAudit({ queue: 'orders-dlq' });
    expect(audit.map((a) => [a.action, a.result])).toEqual([
      ['view', 'failure'],
      ['view', 'success'],
    ]);
  });

  it('replay and resolve by a trace id nobody looked at; a trace id seen twice means the newest copy', async () => {
    const body = (n: number) => JSON.stringify({ trace_id: 'evt-twice', final_error: 'timeout', retry_count: 4, attempt: n });
    await bench.produce(topic, [
      { partition: 0, value: body(1) },
      { partition: 0, value: JSON.stringify({ trace_id: 'evt-other', final_error: 'HTTP 404' }) },
      { partition: 0, value: body(2) },
    ]);
    const deps = depsFor();
    expect(await viewMessage(deps, 'orders-dlq', 'evt-twice', 'U0VIEWER')).toMatchObject({ messageKey: '0:2' });
    const replayed = await replayMessage(deps, { queue: 'orders-dlq', id: 'evt-other', actor: 'U0OPERATOR' });
    expect(replayed.message.messageKey).toBe('0:1');
    const [copy] = await bench.readAll(replayTopic, 1);
    expect(JSON.parse(String(copy?.value))).toMatchObject({ trace_id: 'evt-other' });
    const resolved = await resolveMessage(deps, { queue: 'orders-dlq', id: '0:0', actor: 'U0OPERATOR', reason: 'duplicate' });
    expect(resolved.removed).toBe(true);
    expect(await bench.committed(group, topic)).toEqual({ 0: '1', 1: '-1' });
  });

  it('a trace id whose newest copy is resolved means the newest copy still waiting', async () => {
    await bench.produce(topic, [1, 2, 3].map((n) => ({ partition: 0, value: JSON.stringify({ trace_id: 'evt-back', attempt: n }) })));
    const deps = depsFor();
    const resolution = (offset: number) => ({
      queue: 'orders-dlq', messageKey: `0:${offset}`, traceId: 'evt-back', partition: 0, offset: String(offset),
      body: null, attributes: {}, resolvedBy: 'U0OPERATOR', reason: 'processed', resolvedAt: new Date(),
    });
    await store.recordResolution(resolution(2));
    expect((await viewMessage(depsFor(), 'orders-dlq', 'evt-back', 'U0VIEWER')).messageKey).toBe('0:1');
    await store.recordResolution(resolution(1));
    await store.recordResolution(resolution(0));
    // Every copy resolved: the newest; the index's entry (0:1, resolved since) does not hide it.
    expect((await viewMessage(deps, 'orders-dlq', 'evt-back', 'U0VIEWER')).messageKey).toBe('0:2');
    // It comes back once more: the new copy is the one meant.
    await bench.produce(topic, [{ partition: 0, value: JSON.stringify({ trace_id: 'evt-back', attempt: 4 }) }]);
    expect((await viewMessage(deps, 'orders-dlq', 'evt-back', 'U0VIEWER')).messageKey).toBe('0:3');
    const resolved = await resolveMessage(deps, { queue: 'orders-dlq', id: 'evt-back', actor: 'U0OPERATOR', reason: 'reprocessed' });
    expect(resolved).toMatchObject({ message: { messageKey: '0:3' }, alreadyResolved: false, removed: true });
    expect(await bench.committed(group, topic)).toEqual({ 0: '4', 1: '-1' });
  });
});
