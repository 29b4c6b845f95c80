// The message buttons on a Kafka DLQ on the real broker: peek lists the runbook table with View /
// Replay / Resolve under each message (id = partition:offset), View shows partition, offset and the
// mapped runbook fields, Replay produces one copy to the replay topic however often it is clicked,
// and Resolve with a reason marks the message resolved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import type { Runtime } from '../../src/main.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services } from '../integration/kafka/kafka-test-env.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sendBlockActions, sendSlashCommand, sendViewSubmission } from '../support/signed-slack.ts';
import type { SlackApiServer } from '../support/slack-api-server.ts';
import { buildBlockActions, buildViewSubmission, buttonAction, newSlackTs, plainTextValue, stateValues } from '../support/slack-payloads.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { buttonsIn, shown, startKafkaSlackE2e, viewOf } from '../support/slack-e2e-app.ts';

const QUEUE = 'downloads-dlq';
const CHANNEL = 'C_ALERTS';

describe.skipIf(!services)('message buttons on a Kafka DLQ end to end (real broker)', () => {
  let bench: KafkaTestBench;
  let e2e: Awaited<ReturnType<typeof startKafkaSlackE2e>>;
  let slack: SlackApiServer;
  let app: Runtime;
  let replayTopic: string;
  const traces = [uniqueName('evt-timeout'), uniqueName('evt-expired'), uniqueName('evt-filetype')];
  const peekTs = newSlackTs();
  const values = new Map<string, string>();

  const click = (actionId: string, id: string, responseUrl = slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs })) =>
    sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({ channel_id: CHANNEL, message: { ts: peekTs }, actions: [buttonAction({ action_id: actionId, value: values.get(id) ?? '' })], response_url: responseUrl }));

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    const dlqTopic = await bench.createTopic('e2e-buttons-dlq');
    replayTopic = await bench.createTopic('e2e-buttons-pending');
    const failedAt = new Date(Date.now() - 3_600_000);
    await bench.produce(dlqTopic, [
      { key: traces[0], value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: traces[0] ?? '', failedAt }) },
      { key: traces[1], value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.expiredUrl, traceId: traces[1] ?? '', failedAt }) },
      { key: traces[2], value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.fileType, traceId: traces[2] ?? '', failedAt }) },
    ]);
    e2e = await startKafkaSlackE2e('kafka-buttons', { bench, queue: { name: QUEUE, topic: dlqTopic, group: uniqueName('e2e-buttons'), replayTopic }, roles: { admins: ['U_ALICE'], viewers: 'everyone' } });
    ({ app, slack } = e2e);
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
    await bench?.close();
  });

  it('peek keeps the runbook table and puts View / Replay / Resolve under each message, by partition:offset', async () => {
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: `peek ${QUEUE} --count 10`, channel_id: CHANNEL, response_url: responseUrl });
    const [answer] = await slack.waitForCalls('response_url', 1, 30_000);
    expect(answer?.status).toBe(200);
    expect(shown(answer)).toMatch(/Partition +Offset +Trace ID/);
    for (const b of buttonsIn(answer).filter((x) => x.action_id === MESSAGE_ACTIONS.view)) values.set((JSON.parse(b.value) as { id: string }).id, b.value);
    expect([...values.keys()]).toEqual(['0:0', '0:1', '0:2']);
    // The Replay confirm says what Kafka does: a copy to the replay topic, the record stays until resolved.
    const confirms = buttonsIn(answer).filter((x) => x.action_id === MESSAGE_ACTIONS.replay).map((x) => JSON.stringify(x.confirm));
    expect(confirms).toHaveLength(3);
    for (const confirm of confirms) {
      expect(confirm).toContain('A copy is produced to the replay topic; the message stays in the DLQ topic until it is resolved.');
      expect(confirm).not.toMatch(/deleted|out of the DLQ/);
    }
  }, 40_000);

  it('View shows partition/offset and the mapped runbook fields', async () => {
    await click(MESSAGE_ACTIONS.view, '0:1');
    const [update] = await slack.waitForCalls('views.update', 1, 30_000);
    expect((update?.response as { ok: boolean }).ok).toBe(true);
    const text = shown(update);
    expect(text).toMatch(/partition\/offset\s+0\/1/);
    expect(text).toContain(traces[1]);
  }, 40_000);

  it('Replay clicked twice produces one copy to the replay topic; the second click is told', async () => {
    const urls = [slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs }), slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs })];
    await Promise.all(urls.map((url) => click(MESSAGE_ACTIONS.replay, '0:0', url)));
    const told = await waitFor(() => slack.callsTo('response_url').find((c) => urls.includes(c.url ?? '') && shown(c).includes('Already replayed')), { timeoutMs: 30_000, description: 'second click told' });
    expect(shown(told)).toContain('<@U_ALICE>');
    const copies = await bench.readAll(replayTopic, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(copies.filter((m) => m.key?.toString() === traces[0])).toHaveLength(1);
    expect((await app.store.searchAudit({ queue: QUEUE, action: 'replay', limit: 5 })).filter((r) => r.result === 'success')).toHaveLength(1);
  }, 60_000);

  it('Resolve with a reason marks the message resolved', async () => {
    await click(MESSAGE_ACTIONS.resolve, '0:2');
    const [open] = await slack.waitForCalls('views.open', 2, 20_000).then((calls) => calls.slice(1));
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.resolve);
    expect(shown(open)).toContain("the consumer group's offset is committed up to the lowest unresolved offset; the record itself stays in the topic");
    expect(shown(open)).not.toContain('deleted from the DLQ');
    await sendViewSubmission(app.url, TEST_SIGNING_SECRET, buildViewSubmission({ callback_id: view.callback_id, private_metadata: view.private_metadata, values: stateValues(['reason', 'reason', plainTextValue('file type not allowed')]) }));
    const resolution = await waitFor(() => app.store.getResolution(QUEUE, '0:2'), { timeoutMs: 30_000, description: 'resolved' });
    expect(resolution).toMatchObject({ reason: 'file type not allowed', partition: 0, offset: '2' });
  }, 40_000);
});
