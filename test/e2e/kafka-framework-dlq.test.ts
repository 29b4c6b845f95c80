// A mixed Kafka DLQ written by Kafka Connect and Spring Kafka (headers byte for byte as the frameworks
// write them, one Confluent Avro value), worked end to end with no replayTopic configured: through
// signed Slack requests (peek, analyze, View, Replay buttons whose confirm dialog names the original
// topic, /dlq replay answered with a confirmation) and from a terminal (bin/redrive peek, view,
// analyze, replay without and with --to). Replayed records are compared byte for byte on the topic.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_ACTIONS, MESSAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { confluentAvroValue, connectDlqHeaders, exampleConnectFailure, exampleSpringFailure, springDltHeaders } from '../fixtures/kafka-framework-records.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig, type KafkaMessage } from '../integration/kafka/kafka-test-env.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sendBlockActions, sendSlashCommand } from '../support/signed-slack.ts';
import { buildBlockActions, buttonAction, newSlackTs } from '../support/slack-payloads.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { buttonsIn, shown, startKafkaSlackE2e, type KafkaSlackE2e } from '../support/slack-e2e-app.ts';

const QUEUE = 'mixed-dlq';
const CHANNEL = 'C_ALERTS';

const rawHeaders = (record: KafkaMessage): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]));

describe.skipIf(!services)('a Kafka Connect + Spring Kafka DLQ end to end (real broker, Slack and terminal)', () => {
  let bench: KafkaTestBench;
  let e2e: KafkaSlackE2e;
  let slack: KafkaSlackE2e['slack'];
  let app: KafkaSlackE2e['app'];
  let dir: string;
  let dlqTopic: string;
  let orders: string;
  let payments: string;
  let configPath: string;
  let spring: Record<string, Buffer>;
  const avro = confluentAvroValue(42, { id: 7, name: 'café', amount: 19.99 });
  const binaryKey = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x09, 0xfe, 0x01]);
  const peekTs = newSlackTs();
  const replayValues = new Map<string, { value: string; confirm: unknown }>();
  const viewValues = new Map<string, string>();
  const terminal = (...args: string[]) => runRedrive(['dlq', ...args, '--config', configPath], { env: { LOG_LEVEL: 'error' }, timeoutMs: 45_000 });

  const click = (actionId: string, value: string, messageTs = peekTs) =>
    sendBlockActions(
      app.url,
      TEST_SIGNING_SECRET,
      buildBlockActions({ channel_id: CHANNEL, message: { ts: messageTs }, actions: [buttonAction({ action_id: actionId, value })], response_url: slack.mintResponseUrl({ channel: CHANNEL, messageTs }) }),
    );

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-fw-dlq');
    orders = await bench.createTopic('e2e-fw-orders');
    payments = await bench.createTopic('e2e-fw-payments');
    const connect = connectDlqHeaders(
      exampleConnectFailure(orders, {
        taskId: 1,
        stage: 'TASK_PUT',
        executingClass: 'io.confluent.connect.jdbc.sink.JdbcSinkTask',
        exceptionClass: 'org.apache.kafka.connect.errors.ConnectException',
        exceptionMessage: 'java.sql.SQLException: Column "total" cannot be null',
      }),
    );
    spring = springDltHeaders(exampleSpringFailure(payments));
    await bench.produce(dlqTopic, [
      { key: 'order-1', value: '{"order_id":1,"total":null}', headers: connect },
      { key: binaryKey, value: avro, headers: spring },
      { key: 'order-2', value: '{"order_id":2,"total":null}', headers: connect },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'redrive-e2e-fw-'));
    const group = uniqueName('e2e-fw');
    // No replayTopic: replays go to the original topics the headers name, once confirmed.
    e2e = await startKafkaSlackE2e('e2e-fw', { bench, clientId: 'redrive-e2e-fw', queue: { name: QUEUE, topic: dlqTopic, group, replayTopic: null } });
    ({ app, slack } = e2e);
    configPath = writeKafkaQueueConfig(dir, { name: QUEUE, topic: dlqTopic, group });
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
    await bench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('/dlq peek shows each framework failure and the binary value; Replay buttons name the original topic', async () => {
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: `peek ${QUEUE} --count 10`, channel_id: CHANNEL, response_url: slack.mintResponseUrl({ channel: CHANNEL }) });
    const [answer] = await slack.waitForCalls('response_url', 1, 30_000);
    expect(answer?.status).toBe(200);
    const text = shown(answer);
    expect(text).toContain(`Kafka Connect · org.apache.kafka.connect.errors.ConnectException · original topic ${orders}`);
    expect(text).toContain(`Spring Kafka · org.springframework.kafka.listener.ListenerExecutionFailedException · original topic ${payments}`);
    expect(text).toContain(`binary, ${avro.length} bytes, Confluent schema id 42`);
    // No Bulk replay… button: each original topic is confirmed one message at a time.
    expect(buttonsIn(answer).map((b) => b.action_id)).not.toContain(JOB_ACTIONS.bulkReplay);
    for (const b of buttonsIn(answer)) {
      const ref = JSON.parse(b.value) as { id: string };
      if (b.action_id === MESSAGE_ACTIONS.replay) replayValues.set(ref.id, { value: b.value, confirm: b.confirm });
      if (b.action_id === MESSAGE_ACTIONS.view) viewValues.set(ref.id, b.value);
    }
    expect(JSON.parse(replayValues.get('0:1')?.value ?? '{}')).toEqual({ q: QUEUE, id: '0:1', to: payments });
    expect(JSON.stringify(replayValues.get('0:1')?.confirm)).toContain(`to ${payments}, the original topic its headers name`);
    expect(JSON.parse(replayValues.get('0:0')?.value ?? '{}')).toMatchObject({ to: orders });
  }, 40_000);

  it('/dlq analyze groups the mixed DLQ by exception class and original topic', async () => {
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: `analyze ${QUEUE}`, channel_id: CHANNEL, response_url: slack.mintResponseUrl({ channel: CHANNEL }) });
    const answer = await waitFor(() => slack.callsTo('response_url').find((c) => shown(c).includes('Analysis of')), { timeoutMs: 30_000, description: 'analysis' });
    const text = shown(answer);
    expect(text).toContain('By exception class / error code and original topic / where it failed');
    expect(text).toMatch(new RegExp(`org\\.apache\\.kafka\\.connect\\.errors\\.ConnectException\\s+2\\s+67%\\s+${orders}`));
    expect(text).toMatch(new RegExp(`${payments}\\s+Spring Kafka\\s+1\\s+33%`));
  }, 40_000);

  it('View shows the decoded Spring headers and the Avro value as hex with its schema id', async () => {
    await click(MESSAGE_ACTIONS.view, viewValues.get('0:1') ?? '');
    const [update] = await slack.waitForCalls('views.update', 1, 30_000);
    expect((update?.response as { ok: boolean }).ok).toBe(true);
    const text = shown(update);
    expect(text).toMatch(/written by\s+Spring Kafka/);
    expect(text).toMatch(/original offset\s+77/);
    expect(text).toMatch(/original consumer group\s+payments-service/);
    expect(text).toContain('0000  00 00 00 00 2a');
    expect(text).toMatch(new RegExp(`replay goes to\\s+${payments}`));
  }, 40_000);

  it('Edit and replay refuses a binary body instead of putting mangled text in a form', async () => {
    const before = slack.callsTo('views.update').length;
    await click(MESSAGE_ACTIONS.editReplay, viewValues.get('0:1') ?? '');
    const calls = await slack.waitForCalls('views.update', before + 1, 30_000);
    expect(shown(calls[before])).toContain(`This body is binary (${avro.length} bytes, not text)`);
  }, 40_000);

  it('the confirmed Replay button sends the Avro record to its original topic byte for byte', async () => {
    await click(MESSAGE_ACTIONS.replay, replayValues.get('0:1')?.value ?? '');
    const [copy] = await bench.readAll(payments, 1);
    expect(copy!.value).toEqual(avro);
    expect(copy!.key).toEqual(binaryKey);
    const headers = rawHeaders(copy!);
    for (const [name, bytes] of Object.entries(spring)) expect(headers[name], name).toEqual(bytes);
    expect(headers['x-redrive-replayed-by']?.toString()).toBe('U_ALICE');
  }, 40_000);

  it('/dlq replay without confirmation sends nothing and answers with a button that names the topic', async () => {
    const url = slack.mintResponseUrl({ channel: CHANNEL });
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: `replay ${QUEUE} 0:0`, channel_id: CHANNEL, response_url: url });
    const answer = await waitFor(() => slack.callsTo('response_url').find((c) => c.url === url), { timeoutMs: 30_000, description: 'replay answer' });
    expect(shown(answer)).toContain('Not replayed yet');
    expect((await bench.admin.fetchTopicOffsets(orders)).map((p) => p.high)).toEqual(['0']);
    const [button] = buttonsIn(answer).filter((b) => b.action_id === MESSAGE_ACTIONS.replay);
    expect(JSON.parse(button?.value ?? '{}')).toEqual({ q: QUEUE, id: '0:0', to: orders });
    await click(MESSAGE_ACTIONS.replay, button?.value ?? '', newSlackTs());
    const [copy] = await bench.readAll(orders, 1);
    expect(copy!.value?.toString()).toBe('{"order_id":1,"total":null}');
    expect(rawHeaders(copy!)['__connect.errors.connector.name']?.toString()).toBe('orders-jdbc-sink');
  }, 60_000);

  it('the terminal shows the same and replays only with --to naming the original topic', async () => {
    const peek = await terminal('peek', QUEUE);
    expect(peek.code).toBe(0);
    expect(peek.stdout).toContain(`Kafka Connect · org.apache.kafka.connect.errors.ConnectException · original topic ${orders}`);
    const view = await terminal('view', QUEUE, '0:2');
    expect(view.stdout).toMatch(/connector\s+orders-jdbc-sink/);
    expect(view.stdout).toMatch(/stage\s+TASK_PUT/);
    const analyze = await terminal('analyze', QUEUE);
    expect(analyze.stdout).toMatch(/ORIGINAL TOPIC \/ FAILED IN\s+WRITTEN BY\s+COUNT/);

    const unconfirmed = await terminal('replay', QUEUE, '0:2');
    expect(unconfirmed.stdout).toContain(`redrive dlq replay ${QUEUE} 0:2 --to ${orders}`);
    expect((await bench.admin.fetchTopicOffsets(orders)).map((p) => p.high)).toEqual(['1']);
    const confirmed = await terminal('replay', QUEUE, '0:2', '--to', orders);
    expect(confirmed.stdout).toContain(`Replayed 0:2 to ${orders} (original topic)`);
    const copies = await bench.readAll(orders, 2);
    expect(copies.map((c) => c.value?.toString()).sort()).toEqual(['{"order_id":1,"total":null}', '{"order_id":2,"total":null}']);
  }, 120_000);
});
