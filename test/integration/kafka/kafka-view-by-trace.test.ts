// `view`, `replay` and `resolve` by trace id on a real Kafka DLQ nobody peeked at: the use cases fall
// back from the message index to the topic itself, reading trace ids through the queue's configured
// field mapping (the same one the analyzer and the replies use).

import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { replayMessage } from '../../../src/app/messages/replay-message.use-case.ts';
import { resolveMessage } from '../../../src/app/messages/resolve-message.use-case.ts';
import { viewMessage } from '../../../src/app/messages/read-queue.use-case.ts';
import { kafkaClients, kafkaQueueDeps, services, uniqueName, useKafkaTestEnv } from './kafka-test-env.ts';

describe.skipIf(!services)('Kafka view by trace id', () => {
  const env = useKafkaTestEnv();
  let topic: string;
  let replayTopic: string;
  let group: string;

  beforeEach(async () => {
    topic = await env.bench.createTopic('view-dlq', 2);
    replayTopic = await env.bench.createTopic('view-pending', 1);
    group = uniqueName('view-group');
    env.clients = kafkaClients();
  });

  const depsFor = (fieldMapping?: Record<string, string>) =>
    kafkaQueueDeps({ name: 'orders-dlq', topic, group, replayTopic, clients: env.clients!, store: env.store, ...(fieldMapping ? { fieldMapping } : {}) });

  it('reads trace ids through the configured field mapping, on any partition, without a peek first', async () => {
    await env.bench.produce(topic, [
      { partition: 0, value: JSON.stringify({ event: { correlation: 'ord-1' }, trace_id: 'decoy-1', error: 'HTTP 503' }) },
      { partition: 1, value: JSON.stringify({ event: { correlation: 'ord-2' }, trace_id: 'decoy-2', error: 'HTTP 404' }) },
    ]);
    const deps = depsFor({ traceId: 'event.correlation' });
    const found = await viewMessage(deps, 'orders-dlq', 'ord-2', 'U0VIEWER');
    expect(found).toMatchObject({ messageKey: '1:0', partition: 1 });
    // The mapping replaces the default candidates: trace_id is no longer a trace id here.
    await expect(viewMessage(deps, 'orders-dlq', 'decoy-1', 'U0VIEWER')).rejects.toMatchObject({ code: 'DLQ_MESSAGE_NOT_FOUND' });
    // The view indexed the message under its mapped trace id.
    expect(await env.store.findIndexedMessage('orders-dlq', 'ord-2')).toMatchObject({ messageKey: '1:0', traceId: 'ord-2' });
    const audit = await env.store.searchAudit({ queue: 'orders-dlq' });
    expect(audit.map((a) => [a.action, a.result])).toEqual([
      ['view', 'failure'],
      ['view', 'success'],
    ]);
  });

  it('replay and resolve by a trace id nobody looked at; a trace id seen twice means the newest copy', async () => {
    const body = (n: number) => JSON.stringify({ trace_id: 'evt-twice', final_error: 'timeout', retry_count: 4, attempt: n });
    await env.bench.produce(topic, [
      { partition: 0, value: body(1) },
      { partition: 0, value: JSON.stringify({ trace_id: 'evt-other', final_error: 'HTTP 404' }) },
      { partition: 0, value: body(2) },
    ]);
    const deps = depsFor();
    expect(await viewMessage(deps, 'orders-dlq', 'evt-twice', 'U0VIEWER')).toMatchObject({ messageKey: '0:2' });
    const replayed = await replayMessage(deps, { queue: 'orders-dlq', id: 'evt-other', actor: 'U0OPERATOR' });
    expect(replayed.message.messageKey).toBe('0:1');
    const [copy] = await env.bench.readAll(replayTopic, 1);
    expect(JSON.parse(String(copy?.value))).toMatchObject({ trace_id: 'evt-other' });
    const resolved = await resolveMessage(deps, { queue: 'orders-dlq', id: '0:0', actor: 'U0OPERATOR', reason: 'duplicate' });
    expect(resolved.removed).toBe(true);
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '1', 1: '-1' });
  });

  it('a trace id whose newest copy is resolved means the newest copy still waiting', async () => {
    await env.bench.produce(topic, [1, 2, 3].map((n) => ({ partition: 0, value: JSON.stringify({ trace_id: 'evt-back', attempt: n }) })));
    const deps = depsFor();
    const resolution = (offset: number) => ({
      queue: 'orders-dlq', messageKey: `0:${offset}`, traceId: 'evt-back', partition: 0, offset: String(offset),
      body: null, attributes: {}, resolvedBy: 'U0OPERATOR', reason: 'processed', resolvedAt: new Date(),
    });
    await env.store.recordResolution(resolution(2));
    expect((await viewMessage(depsFor(), 'orders-dlq', 'evt-back', 'U0VIEWER')).messageKey).toBe('0:1');
    await env.store.recordResolution(resolution(1));
    await env.store.recordResolution(resolution(0));
    // Every copy resolved: the newest; the index's entry (0:1, resolved since) does not hide it.
    expect((await viewMessage(deps, 'orders-dlq', 'evt-back', 'U0VIEWER')).messageKey).toBe('0:2');
    // It comes back once more: the new copy is the one meant.
    await env.bench.produce(topic, [{ partition: 0, value: JSON.stringify({ trace_id: 'evt-back', attempt: 4 }) }]);
    expect((await viewMessage(deps, 'orders-dlq', 'evt-back', 'U0VIEWER')).messageKey).toBe('0:3');
    const resolved = await resolveMessage(deps, { queue: 'orders-dlq', id: 'evt-back', actor: 'U0OPERATOR', reason: 'reprocessed' });
    expect(resolved).toMatchObject({ message: { messageKey: '0:3' }, alreadyResolved: false, removed: true });
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '4', 1: '-1' });
  });

  it('a trace id longer than 256 characters is found exactly, by the topic and then by the index; one sharing its first 256 is not', async () => {
    const prefix = `evt-${uniqueName('long')}-`.padEnd(256, 'p');
    const wanted = `${prefix}${'w'.repeat(300)}`;
    const sibling = `${prefix}${'s'.repeat(300)}`;
    const huge = `${prefix}${randomBytes(4_000).toString('hex')}`;
    await env.bench.produce(topic, [
      { partition: 0, value: JSON.stringify({ trace_id: sibling, final_error: 'HTTP 404' }) },
      { partition: 1, value: JSON.stringify({ trace_id: wanted, final_error: 'timeout' }) },
      { partition: 0, value: JSON.stringify({ trace_id: huge, final_error: 'HTTP 410' }) },
    ]);
    const deps = depsFor();
    // Nobody peeked: the topic is read, trace ids compared whole.
    expect(await viewMessage(deps, 'orders-dlq', wanted, 'U0VIEWER')).toMatchObject({ messageKey: '1:0' });
    expect(await viewMessage(deps, 'orders-dlq', huge, 'U0VIEWER')).toMatchObject({ messageKey: '0:1' });
    // Now from the message index (the view indexed them), exactly.
    expect(await env.store.findIndexedMessage('orders-dlq', wanted)).toMatchObject({ messageKey: '1:0', traceId: wanted });
    expect(await env.store.findIndexedMessage('orders-dlq', huge)).toMatchObject({ messageKey: '0:1', traceId: huge });
    expect(await viewMessage(deps, 'orders-dlq', wanted, 'U0VIEWER')).toMatchObject({ messageKey: '1:0' });
    await expect(viewMessage(deps, 'orders-dlq', prefix, 'U0VIEWER')).rejects.toMatchObject({ code: 'DLQ_MESSAGE_NOT_FOUND' });
    // Replay and resolve by the long id act on that message.
    const replayed = await replayMessage(deps, { queue: 'orders-dlq', id: sibling, actor: 'U0OPERATOR' });
    expect(replayed.message.messageKey).toBe('0:0');
    const resolved = await resolveMessage(deps, { queue: 'orders-dlq', id: huge, actor: 'U0OPERATOR', reason: 'expired' });
    expect(resolved.message.messageKey).toBe('0:1');
  });
});
