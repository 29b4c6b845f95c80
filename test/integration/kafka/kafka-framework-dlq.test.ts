// DLQs written by frameworks, on the real broker: Kafka Connect and Spring Kafka dead-letter records
// (headers byte for byte as the frameworks write them) and a Confluent Avro value. Peek, view and
// analyze show the framework's failure metadata and the binary payload as what it is; with no
// replayTopic configured, replay goes to the original topic the headers name only once the operator
// confirms it, and sends key, value and headers exactly as received.

import { beforeEach, describe, expect, it } from 'vitest';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import type { CommandContext } from '../../../src/app/shared/command-context.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { replayMessage } from '../../../src/app/messages/replay-message.use-case.ts';
import { resolveMessage } from '../../../src/app/messages/resolve-message.use-case.ts';
import { createRedriveJob } from '../../../src/app/jobs/redrive-job-params.ts';
import { runRedriveJob } from '../../../src/app/jobs/redrive-job.ts';
import { isRedriveError } from '../../../src/errors.ts';
import { confluentAvroValue, connectDlqHeaders, exampleConnectFailure, exampleSpringFailure, springDltHeaders } from '../../fixtures/kafka-framework-records.ts';
import { kafkaClients, kafkaQueueDeps, services, uniqueName, useKafkaTestEnv, type KafkaMessage } from './kafka-test-env.ts';

const cli: CommandContext = { actor: 'cli:alice', channelId: null, transport: 'cli' };
const QUEUE = 'mixed-dlq';

const rawHeaders = (record: KafkaMessage): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]));

describe.skipIf(!services)('Kafka DLQs written by Kafka Connect and Spring Kafka', () => {
  const env = useKafkaTestEnv();
  let dlqTopic: string;
  let orders: string;
  let payments: string;
  let group: string;
  let connect: Record<string, Buffer>;
  let spring: Record<string, Buffer>;
  const avro = confluentAvroValue(42, { id: 7, name: 'café', amount: 19.99 });
  const binaryKey = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x09, 0xfe, 0x01]);

  beforeEach(async () => {
    dlqTopic = await env.bench.createTopic('fw-dlq', 1);
    orders = await env.bench.createTopic('fw-orders', 1);
    payments = await env.bench.createTopic('fw-payments', 1);
    group = uniqueName('fw-group');
    env.clients = kafkaClients();
    connect = connectDlqHeaders(exampleConnectFailure(orders));
    spring = springDltHeaders(exampleSpringFailure(payments));
    await env.bench.produce(dlqTopic, [
      { value: '{"order_id":1,"total":"x"}', key: 'order-1', headers: connect },
      { value: '{"order_id":2,"total":"y"}', key: 'order-2', headers: connect },
      { value: avro, key: binaryKey, headers: { ...spring, 'content-type': Buffer.from('application/vnd.confluent.avro') } },
      { value: '{"trace_id":"plain-1","error_message":"no framework here"}', key: 'plain-1' },
    ]);
  });

  const deps = () => kafkaQueueDeps({ name: QUEUE, topic: dlqTopic, group, clients: env.clients!, store: env.store });

  it('peek, view and analyze show the framework metadata and the binary value as what it is', async () => {
    const ops = createQueueOperations(deps());
    const peek = renderReplyForTerminal(await ops.peek!({ op: 'peek', queue: QUEUE, count: 10 }, cli));
    expect(peek).toContain(`Kafka Connect · org.apache.kafka.connect.errors.DataException · original topic ${orders}`);
    expect(peek).toContain(`Spring Kafka · org.springframework.kafka.listener.ListenerExecutionFailedException · original topic ${payments}`);
    expect(peek).toContain(`binary, ${avro.length} bytes, Confluent schema id 42: 00 00 00 00 2a`);

    const view = renderReplyForTerminal(await ops.view!({ op: 'view', queue: QUEUE, id: '0:2' }, cli));
    expect(view).toMatch(/written by\s+Spring Kafka/);
    expect(view).toMatch(/original partition\s+0/);
    expect(view).toMatch(/original offset\s+77/);
    expect(view).toMatch(new RegExp(`original timestamp\\s+${new Date(1_767_607_100_123).toISOString().replace(/\./g, '\\.')}`));
    expect(view).toMatch(/key\s+binary, 7 bytes, Confluent schema id 9: 00 00 00 00 09 fe 01/);
    expect(view).toMatch(new RegExp(`replay goes to\\s+${payments} \\(original topic`));
    expect(view).toContain('0000  00 00 00 00 2a');
    expect(view).toContain('Body is binary (not text)');
    // No raw control character from the binary value reaches the reply.
    expect(view).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);

    const analysis = renderReplyForTerminal(await ops.analyze!({ op: 'analyze', queue: QUEUE }, cli));
    expect(analysis).toMatch(/EXCEPTION CLASS \/ ERROR CODE\s+COUNT\s+SHARE\s+TOP ORIGINAL TOPIC \/ FAILED IN/);
    expect(analysis).toMatch(new RegExp(`org\\.apache\\.kafka\\.connect\\.errors\\.DataException\\s+2\\s+50%\\s+${orders}`));
    expect(analysis).toMatch(new RegExp(`${payments}\\s+Spring Kafka\\s+1\\s+25%\\s+org\\.springframework`));
    expect(analysis).toMatch(/\(no framework metadata\)\s+-\s+1\s+25%/);
  });

  it('replays to the original topic only once confirmed, and the Avro record arrives byte for byte', async () => {
    const ops = createQueueOperations(deps());
    const empty = async (topic: string) => (await env.bench.admin.fetchTopicOffsets(topic)).every((p) => p.high === '0');

    // Not confirmed: nothing is sent, the reply names the original topic and how to confirm.
    const asked = renderReplyForTerminal(await ops.replay!({ op: 'replay', queue: QUEUE, id: '0:2' }, cli));
    expect(asked).toContain(`names ${payments} as its original topic`);
    expect(asked).toContain(`redrive dlq replay ${QUEUE} 0:2 --to ${payments}`);
    const wrong = renderReplyForTerminal(await ops.replay!({ op: 'replay', queue: QUEUE, id: '0:2', to: orders }, cli));
    expect(wrong).toContain(`names ${payments} as its original topic`);
    expect(await empty(payments)).toBe(true);
    expect(await empty(orders)).toBe(true);

    const done = renderReplyForTerminal(await ops.replay!({ op: 'replay', queue: QUEUE, id: '0:2', to: payments }, cli));
    expect(done).toContain(`Replayed 0:2 to ${payments} (original topic)`);
    const [copy] = await env.bench.readAll(payments, 1);
    expect(copy!.value).toEqual(avro);
    expect(copy!.key).toEqual(binaryKey);
    const headers = rawHeaders(copy!);
    for (const [name, bytes] of Object.entries(spring)) expect(headers[name], name).toEqual(bytes);
    expect(headers['content-type']).toEqual(Buffer.from('application/vnd.confluent.avro'));
    expect(headers['x-redrive-origin-topic']?.toString()).toBe(dlqTopic);
    expect(headers['x-redrive-origin-offset']?.toString()).toBe('2');
    // The DLQ offset is not committed: the message stays until resolved.
    expect(await env.bench.committed(group, dlqTopic)).toEqual({ 0: '-1' });

    const connectCopy = await replayMessage(deps(), { queue: QUEUE, id: '0:0', actor: 'cli:alice', confirmedDestination: orders });
    expect(connectCopy.destination).toBe(`${orders} (original topic)`);
    const [order] = await env.bench.readAll(orders, 1);
    expect(order!.value?.toString()).toBe('{"order_id":1,"total":"x"}');
    expect(rawHeaders(order!)['__connect.errors.exception.class.name']?.toString()).toBe('org.apache.kafka.connect.errors.DataException');

    // Resolving the Avro record archives its bytes, not the lossy text.
    await resolveMessage(deps(), { queue: QUEUE, id: '0:2', actor: 'cli:alice', reason: 'replayed' });
    const archived = (await env.store.getResolution(QUEUE, '0:2'))?.attributes as { valueBase64?: string; keyBase64?: string } | undefined;
    expect(Buffer.from(archived?.valueBase64 ?? '', 'base64')).toEqual(avro);
    expect(Buffer.from(archived?.keyBase64 ?? '', 'base64')).toEqual(binaryKey);
  });

  it('refuses what it cannot confirm: a message naming no original topic, and bulk replay', async () => {
    const error = await replayMessage(deps(), { queue: QUEUE, id: '0:3', actor: 'cli:alice', confirmedDestination: orders }).catch((e: unknown) => e);
    expect(isRedriveError(error) && error.code).toBe('DLQ_REPLAY_NO_DESTINATION');
    const bulk = await createRedriveJob(deps(), QUEUE, { actor: 'cli:alice', count: 4 }).catch((e: unknown) => e);
    expect(isRedriveError(bulk) && bulk.code).toBe('DLQ_OPERATION_UNSUPPORTED');
    expect(await env.store.listJobs({ queue: QUEUE })).toEqual([]);
    expect((await env.bench.admin.fetchTopicOffsets(orders)).every((p) => p.high === '0')).toBe(true);
  });

  it('with a replay topic, a bulk replay sends the binary Avro record byte for byte too', async () => {
    const pending = await env.bench.createTopic('fw-pending', 1);
    const withTopic = kafkaQueueDeps({ name: QUEUE, topic: dlqTopic, group, replayTopic: pending, clients: env.clients!, store: env.store });
    // --to naming another topic than the configured one is refused, never ignored.
    const other = await replayMessage(withTopic, { queue: QUEUE, id: '0:2', actor: 'cli:alice', confirmedDestination: payments }).catch((e: unknown) => e);
    expect(isRedriveError(other) && other.code).toBe('DLQ_OPERATION_UNSUPPORTED');
    const job = await createRedriveJob(withTopic, QUEUE, { actor: 'cli:alice', count: 4, ratePerSecond: 100 });
    const result = await runRedriveJob(withTopic, job.id);
    expect(result.failed).toEqual([]);
    const copies = await env.bench.readAll(pending, 4);
    const avroCopy = copies.find((c) => rawHeaders(c)['x-redrive-origin-offset']?.toString() === '2');
    expect(avroCopy!.value).toEqual(avro);
    expect(avroCopy!.key).toEqual(binaryKey);
    for (const [name, bytes] of Object.entries(spring)) expect(rawHeaders(avroCopy!)[name], name).toEqual(bytes);
  });
});
