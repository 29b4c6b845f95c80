// An incident's whole life on the real app: a real SQS DLQ on ElasticMQ, signed CloudWatch alarms
// over SNS, the depth poller, signed Slack button clicks and slash commands, and the local Slack API
// server recording every Web API call. Time moves on a hand-driven clock; timers never fire alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { INCIDENT_ACTIONS } from '../../src/presentation/slack/block-kit/incident-actions.ts';
import type { Incident } from '../../src/core/model.ts';
import { cloudWatchAlarm } from '../fixtures/alerts/alert-builders.ts';
import { makeTestCertificate, notificationEnvelope, signEnvelope, TEST_TOPIC_ARN, type TestCertificate } from '../fixtures/alerts/sns-signer.ts';
import { post, servingCertificate, snsHeaders } from '../integration/alerts/alert-test-server.ts';
import { createQueuePair, deleteQueues, queueDepth, sendMessages, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { sendBlockActions, sendSlashCommand } from '../support/signed-slack.ts';
import { buildBlockActions, buttonAction } from '../support/slack-payloads.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { requireServices, waitFor } from '../support/services.ts';

const MINUTE = 60_000;
const quietLogger = () => silentLogger();

describe.skipIf(!services)('incident lifecycle end to end (SQS DLQ on ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  /** Slack requests are dated on the app's clock: the app refuses one more than 5 minutes off it. */
  const signedOnAppClock = { now: () => clock.now().getTime() };
  const timers = manualTimers();
  const sqs = testSqsClient();
  let slack: SlackApiServer;
  let app: Runtime;
  let certificate: TestCertificate;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let dir: string;
  let queue: string;
  let parentTs = '';
  let startApp: () => Promise<Runtime>;

  const incident = async (): Promise<Incident> => {
    const [found] = await app.store.listIncidents({ queue, limit: 1 });
    if (!found) throw new Error('no incident');
    return found;
  };
  /** Runs everything the step set off, then returns the Slack calls it made, in order. */
  const settle = async (): Promise<RecordedCall[]> => {
    await app.incidents.flush();
    return [...slack.calls];
  };
  const methods = (calls: RecordedCall[]) => calls.map((c) => c.method).sort();
  const poll = async (advanceMs: number) => {
    clock.advance(advanceMs);
    expect(await app.poller.pollOnce()).toBe(true);
  };
  const alarm = async (state: 'ALARM' | 'OK') => {
    const body = cloudWatchAlarm({ AlarmName: `${queue}-visible`, NewStateValue: state, OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM', queueName: queue, NewStateReason: `Threshold crossed: state ${state}` });
    const envelope = signEnvelope(notificationEnvelope({ message: body, timestamp: clock.now() }), { key: certificate.privateKey });
    const response = await post(app.url, '/alerts/sns', { headers: snsHeaders(), body: JSON.stringify(envelope) });
    expect(response.status).toBe(200);
  };
  const threadReplies = (calls: RecordedCall[]) => calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === parentTs);
  const text = (call: RecordedCall | undefined) => JSON.stringify(call?.args.blocks ?? call?.args.text ?? '');

  beforeAll(async () => {
    const endpoints = requireServices(services);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    certificate = makeTestCertificate();
    pair = await createQueuePair(sqs, 'incident');
    queue = pair.dlq.name;
    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-incident-e2e-'));
    const parsed = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
      slack: { apiUrl: slack.url, mode: 'http', l3Channel: 'C_L3', l3UserGroup: 'SONCALL' },
      aws: { region: endpoints.sqs.region, sqsEndpoint: endpoints.sqs.endpoint },
      alerts: { sns: { topicArns: [TEST_TOPIC_ARN] } },
      // Alice acknowledges (operator), Bob runs redrive-all (admin); everyone else may only view.
      roles: { operators: ['U_ALICE'], admins: ['U_BOB'] },
      queues: [{ name: queue, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: 'C_ALERTS', escalation: { preset: 'sqs-runbook' } }],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const secrets = resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
    startApp = () => startServer(parsed.config, secrets, quietLogger(), { slackRetries: 0, clock, timers, certificateFetcher: servingCertificate(certificate.certificatePem), replicaId: 'e2e', slackJobs: { pollMs: 100 } });
    app = await startApp();
    await app.poller.pollOnce();
    // Bolt checks its token once at start (auth.test), whenever it gets to it.
    await slack.waitForCalls('auth.test', 1);
    await settle();
    slack.clear();
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await deleteQueues(sqs, pair.source.url, pair.dlq.url);
    sqs.destroy();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens at L1 when the polled depth crosses 50: one parent message in the alert channel, one thread reply', async () => {
    await sendMessages(sqs, pair.dlq.url, Array.from({ length: 60 }, (_, i) => JSON.stringify({ orderId: i, error: 'Lambda timeout after 30000 ms' })));
    await poll(30_000);
    const calls = await settle();
    expect(methods(calls)).toEqual(['chat.postMessage', 'chat.postMessage']);
    const [parent, opened] = calls;
    expect(parent?.args).toMatchObject({ channel: 'C_ALERTS' });
    expect(parent?.args.thread_ts).toBeUndefined();
    parentTs = (parent?.response as { ts: string }).ts;
    expect(text(parent)).toContain(`L1 warning — ${queue}`);
    for (const action of [INCIDENT_ACTIONS.peek, INCIDENT_ACTIONS.analyze, INCIDENT_ACTIONS.redriveAll, INCIDENT_ACTIONS.acknowledge]) expect(text(parent)).toContain(action);
    expect(opened?.args).toMatchObject({ channel: 'C_ALERTS', thread_ts: parentTs });
    expect(text(opened)).toContain('depth 60 &gt; 50 → L1');
    expect(await incident()).toMatchObject({ status: 'open', level: 'L1', slackChannel: 'C_ALERTS', slackTs: parentTs });
  });

  it('a CloudWatch ALARM over SNS is a thread reply and an edit of the parent (no new incident)', async () => {
    slack.clear();
    clock.advance(10_000);
    await alarm('ALARM');
    const calls = await settle();
    expect(methods(calls)).toEqual(['chat.postMessage', 'chat.update']);
    expect(threadReplies(calls)).toHaveLength(1);
    expect(text(threadReplies(calls)[0])).toContain(`${queue}-visible`);
    const update = calls.find((c) => c.method === 'chat.update');
    expect(update?.args).toMatchObject({ channel: 'C_ALERTS', ts: parentTs });
    expect(text(update)).toContain('Source alarm');
    expect((await incident()).alertState).toBe('firing');
    expect(await app.store.listIncidents({ queue })).toHaveLength(1);
  });

  it('the Peek button runs /dlq peek and answers in the incident thread', async () => {
    slack.clear();
    const response = await sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({
      user_id: 'U_BOB',
      channel_id: 'C_ALERTS',
      message: { ts: parentTs },
      actions: [buttonAction({ action_id: INCIDENT_ACTIONS.peek, value: queue })],
      response_url: slack.mintResponseUrl({ channel: 'C_ALERTS', messageTs: parentTs }),
    }), signedOnAppClock);
    expect(response.status).toBe(200);
    const [reply] = await slack.waitForCalls('chat.postMessage', 1, 15_000);
    expect(reply?.args).toMatchObject({ channel: 'C_ALERTS', thread_ts: parentTs });
    expect(text(reply)).toContain('Lambda timeout');
    expect(methods(await settle())).toEqual(['chat.postMessage']);
    expect((await app.store.searchAudit({ queue, action: 'peek' }))[0]?.actor).toBe('U_BOB');
  });

  it('a button whose operation fails answers only the clicker', async () => {
    slack.clear();
    await sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({
      channel_id: 'C_ALERTS',
      message: { ts: parentTs },
      actions: [buttonAction({ action_id: INCIDENT_ACTIONS.analyze, value: 'no-such-queue' })],
      response_url: slack.mintResponseUrl({ channel: 'C_ALERTS', messageTs: parentTs }),
    }), signedOnAppClock);
    const [answer] = await slack.waitForCalls('response_url', 1);
    expect(answer?.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer?.args.text)).toContain('No queue named "no-such-queue" is configured');
    expect(methods(await settle())).toEqual(['response_url']);
  });

  it('goes to L2 above 200: a thread reply saying why, the parent edited, a depth chart uploaded into the thread', async () => {
    slack.clear();
    await sendMessages(sqs, pair.dlq.url, Array.from({ length: 190 }, (_, i) => JSON.stringify({ orderId: 100 + i, error: 'Lambda timeout after 30000 ms' })));
    await poll(MINUTE);
    const calls = await settle();
    expect(methods(calls)).toEqual(['chat.postMessage', 'chat.update', 'files.completeUploadExternal', 'files.getUploadURLExternal', 'upload_url']);
    expect(text(threadReplies(calls)[0])).toMatch(/L1 warning → L2 critical.*depth 250 &gt; 200 → L2/);
    const upload = calls.find((c) => c.method === 'upload_url');
    expect(String(upload?.args.content).slice(1, 4)).toBe('PNG');
    expect(Number(upload?.args.bytes)).toBeGreaterThan(1_000);
    expect(calls.find((c) => c.method === 'files.completeUploadExternal')?.args).toMatchObject({ channel_id: 'C_ALERTS', thread_ts: parentTs });
    expect((await incident()).level).toBe('L2');
  });

  it('stays L2 for an hour, only editing the parent, then pages L3: L3 channel, user group, permalink, escalation information', async () => {
    slack.clear();
    for (let step = 0; step < 5; step += 1) await poll(10 * MINUTE);
    const during = await settle();
    expect(new Set(during.map((c) => c.method))).toEqual(new Set(['chat.update']));
    expect((await incident()).level).toBe('L2');
    slack.clear();
    await poll(10.5 * MINUTE);
    const calls = await settle();
    expect(methods(calls)).toEqual([
      'chat.getPermalink', 'chat.postMessage', 'chat.postMessage', 'chat.update',
      'files.completeUploadExternal', 'files.getUploadURLExternal', 'upload_url',
    ]);
    expect(text(threadReplies(calls)[0])).toMatch(/L2 critical → L3 page.*L2 for 60 min \(&gt; 60 min\) → L3/);
    const page = calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === 'C_L3');
    const permalink = (calls.find((c) => c.method === 'chat.getPermalink')?.response as { permalink: string }).permalink;
    expect(String(page?.args.text)).toContain('<!subteam^SONCALL>');
    expect(text(page)).toContain(permalink);
    expect(text(page)).toContain('Count and growth');
    expect(text(page)).toContain('250 message(s)');
    expect(text(page)).toContain('Top error patterns');
    expect(text(page)).toContain('Sample message');
    expect(text(page)).toContain('Actions already taken');
    expect(await incident()).toMatchObject({ level: 'L3', acknowledgedBy: null });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain(`redrive_incident_level{queue="${queue}"} 3`);
    expect(metrics).toContain(`redrive_queue_depth{queue="${queue}"} 250`);
  });

  it('a restarted process carries on in the same thread at the same level', async () => {
    const before = await incident();
    await app.stop();
    slack.clear();
    app = await startApp();
    await app.poller.pollOnce();
    await slack.waitForCalls('auth.test', 1);
    const calls = await settle();
    // The start-up poll re-reads the queue; the new process edits the same parent, posts nothing new.
    expect(methods(calls)).toEqual(['auth.test', 'chat.update']);
    expect(calls.find((c) => c.method === 'chat.update')?.args).toMatchObject({ channel: 'C_ALERTS', ts: parentTs });
    expect(await incident()).toMatchObject({ id: before.id, level: 'L3', slackTs: parentTs });
    slack.clear();
  });

  it('Acknowledge records who and when, replies in the thread, edits the parent; a second click only tells the clicker', async () => {
    slack.clear();
    const { id } = await incident();
    const click = (user: string) =>
      sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({
        user_id: user,
        channel_id: 'C_ALERTS',
        message: { ts: parentTs },
        actions: [buttonAction({ action_id: INCIDENT_ACTIONS.acknowledge, value: id })],
        response_url: slack.mintResponseUrl({ channel: 'C_ALERTS', messageTs: parentTs }),
      }), signedOnAppClock);
    expect((await click('U_ALICE')).status).toBe(200);
    const acked = await waitFor(async () => ((await incident()).acknowledgedBy === 'U_ALICE' ? incident() : null));
    expect(acked.acknowledgedAt).toEqual(clock.now());
    const calls = await settle();
    expect(methods(calls)).toEqual(['chat.postMessage', 'chat.update']);
    expect(text(threadReplies(calls)[0])).toContain('Acknowledged by <@U_ALICE>');
    const update = calls.find((c) => c.method === 'chat.update');
    expect(text(update)).not.toContain(INCIDENT_ACTIONS.acknowledge);
    expect(text(update)).toContain('<@U_ALICE>');
    slack.clear();
    expect((await click('U_BOB')).status).toBe(200);
    const [answer] = await slack.waitForCalls('response_url', 1);
    expect(answer?.args).toMatchObject({ response_type: 'ephemeral', text: 'Already acknowledged by <@U_ALICE>.' });
    expect(methods(await settle())).toEqual(['response_url']);
    expect((await app.store.searchAudit({ queue, action: 'acknowledge' })).map((a) => a.actor)).toEqual(['U_ALICE']);
  });

  it('no re-notification once acknowledged, though the L3 interval passed', async () => {
    slack.clear();
    await poll(61 * MINUTE);
    const calls = await settle();
    expect(calls.filter((c) => c.method !== 'chat.update')).toEqual([]);
    expect(calls.length).toBeLessThanOrEqual(1);
    expect((await app.store.listIncidentEvents((await incident()).id)).map((e) => e.kind)).not.toContain('renotified');
    expect((await incident()).level).toBe('L3');
  });

  it('drains after /dlq redrive-all, steps down only after the hold, and resolves with a summary', async () => {
    slack.clear();
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: `redrive-all ${queue}`, user_id: 'U_BOB', channel_id: 'C_ALERTS', response_url: slack.mintResponseUrl() }, signedOnAppClock);
    await slack.waitForCalls('response_url', 1, 15_000);
    await waitFor(async () => {
      const depth = await queueDepth(sqs, pair.dlq.url);
      return depth.visible === 0 && depth.inFlight === 0;
    }, { timeoutMs: 30_000, description: 'the DLQ drained by the move task' });
    // Started from Slack, the job answered at once and reports in the incident thread until the task ends.
    await app.slackJobs.idle();
    const jobReplies = threadReplies(slack.calls).map(text);
    expect(jobReplies[0]).toContain('*redrive-all* job');
    expect(jobReplies.at(-1)).toMatch(/Job \S+ on \S+ finished: 250 message\(s\) replayed/);
    slack.clear();
    clock.advance(MINUTE);
    await alarm('OK');
    const afterAlert = await settle();
    expect(methods(afterAlert)).toEqual(['chat.postMessage', 'chat.update']);
    expect(text(threadReplies(afterAlert)[0])).toContain('OK / resolved');

    slack.clear();
    await poll(MINUTE);
    const draining = await settle();
    expect(methods(draining)).toEqual(['chat.update']);
    expect((await incident()).level).toBe('L3');
    expect(text(draining[0])).toContain('Steps down at');

    slack.clear();
    await poll(14 * MINUTE);
    const holding = await settle();
    expect(holding.filter((c) => c.method !== 'chat.update')).toEqual([]);
    expect(holding.length).toBeLessThanOrEqual(1);
    expect(await incident()).toMatchObject({ status: 'open', level: 'L3' });

    slack.clear();
    await poll(MINUTE);
    const calls = await settle();
    expect(methods(calls)).toEqual(['chat.postMessage', 'chat.update']);
    const summary = text(threadReplies(calls)[0]);
    expect(summary).toContain('Resolved.');
    expect(summary).toMatch(/peak depth 250 \(L3 page\) · replayed 250 · resolved 0 · still failing 0/);
    const final = calls.find((c) => c.method === 'chat.update');
    expect(final?.args).toMatchObject({ channel: 'C_ALERTS', ts: parentTs });
    expect(text(final)).toContain(`Resolved — ${queue}`);
    expect(text(final)).not.toContain('"actions"');
    expect(await incident()).toMatchObject({ status: 'resolved', level: 'OK', peakDepth: 250 });
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain(`redrive_incident_level{queue="${queue}"} 0`);
    expect(slack.messagesIn('C_ALERTS').filter((m) => m.threadTs === undefined)).toHaveLength(1);
  });
});
