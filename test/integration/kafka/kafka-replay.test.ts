// Replaying Kafka DLQ messages on a real broker (runbook `dlq.cli replay`): a copy goes to the replay
// topic with retry count 0, the same key and origin headers; the DLQ offset is not committed. Also
// through the app layer's replay and resolve use cases on a KafkaQueueBackend.

import { beforeEach, describe, expect, it } from 'vitest';
import { KafkaReplayTarget } from '../../../src/adapters/outbound/kafka/kafka-replay-target.ts';
import type { KafkaDeadLetterQueue } from '../../../src/adapters/outbound/kafka/kafka-dead-letter-queue.ts';
import { replayMessage } from '../../../src/app/messages/replay-message.use-case.ts';
import { resolveMessage } from '../../../src/app/messages/resolve-message.use-case.ts';
import { DEFAULT_FIELD_MAPPING } from '../../../src/core/analysis/field-mapping.ts';
import { isRedriveError } from '../../../src/errors.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { downloadDlqBody, RUNBOOK_EXAMPLES } from '../../fixtures/download-dlq-body.ts';
import { kafkaClients, kafkaDlq, kafkaQueueDeps, services, uniqueName, useKafkaTestEnv, type KafkaMessage } from './kafka-test-env.ts';

const failedAt = new Date('2026-01-05T10:00:00.000Z');
const exhausted = (traceId: string): string => JSON.stringify(downloadDlqBody({ ...RUNBOOK_EXAMPLES.timeout, traceId, failedAt }));
const headersOf = (record: KafkaMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k, String(v)]));

describe.skipIf(!services)('Kafka replay', () => {
  const env = useKafkaTestEnv();
  let dlq: KafkaDeadLetterQueue;
  let topic: string;
  let replayTopic: string;
  let group: string;
  let target: KafkaReplayTarget;

  const held = async (...keys: string[]): Promise<DlqMessage[]> => (await dlq.checkout(keys, { timeoutMs: 5_000 })).found.map((h) => h.message);

  beforeEach(async () => {
    topic = await env.bench.createTopic('replay-dlq', 1);
    replayTopic = await env.bench.createTopic('replay-pending', 3);
    group = uniqueName('replay-group');
    env.clients = kafkaClients();
    ({ dlq } = kafkaDlq({ topic, group, store: env.store, clients: env.clients }));
    target = new KafkaReplayTarget({ clients: env.clients, topic: replayTopic, originTopic: topic, mapping: DEFAULT_FIELD_MAPPING });
  });

  it('produces a copy with retry count 0, the same key and origin headers; the DLQ offset is not committed', async () => {
    await env.bench.produce(topic, [
      { value: exhausted('evt-timeout-789'), key: 'evt-timeout-789', headers: { 'content-type': 'application/json', retry_count: '4' } },
    ]);
    await env.bench.setCommitted(group, topic, { 0: 0 });
    const [message] = await held('0:0');

    const sent = await target.send([{ source: message!, body: message!.body, actor: 'U0OPERATOR', jobId: 'job-1' }]);
    expect(sent.failed).toEqual([]);
    expect(sent.accepted).toEqual([{ messageKey: '0:0', destinationId: expect.stringMatching(new RegExp(`^${replayTopic}/\\d@0$`)) }]);
    expect(target.description).toBe(`kafka:${replayTopic}`);

    const [copy] = await env.bench.readAll(replayTopic, 1);
    expect(copy?.key?.toString()).toBe('evt-timeout-789');
    const body = JSON.parse(copy?.value?.toString() ?? '{}');
    expect(body.retry_count).toBe(0);
    expect(body.original_task.retry_count).toBe(0);
    expect({ ...body, retry_count: 4, original_task: { ...body.original_task, retry_count: 4 } }).toEqual(JSON.parse(message!.body));
    expect(headersOf(copy!)).toEqual({
      'content-type': 'application/json',
      retry_count: '0',
      'x-redrive-origin-topic': topic,
      'x-redrive-origin-partition': '0',
      'x-redrive-origin-offset': '0',
      'x-redrive-replayed-by': 'U0OPERATOR',
      'x-redrive-job-id': 'job-1',
    });

    expect(await env.bench.committed(group, topic)).toEqual({ 0: '0' });
    expect((await dlq.peek({ limit: 5, timeoutMs: 5_000 })).map((m) => m.messageKey)).toEqual(['0:0']);
  });

  it('keeps one key’s messages in order on one partition and replaces stale replay headers', async () => {
    await env.bench.produce(topic, [
      ...Array.from({ length: 6 }, (_, i) => ({ value: JSON.stringify({ trace_id: 'same', n: i, retry_count: 4 }), key: 'evt-same' })),
      { value: '{"n":"other"}', key: null, headers: { 'x-redrive-replayed-by': 'U0EARLIER', 'x-redrive-job-id': 'old-job' } },
    ]);
    const messages = await held('0:0', '0:1', '0:2', '0:3', '0:4', '0:5', '0:6');
    const sent = await target.send(messages.map((m) => ({ source: m, body: m.body, actor: 'cli:alice', jobId: null })));
    expect(sent.accepted).toHaveLength(7);

    const copies = await env.bench.readAll(replayTopic, 7);
    const keyed = copies.filter((c) => c.key?.toString() === 'evt-same');
    expect(new Set(keyed.map((c) => c.partition)).size).toBe(1);
    expect(keyed.map((c) => JSON.parse(c.value?.toString() ?? '{}').n)).toEqual([0, 1, 2, 3, 4, 5]);
    const other = copies.find((c) => c.key === null);
    expect(headersOf(other!)).toMatchObject({ 'x-redrive-replayed-by': 'cli:alice', 'x-redrive-origin-offset': '6' });
    expect(headersOf(other!)['x-redrive-job-id']).toBeUndefined();
  });

  it('replays non-JSON bodies as they are, byte for byte, and edited bodies with their retry count reset', async () => {
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x41, 0x80]);
    await env.bench.produce(topic, [
      { value: 'plain text, not json', key: 'k-text' },
      { value: binary, key: Buffer.from([0xde, 0xad]) },
      { value: exhausted('evt-edit') },
    ]);
    const [text, bytes, json] = await held('0:0', '0:1', '0:2');
    const edited = JSON.stringify({ ...JSON.parse(json!.body), attachment_url: 'https://example.com/new-url.pdf' });
    const sent = await target.send([
      { source: text!, body: text!.body, actor: 'U0A', jobId: null },
      { source: bytes!, body: bytes!.body, actor: 'U0A', jobId: null },
      { source: json!, body: edited, actor: 'U0A', jobId: null },
    ]);
    expect(sent.accepted).toHaveLength(3);

    const copies = await env.bench.readAll(replayTopic, 3);
    const byOrigin = (offset: string) => copies.find((c) => headersOf(c)['x-redrive-origin-offset'] === offset)!;
    expect(byOrigin('0').value?.toString()).toBe('plain text, not json');
    expect(byOrigin('1').value).toEqual(binary);
    expect(byOrigin('1').key).toEqual(Buffer.from([0xde, 0xad]));
    const replayedEdit = JSON.parse(byOrigin('2').value?.toString() ?? '{}');
    expect(replayedEdit).toMatchObject({ attachment_url: 'https://example.com/new-url.pdf', retry_count: 0, original_task: { retry_count: 0 } });
  });

  it('refuses before sending anything when the replay topic does not exist', async () => {
    await env.bench.produce(topic, [{ value: exhausted('evt-1') }]);
    const [message] = await held('0:0');
    const missing = new KafkaReplayTarget({ clients: env.clients!, topic: uniqueName('no-such-pending'), originTopic: topic, mapping: DEFAULT_FIELD_MAPPING });
    const error = await missing.send([{ source: message!, body: message!.body, actor: 'U0A', jobId: null }]).catch((e: unknown) => e);
    expect(isRedriveError(error) && error.code).toBe('DLQ_QUEUE_MISSING');
    expect(await target.send([])).toEqual({ accepted: [], failed: [] });
  });

  it('through the app layer: replay leaves the message in the DLQ, resolve commits it', async () => {
    await env.bench.produce(topic, [{ value: exhausted('evt-abc-123'), key: 'evt-abc-123' }, { value: exhausted('evt-abc-124'), key: 'evt-abc-124' }]);
    const deps = kafkaQueueDeps({ name: 'downloads-dlq', topic, group, replayTopic, clients: env.clients!, store: env.store });

    const replayed = await replayMessage(deps, { queue: 'downloads-dlq', id: '0:0', actor: 'U0OPERATOR' });
    expect(replayed).toMatchObject({ destination: `kafka:${replayTopic}`, removed: false, removeError: null });
    expect((await env.bench.readAll(replayTopic, 1))[0]?.key?.toString()).toBe('evt-abc-123');
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '-1' });
    expect(await env.store.listReplays('downloads-dlq')).toHaveLength(1);

    // By trace id through the message index the replay wrote.
    const resolved = await resolveMessage(deps, { queue: 'downloads-dlq', id: 'evt-abc-123', actor: 'U0OPERATOR', reason: 'replayed and downloaded' });
    expect(resolved).toMatchObject({ removed: true, removeError: null, alreadyResolved: false });
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '1' });
    expect((await deps.registry.get('downloads-dlq').dlq.status()).depth).toBe(1);
    const audit = await env.store.searchAudit({ queue: 'downloads-dlq' });
    expect(audit.map((a) => [a.action, a.result, a.partition, a.offset])).toEqual([
      ['resolve', 'success', 0, '0'],
      ['replay', 'success', 0, '0'],
    ]);
  });
});
