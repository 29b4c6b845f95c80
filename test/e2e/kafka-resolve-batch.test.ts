// Bulk resolve (`resolve-batch`) on a Kafka DLQ on the real broker: from a terminal (bin/redrive, one
// process per command) and from Slack (the slash command and the Bulk resolve… modal, as signed
// requests). A filter resolves exactly the matching messages; the consumer group's offset moves only
// up to the lowest unresolved message of each partition, and what was not resolved is still peekable.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import type { Runtime } from '../../src/main.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES, type RunbookExampleName } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sendBlockActions, sendSlashCommand, sendViewSubmission } from '../support/signed-slack.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import type { SlackApiServer } from '../support/slack-api-server.ts';
import { buttonsIn, shown, startKafkaSlackE2e, viewOf } from '../support/slack-e2e-app.ts';
import { buildBlockActions, buildViewSubmission, buttonAction, newSlackTs, plainTextValue, stateValues } from '../support/slack-payloads.ts';

const QUEUE = 'downloads-dlq';
const CHANNEL = 'C_ALERTS';
const env = { LOG_LEVEL: 'error' };
/** Slack formatting that must never reach a terminal. */
const MRKDWN = /:[a-z_]+:(\s|$)|\*[^*\s][^*]*\*|```|<https?:/;

type Placed = { partition: number; name: RunbookExampleName; trace: string };

const produce = async (bench: KafkaTestBench, topic: string, placed: Placed[]): Promise<void> => {
  const failedAt = new Date(Date.now() - 2 * 3_600_000);
  for (const p of placed) await bench.produce(topic, [{ partition: p.partition, key: p.trace, value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES[p.name], traceId: p.trace, failedAt }) }]);
};

const place = (partition: number, name: RunbookExampleName): Placed => ({ partition, name, trace: uniqueName(`evt-${name.toLowerCase()}`) });

describe.skipIf(!services)('resolve-batch on a Kafka DLQ from the terminal', () => {
  let bench: KafkaTestBench;
  let dlqTopic: string;
  let group: string;
  let configPath: string;
  let dir: string;
  const run = (...args: string[]) => runRedrive(['dlq', ...args, '--config', configPath], { env, timeoutMs: 45_000 });
  // Partition 0: offsets 0..5; partition 1: offsets 0..1. Permanent: expiredUrl, fileType, sslCertificate.
  const p0 = [place(0, 'expiredUrl'), place(0, 'timeout'), place(0, 'fileType'), place(0, 'expiredUrl'), place(0, 'oneLakeAuth'), place(0, 'sslCertificate')];
  const p1 = [place(1, 'fileType'), place(1, 'timeout')];

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-resolve-batch-dlq', 2);
    const replayTopic = await bench.createTopic('e2e-resolve-batch-pending');
    group = uniqueName('e2e-resolve-batch');
    await produce(bench, dlqTopic, [...p0, ...p1]);
    dir = mkdtempSync(join(tmpdir(), 'redrive-e2e-resolve-batch-'));
    configPath = writeKafkaQueueConfig(dir, { name: QUEUE, topic: dlqTopic, group, replayTopic });
  });
  afterAll(async () => {
    await bench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--category permanent resolves exactly the permanent failures; each partition commits up to its lowest unresolved offset', async () => {
    const batch = await run('resolve-batch', QUEUE, '--category', 'permanent', '--reason', 'permanent failures, not retryable');
    expect(batch.stderr).not.toMatch(/redrive: /);
    expect(batch.code).toBe(0);
    expect(batch.stdout).toMatch(/Resolve of downloads-dlq: 5 message\(s\) resolved/);
    expect(batch.stdout).toMatch(/resolved \(archived, offset committed up to the lowest unresolved\)\s+5/);
    expect(batch.stdout).toMatch(/not matching, left alone\s+3/);
    expect(batch.stdout).toMatch(/reason\s+permanent failures, not retryable/);
    expect(batch.stdout).not.toMatch(MRKDWN);
    // Progress goes to stderr as "resolved".
    expect(batch.stderr).toMatch(/^downloads-dlq: job \S+: \d+ resolved, 0 failed, /m);
    // p0: 0 resolved, 1 (timeout) not: the group stays at 1 although 2, 3 and 5 are resolved too. p1: 0 resolved, 1 not.
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '1', 1: '1' });
    const peek = await run('peek', QUEUE, '--count', '20');
    expect(peek.code).toBe(0);
    expect(peek.stdout).toMatch(/DLQ Messages in downloads-dlq \(3 shown\)/);
    for (const kept of [p0[1], p0[4], p1[1]]) expect(peek.stdout).toContain(kept?.trace);
    for (const gone of [p0[0], p0[2], p0[3], p0[5], p1[0]]) expect(peek.stdout).not.toContain(gone?.trace);
    // One audit record per message (with the job id), besides the job's run and end.
    const audit = await run('audit', p0[3]?.trace ?? '');
    expect(audit.code).toBe(0);
    const [, jobId] = /^job\s+(\S+)$/m.exec(batch.stdout) ?? [];
    expect(audit.stdout).toMatch(new RegExp(`resolve\\s+success\\s+cli:\\S+\\s+downloads-dlq\\s+0:3 / ${p0[3]?.trace}\\s+0:3\\s+-\\s+${jobId}`));
    const jobAudit = await run('audit', jobId ?? '');
    expect(jobAudit.stdout).toMatch(/resolve-batch:end\s+success/);
    expect(jobAudit.stdout).toMatch(/resolve-batch:run\s+success/);
    expect(jobAudit.stdout.match(/\bresolve\s+success/g)).toHaveLength(5);
  }, 120_000);

  it('--replayed-before now resolves only what Redrive replayed; the group moves past it to the next unresolved', async () => {
    const replay = await run('replay', QUEUE, p0[1]?.trace ?? '');
    expect(replay.code).toBe(0);
    const batch = await run('resolve-batch', QUEUE, '--replayed-before', 'now', '--reason', 'reprocessed after the replay');
    expect(batch.stderr).not.toMatch(/redrive: /);
    expect(batch.code).toBe(0);
    expect(batch.stdout).toMatch(/Resolve of downloads-dlq: 1 message\(s\) resolved/);
    expect(batch.stdout).toMatch(/filter\s+replayed before \d{4}-\d\d-\d\dT/);
    expect(batch.stdout).toMatch(/not matching, left alone\s+2/);
    // p0: 0..3 resolved, 4 not; p1 unchanged.
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '4', 1: '1' });
    const peek = await run('peek', QUEUE, '--count', '20');
    expect(peek.stdout).toMatch(/DLQ Messages in downloads-dlq \(2 shown\)/);
    expect(peek.stdout).toContain(p0[4]?.trace);
    expect(peek.stdout).toContain(p1[1]?.trace);
    const resolution = await run('view', QUEUE, '0:1');
    expect(resolution.code).toBe(0);
  }, 120_000);

  it('an unknown queue or a bad filter gets a clear error and resolves nothing', async () => {
    const unknown = await run('resolve-batch', 'nope-dlq', '--category', 'permanent');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/QUEUE_UNKNOWN: .*nope-dlq.*known: downloads-dlq/);
    const none = await run('resolve-batch', QUEUE);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/redrive dlq: resolve-batch needs --count N, or a filter[\s\S]*Usage: redrive dlq resolve-batch <queue>/);
    const when = await run('resolve-batch', QUEUE, '--replayed-before', 'yesterday');
    expect(when.code).toBe(2);
    expect(when.stderr).toMatch(/--replayed-before is a time \(2026-12-04T15:00Z\), an age \(2h\) or now, got "yesterday"/);
    const category = await run('resolve-batch', QUEUE, '--category', 'not a category!');
    expect(category.code).toBe(2);
    expect(category.stderr).toMatch(/--category is one word/);
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '4', 1: '1' });
  }, 60_000);
});

describe.skipIf(!services)('resolve-batch on a Kafka DLQ from Slack', () => {
  let bench: KafkaTestBench;
  let e2e: Awaited<ReturnType<typeof startKafkaSlackE2e>>;
  let slack: SlackApiServer;
  let app: Runtime;
  let dlqTopic: string;
  let group: string;
  // Partition 0: example.com (0), timeout.com (1), example.com (2), files.example.org (3).
  const msgs = [place(0, 'expiredUrl'), place(0, 'timeout'), place(0, 'sslCertificate'), place(0, 'fileType')];

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-slack-resolve-batch-dlq');
    const replayTopic = await bench.createTopic('e2e-slack-resolve-batch-pending');
    group = uniqueName('e2e-slack-resolve-batch');
    await produce(bench, dlqTopic, msgs);
    e2e = await startKafkaSlackE2e('slack-resolve-batch', {
      bench,
      queue: { name: QUEUE, topic: dlqTopic, group, replayTopic },
      roles: { admins: ['U_ALICE'], operators: ['U_OPS'], viewers: 'everyone' },
      server: { slackJobs: { progressEveryMs: 0 } },
    });
    ({ app, slack } = e2e);
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
    await bench?.close();
  });

  const command = async (text: string, user = 'U_ALICE') => {
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
    const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: user, channel_id: CHANNEL, response_url: responseUrl });
    expect(sent.status).toBe(200);
    return waitFor(() => slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 30_000, description: `answer to /dlq ${text}` });
  };

  it('an unknown queue or a bad filter is answered with what is wrong, and nothing is resolved', async () => {
    const unknown = await command('resolve-batch nope-dlq --category permanent --reason x');
    expect(shown(unknown)).toMatch(/No queue named "nope-dlq".*known: downloads-dlq/s);
    const bad = await command(`resolve-batch ${QUEUE} --replayed-before someday`);
    expect(shown(bad)).toMatch(/--replayed-before is a time/);
    expect(shown(bad)).toMatch(/Usage: \/dlq resolve-batch <queue>/);
    const none = await command(`resolve-batch ${QUEUE} --reason "no filter"`);
    expect(shown(none)).toMatch(/resolve-batch needs --count N, or a filter/);
    expect(await app.store.listResolutions(QUEUE)).toEqual([]);
  }, 40_000);

  it('an operator is refused: bulk resolve needs admin, and nothing is resolved', async () => {
    const answer = await command(`resolve-batch ${QUEUE} --domain example.com --reason nope`, 'U_OPS');
    expect(shown(answer)).toMatch(/admin/);
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '-1' });
    expect(await app.store.listResolutions(QUEUE)).toEqual([]);
  }, 40_000);

  it('`/dlq resolve-batch --domain example.com` answers at once with the job and resolves exactly that domain in the background', async () => {
    const answer = await command(`resolve-batch ${QUEUE} --domain example.com --reason "expired presigned URLs"`);
    expect(shown(answer)).toMatch(/Started \*?resolve-batch\*? job/);
    await app.slackJobs.idle();
    const resolved = (await app.store.listResolutions(QUEUE)).map((r) => r.messageKey).sort();
    expect(resolved).toEqual(['0:0', '0:2']);
    expect((await app.store.getResolution(QUEUE, '0:0'))?.reason).toBe('expired presigned URLs');
    // Offset 1 (timeout.com) is unresolved: the group stops there, though 2 is resolved.
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '1' });
    const result = await waitFor(() => slack.callsTo('chat.postMessage').find((c) => shown(c).includes('message(s) resolved')), { timeoutMs: 20_000, description: 'the job result in its thread' });
    expect(shown(result)).toMatch(/finished: 2 message\(s\) resolved/);
    const perMessage = await app.store.searchAudit({ queue: QUEUE, action: 'resolve', limit: 10 });
    expect(perMessage.filter((r) => r.result === 'success').map((r) => r.messageId).sort()).toEqual(['0:0', '0:2']);
    expect(perMessage.every((r) => r.actor === 'U_ALICE' && r.jobId !== null)).toBe(true);
  }, 60_000);

  it('the Bulk resolve… button under a peek opens the modal; a submission without a reason is refused on the field; with one it resolves the match', async () => {
    const peek = await command(`peek ${QUEUE} --count 10`);
    const button = buttonsIn(peek).find((b) => b.action_id === JOB_ACTIONS.bulkResolve);
    expect(button?.value).toBe(QUEUE);
    const opened = slack.callsTo('views.open').length;
    await sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({ channel_id: CHANNEL, message: { ts: newSlackTs() }, actions: [buttonAction({ action_id: JOB_ACTIONS.bulkResolve, value: QUEUE })], response_url: slack.mintResponseUrl({ channel: CHANNEL }) }));
    const [open] = await slack.waitForCalls('views.open', opened + 1, 20_000).then((calls) => calls.slice(opened));
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.bulkResolve);
    expect(shown(open)).toContain('Bulk resolve');
    const submit = (values: ReturnType<typeof stateValues>) => sendViewSubmission(app.url, TEST_SIGNING_SECRET, buildViewSubmission({ callback_id: view.callback_id, private_metadata: view.private_metadata, values }));
    const refused = await submit(stateValues(['category', 'category', plainTextValue('transient')], ['reason', 'reason', plainTextValue('')]));
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringMatching(/Say why/) } });
    const accepted = await submit(stateValues(['category', 'category', plainTextValue('transient')], ['reason', 'reason', plainTextValue('source healthy again, reprocessed')]));
    expect(accepted.status).toBe(200);
    await waitFor(() => app.store.getResolution(QUEUE, '0:1'), { timeoutMs: 30_000, description: '0:1 resolved' });
    await app.slackJobs.idle();
    // 0, 1 and 2 resolved, 3 (files.example.org, permanent) not: the group moves to 3.
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '3' });
    expect((await app.store.listResolutions(QUEUE)).map((r) => r.messageKey).sort()).toEqual(['0:0', '0:1', '0:2']);
    const after = await command(`peek ${QUEUE} --count 10`);
    expect(shown(after)).toContain(msgs[3]?.trace);
    expect(shown(after)).toContain('(1 shown)');
  }, 60_000);
});
