// Two Redrive replicas sharing one PostgreSQL (SPEC "State and scale"): two startServer runtimes in
// this process with the same config except replicaId, each on its own port, both on the services'
// PostgreSQL (a schema of their own for this run, through the URL's search_path), one local Slack API
// server standing in for the workspace both talk to, and real SQS DLQs on ElasticMQ. Time moves on a
// hand-driven clock shared by both; their timers never fire alone. What an operator would notice:
// an alert or a click delivered to both replicas counts once, an incident has one parent message and
// one thread whichever replica speaks (also while Slack rate-limits one of them), one replica polls,
// another takes over when it dies or stops.
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/config.schema.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { MESSAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { INCIDENT_ACTIONS } from '../../src/presentation/slack/block-kit/incident-actions.ts';
import { readIncidentData } from '../../src/core/incident/incident-data.ts';
import { POSTGRES_MIGRATIONS } from '../../src/adapters/outbound/postgres/postgres-migrations.ts';
import { POLLER_LEASE } from '../../src/app/shared/poller-lease.ts';
import { alertmanagerAlert, alertmanagerWebhook, cloudWatchAlarm } from '../fixtures/alerts/alert-builders.ts';
import { makeTestCertificate, notificationEnvelope, signEnvelope, TEST_TOPIC_ARN } from '../fixtures/alerts/sns-signer.ts';
import { amHeaders, BEARER, post, servingCertificate, snsHeaders } from '../integration/alerts/alert-test-server.ts';
import { createQueuePair, deleteQueues, queueDepth, sendMessages, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { sendBlockActions, sendSlashCommand } from '../support/signed-slack.ts';
import { buildBlockActions, buttonAction } from '../support/slack-payloads.ts';
import { buttonsIn, shown } from '../support/slack-e2e-app.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { requireServices, uniqueName, waitFor } from '../support/services.ts';

const CHANNEL = 'C_ALERTS';
const ALERT_NAME = 'SqsDlqNotEmpty';
const OTHER_ALERT_NAME = 'SqsDlqOldestMessageAge';
const quietLogger = () => silentLogger();

describe.skipIf(!services)('two replicas on one PostgreSQL (SQS DLQ on ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  /** Slack requests are dated on the app's clock: the app refuses one more than 5 minutes off it. */
  const signedOnAppClock = { now: () => clock.now().getTime() };
  const certificate = makeTestCertificate();
  const sqs = testSqsClient();
  const schema = uniqueName('redrive_replicas', '_');
  const run = schema.slice(-12);
  let admin: pg.Pool;
  let slack: SlackApiServer;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let queue: string;
  /** A second DLQ, for an incident opened while Slack is slow. */
  let pair2: { source: CreatedQueue; dlq: CreatedQueue };
  /** A third DLQ, for two alerts landing on two replicas while the parent is being posted. */
  let pair3: { source: CreatedQueue; dlq: CreatedQueue };
  let startReplica: (replicaId: string) => Promise<Runtime>;
  const replicas: Runtime[] = [];
  const stopped = new Set<Runtime>();
  /** A: the replica whose first poll took the poller lease; B: the other one. */
  let a: Runtime;
  let b: Runtime;
  let aId = '';
  let bId = '';
  let parentTs = '';
  /** The /dlq peek reply, posted in the channel: the click tests press its Replay buttons. */
  let peekTs = '';
  /** The Replay button value of each peeked message, by SQS message id. */
  const replayValues = new Map<string, string>();
  /** The first peeked message not replayed yet, with its button value. */
  const nextUnreplayed = async (): Promise<{ id: string; value: string }> => {
    const done = new Set((await a.store.searchAudit({ queue, action: 'replay', limit: 20 })).map((r) => r.messageId));
    const [id, value] = [...replayValues].find(([key]) => !done.has(key)) ?? ['', ''];
    if (!id) throw new Error('every peeked message was replayed already');
    return { id, value };
  };
  let firing: ReturnType<typeof alertmanagerAlert> | null = null;

  const topLevelPosts = () => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined && c.args.channel === CHANNEL);
  const settle = async () => {
    for (const replica of replicas) if (!stopped.has(replica)) await replica.incidents.flush();
  };
  const sendAlert = (replica: Runtime, alert: ReturnType<typeof alertmanagerAlert>) =>
    post(replica.url, '/alerts/alertmanager', { headers: amHeaders(`Bearer ${BEARER}`), body: JSON.stringify(alertmanagerWebhook([alert])) });
  /**
   * Every body now visible in the source queue, one entry per copy. One receive, left visible: each
   * call counts as a receive, and the source sends a message back to the DLQ after 5 (its redrive policy).
   */
  const sourceBodies = async (): Promise<string[]> => {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    return (received.Messages ?? []).map((m) => m.Body ?? '');
  };
  /** SQS message id → body of the messages seeded for the click tests. */
  const bodyOf = new Map<string, string>();
  const successfulReplays = async (id: string) =>
    (await a.store.searchAudit({ queue, ref: id, action: 'replay', limit: 20 })).filter((r) => r.result === 'success');
  const replayPayload = (value: string, messageTs: string, responseUrl: string) =>
    buildBlockActions({
      user_id: 'U_BOB',
      channel_id: CHANNEL,
      message: { ts: messageTs },
      actions: [buttonAction({ action_id: MESSAGE_ACTIONS.replay, value })],
      response_url: responseUrl,
    });
  const sampleCount = async () => (await b.store.listDepthSamples(queue, { since: new Date(0) })).length;

  beforeAll(async () => {
    const endpoints = requireServices(services);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    // The config has no schema setting: the replicas get this run's schema through the URL's
    // search_path, created here (the migrations create their tables in the first schema of the path).
    admin = new pg.Pool({ connectionString: endpoints.postgres.url, max: 2 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(endpoints.postgres.url);
    url.searchParams.set('options', `-c search_path=${schema}`);
    pair = await createQueuePair(sqs, 'replicas');
    queue = pair.dlq.name;
    pair2 = await createQueuePair(sqs, 'replicas-slow');
    pair3 = await createQueuePair(sqs, 'replicas-storm');
    slack = await startSlackApiServer();
    const parsed = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      store: { kind: 'postgres', urlEnv: 'REDRIVE_REPLICAS_DATABASE_URL' },
      slack: { apiUrl: slack.url, mode: 'http' },
      aws: { region: endpoints.sqs.region, sqsEndpoint: endpoints.sqs.endpoint },
      alerts: { sns: { topicArns: [TEST_TOPIC_ARN] }, alertmanager: { bearerTokenEnv: 'AM_TOKEN', alertLevels: { [ALERT_NAME]: 'L1', [OTHER_ALERT_NAME]: 'L1' } } },
      roles: { admins: ['U_ALICE', 'U_BOB'], viewers: 'everyone' },
      queues: [
        { name: queue, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' } },
        { name: pair2.dlq.name, kind: 'sqs', queueUrl: pair2.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' } },
        { name: pair3.dlq.name, kind: 'sqs', queueUrl: pair3.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' } },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const config: Config = parsed.config;
    const secrets = resolveSecrets(config, {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      AM_TOKEN: BEARER,
      REDRIVE_REPLICAS_DATABASE_URL: url.toString(),
    });
    startReplica = async (replicaId) => {
      const replica = await startServer(config, secrets, quietLogger(), { slackRetries: 1, clock, timers: manualTimers(), replicaId, slackJobs: { pollMs: 100 }, certificateFetcher: servingCertificate(certificate.certificatePem) });
      replicas.push(replica);
      return replica;
    };
    // Both start at once on the empty schema (a deploy of two pods): both migrate, and the first poll
    // of each races for the poller lease. A is whichever won it.
    const ids = ['replica-1', 'replica-2'];
    const started = await Promise.all(ids.map((id) => startReplica(id)));
    const holder = await waitFor(async () => (await started[0]?.store.getLease(POLLER_LEASE))?.holder, { description: 'a replica holds the poller lease' });
    const first = ids.indexOf(holder);
    expect(first).toBeGreaterThanOrEqual(0);
    [aId, bId] = [holder, ids[1 - first] ?? ''];
    [a, b] = [started[first] as Runtime, started[1 - first] as Runtime];
    expect(await b.poller.pollOnce()).toBe(false);
    // Bolt checks its token once at start (auth.test), one call per replica.
    await slack.waitForCalls('auth.test', 2);
    await settle();
    slack.clear();
  });

  afterAll(async () => {
    for (const replica of replicas) if (!stopped.has(replica)) await replica.stop().catch(() => undefined);
    await slack?.close();
    if (pair) await deleteQueues(sqs, pair.source.url, pair.dlq.url);
    if (pair2) await deleteQueues(sqs, pair2.source.url, pair2.dlq.url);
    if (pair3) await deleteQueues(sqs, pair3.source.url, pair3.dlq.url);
    sqs.destroy();
    if (admin) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
    vi.unstubAllEnvs();
  });

  it('both replicas, started at once on an empty schema, are ready while PostgreSQL answers; each listens on its own port', async () => {
    expect(new URL(a.url).port).not.toBe(new URL(b.url).port);
    for (const replica of [a, b]) {
      const response = await fetch(new URL('/readyz', replica.url));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ready', store: 'ok' });
    }
    // Same database: a lease taken through A is what B reads; the migrations ran once.
    expect(await b.store.getLease(POLLER_LEASE)).toMatchObject({ holder: aId });
    const { rows } = await admin.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it('the same Alertmanager webhook delivered to A then to B is recorded once: one incident, one parent message', async () => {
    const alert = alertmanagerAlert({ fingerprint: `fp-${run}`, startsAt: clock.now().toISOString(), labels: { alertname: ALERT_NAME, topic: queue } });
    firing = alert;
    const first = await sendAlert(a, alert);
    expect(first.status).toBe(200);
    expect(first.json?.alerts).toEqual([expect.objectContaining({ queue, level: 'L1', outcome: 'recorded' })]);
    await settle();
    const second = await sendAlert(b, alert);
    expect(second.status).toBe(200);
    expect(second.json?.alerts).toEqual([expect.objectContaining({ queue, outcome: 'duplicate' })]);
    await settle();

    expect(await b.store.listAlerts({ queue })).toHaveLength(1);
    const incidents = await b.store.listIncidents({ queue });
    expect(incidents).toHaveLength(1);
    const parents = topLevelPosts();
    expect(parents).toHaveLength(1);
    parentTs = (parents[0]?.response as { ts: string }).ts;
    expect(shown(parents[0])).toContain(queue);
    expect(incidents[0]).toMatchObject({ status: 'open', level: 'L1', slackChannel: CHANNEL, slackTs: parentTs });
    // Everything else the delivery caused went into that one thread.
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.filter((c) => c.args.thread_ts !== undefined).every((c) => c.args.thread_ts === parentTs)).toBe(true);
  });

  it('the alert resolving, delivered to B only, goes into the incident A opened: its thread and its parent, no new parent', async () => {
    slack.clear();
    if (!firing) throw new Error('the firing alert was not sent');
    clock.advance(60_000);
    const resolved = await sendAlert(b, { ...firing, status: 'resolved', endsAt: clock.now().toISOString() });
    expect(resolved.status).toBe(200);
    expect(resolved.json?.alerts).toEqual([expect.objectContaining({ queue, state: 'ok', outcome: 'recorded' })]);
    await settle();
    expect(topLevelPosts()).toHaveLength(0);
    const replies = slack.callsTo('chat.postMessage');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.args).toMatchObject({ channel: CHANNEL, thread_ts: parentTs });
    expect(shown(replies[0])).toContain(`Alert \`${ALERT_NAME}\` from Alertmanager: *OK / resolved*`);
    // B edits A's parent in place. Under load a second edit was seen once in CI (something stored
    // while the first edit rendered); what a user sees is the same: A's parent, edited, no new one.
    const edits = slack.callsTo('chat.update');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(2);
    for (const edit of edits) expect(edit.args).toMatchObject({ channel: CHANNEL, ts: parentTs });
    expect(shown(edits.at(-1))).toContain(ALERT_NAME);
    const incidents = await a.store.listIncidents({ queue });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ slackTs: parentTs, alertState: 'ok' });
  });

  it('one CloudWatch alarm over SNS delivered to both replicas at once (a redelivery on the other replica) is one thread reply', async () => {
    slack.clear();
    const body = cloudWatchAlarm({ AlarmName: `${queue}-visible`, NewStateValue: 'ALARM', OldStateValue: 'OK', queueName: queue, NewStateReason: 'Threshold crossed' });
    const envelope = JSON.stringify(signEnvelope(notificationEnvelope({ message: body, timestamp: clock.now() }), { key: certificate.privateKey }));
    const responses = await Promise.all([a, b].map((replica) => post(replica.url, '/alerts/sns', { headers: snsHeaders(), body: envelope })));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await settle();
    expect((await a.store.listAlerts({ queue })).filter((x) => x.source === 'sns')).toHaveLength(1);
    expect(topLevelPosts()).toHaveLength(0);
    const replies = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === parentTs && shown(c).includes(`${queue}-visible`));
    expect(replies).toHaveLength(1);
    expect(await b.store.listIncidents({ queue })).toHaveLength(1);
  });

  it('a Replay click delivered to A and again to B (a Slack retry on another replica) replays once; B answers it was already done', async () => {
    slack.clear();
    const bodies = [0, 1, 2].map((i) => JSON.stringify({ orderId: `${run}-${i}`, error: 'Lambda timeout after 30000 ms' }));
    await sendMessages(sqs, pair.dlq.url, bodies);
    // Which SQS message id carries which body, straight from the DLQ.
    const inDlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.dlq.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    for (const m of inDlq.Messages ?? []) bodyOf.set(m.MessageId ?? '', m.Body ?? '');
    expect(bodyOf.size).toBe(3);

    // /dlq peek on A: the reply with the buttons is posted in the channel.
    const peekUrl = slack.mintResponseUrl({ channel: CHANNEL });
    expect((await sendSlashCommand(a.url, TEST_SIGNING_SECRET, { text: `peek ${queue} --count 10`, user_id: 'U_ALICE', channel_id: CHANNEL, response_url: peekUrl }, signedOnAppClock)).status).toBe(200);
    const [peekReply] = await slack.waitForCalls('response_url', 1, 20_000);
    const replayButtons = buttonsIn(peekReply).filter((x) => x.action_id === MESSAGE_ACTIONS.replay);
    expect(replayButtons).toHaveLength(3);
    peekTs = slack.messagesIn(CHANNEL).at(-1)?.ts ?? '';
    expect(peekTs).not.toBe('');
    for (const x of replayButtons) replayValues.set((JSON.parse(x.value) as { id: string }).id, x.value);
    const { id, value } = await nextUnreplayed();
    const body = bodyOf.get(id) ?? '';
    expect(body).not.toBe('');

    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs });
    const payload = replayPayload(value, peekTs, responseUrl);
    expect((await sendBlockActions(a.url, TEST_SIGNING_SECRET, payload, signedOnAppClock)).status).toBe(200);
    const replayed = (c: RecordedCall) => c.args.thread_ts === peekTs && shown(c).includes(`Replayed ${id}`);
    await waitFor(() => slack.callsTo('chat.postMessage').some(replayed), { timeoutMs: 15_000, description: 'A replayed and said so in the thread' });
    // Slack did not see A's ack in time and retries: the retry lands on B.
    const retried = await sendBlockActions(b.url, TEST_SIGNING_SECRET, payload, { ...signedOnAppClock, headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' } });
    expect(retried.status).toBe(200);
    const answer = await waitFor(() => slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 15_000, description: 'B answered the retry' });
    expect(answer.args.response_type).toBe('ephemeral');
    expect(shown(answer)).toContain('Already replayed by <@U_BOB>');

    expect((await sourceBodies()).filter((x) => x === body)).toHaveLength(1);
    expect(await successfulReplays(id)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter(replayed)).toHaveLength(1);
    const dlqLeft = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.dlq.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    expect((dlqLeft.Messages ?? []).map((m) => m.MessageId)).not.toContain(id);
  });

  it('the same Replay clicked twice at once, one click landing on each replica, replays once', async () => {
    const { id, value } = await nextUnreplayed();
    const before = (await queueDepth(sqs, pair.source.url)).visible;
    const urls = [slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs }), slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs })];
    const responses = await Promise.all([a, b].map((replica, i) => sendBlockActions(replica.url, TEST_SIGNING_SECRET, replayPayload(value, peekTs, urls[i] ?? ''), signedOnAppClock)));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const replayed = (c: RecordedCall) => c.args.thread_ts === peekTs && shown(c).includes(`Replayed ${id}`);
    await waitFor(() => slack.callsTo('chat.postMessage').some(replayed), { timeoutMs: 15_000, description: 'one replica replayed' });
    const answer = await waitFor(() => slack.callsTo('response_url').find((c) => urls.includes(c.url ?? '') && /already/i.test(shown(c))), { timeoutMs: 15_000, description: 'the other replica answered the second click' });
    expect(answer.args.response_type).toBe('ephemeral');
    expect(shown(answer)).toMatch(/Already replayed by <@U_BOB>|already being replayed/);
    expect(await successfulReplays(id)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter(replayed)).toHaveLength(1);
    expect(await queueDepth(sqs, pair.source.url)).toMatchObject({ visible: before + 1 });
    const body = bodyOf.get(id) ?? '';
    expect(body).not.toBe('');
    expect((await sourceBodies()).filter((x) => x === body)).toHaveLength(1);
  });

  it('a Replay click on a message A peeked, landing only on B, replays it from B', async () => {
    const { id, value } = await nextUnreplayed();
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs });
    expect((await sendBlockActions(b.url, TEST_SIGNING_SECRET, replayPayload(value, peekTs, responseUrl), signedOnAppClock)).status).toBe(200);
    await waitFor(() => slack.callsTo('chat.postMessage').some((c) => c.args.thread_ts === peekTs && shown(c).includes(`Replayed ${id}`)), { timeoutMs: 15_000, description: 'B replayed and said so in the thread' });
    expect(await successfulReplays(id)).toHaveLength(1);
    expect((await sourceBodies()).filter((x) => x === bodyOf.get(id))).toHaveLength(1);
    expect(await queueDepth(sqs, pair.dlq.url)).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('an incident B opens while Slack rate-limits B gets one parent message, though the lease holder (A) retries missing parents', async () => {
    slack.clear();
    const slowQueue = pair2.dlq.name;
    // B's parent post is answered 429 Retry-After 2 s: B's Slack client waits and tries again.
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    const alert = alertmanagerAlert({ fingerprint: `fp-slow-${run}`, startsAt: clock.now().toISOString(), labels: { alertname: ALERT_NAME, topic: slowQueue } });
    const delivered = await sendAlert(b, alert);
    expect(delivered.json?.alerts).toEqual([expect.objectContaining({ queue: slowQueue, outcome: 'recorded' })]);
    await waitFor(() => slack.callsTo('chat.postMessage').some((c) => c.status === 429), { description: 'B rate-limited' });
    // Meanwhile the lease holder's timers run: the incident is 30 s old and has no parent yet.
    clock.advance(31_000);
    expect(await a.poller.pollOnce()).toBe(true);
    await settle();
    const parents = topLevelPosts().filter((c) => c.status === 200 && shown(c).includes(slowQueue));
    const [incident] = await b.store.listIncidents({ queue: slowQueue });
    expect(incident?.slackTs).toBe((parents[0]?.response as { ts: string } | undefined)?.ts);
    expect(parents).toHaveLength(1);
  });

  it('a second alert landing on B while A is still posting the parent of the incident it opened shows in that thread', async () => {
    slack.clear();
    const stormQueue = pair3.dlq.name;
    // A's parent post is answered 429 Retry-After 2 s: A's Slack client waits and tries again.
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    const first = alertmanagerAlert({ fingerprint: `fp-storm-1-${run}`, startsAt: clock.now().toISOString(), labels: { alertname: ALERT_NAME, topic: stormQueue } });
    expect((await sendAlert(a, first)).json?.alerts).toEqual([expect.objectContaining({ queue: stormQueue, outcome: 'recorded' })]);
    await waitFor(() => slack.callsTo('chat.postMessage').some((c) => c.status === 429), { description: 'A rate-limited' });
    const second = alertmanagerAlert({ fingerprint: `fp-storm-2-${run}`, startsAt: clock.now().toISOString(), labels: { alertname: OTHER_ALERT_NAME, topic: stormQueue } });
    expect((await sendAlert(b, second)).json?.alerts).toEqual([expect.objectContaining({ queue: stormQueue, outcome: 'recorded' })]);
    await settle();
    const parents = topLevelPosts().filter((c) => c.status === 200 && shown(c).includes(stormQueue));
    expect(parents).toHaveLength(1);
    const ts = (parents[0]?.response as { ts: string }).ts;
    const [incident] = await b.store.listIncidents({ queue: stormQueue });
    expect(incident?.slackTs).toBe(ts);
    expect(readIncidentData(incident?.data ?? {}).alerts.map((x) => x.name).sort()).toEqual([ALERT_NAME, OTHER_ALERT_NAME].sort());
    const thread = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts).map(shown);
    expect(thread.filter((text) => text.includes(`Alert \`${ALERT_NAME}\``))).toHaveLength(1);
    expect(thread.filter((text) => text.includes(`Alert \`${OTHER_ALERT_NAME}\``))).toHaveLength(1);
    // A rendered its parent before B's alert arrived; B's edit waited for it and brought it up to date.
    const parentNow = slack.messagesIn(CHANNEL).find((m) => m.ts === ts);
    expect(JSON.stringify(parentNow?.blocks)).toContain(OTHER_ALERT_NAME);
  });

  it('Acknowledge clicked at once on A and on B acknowledges once; the other click is told who did', async () => {
    slack.clear();
    const [incident] = await a.store.listIncidents({ queue });
    if (!incident) throw new Error('no incident');
    const urls = [slack.mintResponseUrl({ channel: CHANNEL, messageTs: parentTs }), slack.mintResponseUrl({ channel: CHANNEL, messageTs: parentTs })];
    const users = ['U_ALICE', 'U_BOB'];
    const responses = await Promise.all([a, b].map((replica, i) =>
      sendBlockActions(replica.url, TEST_SIGNING_SECRET, buildBlockActions({
        user_id: users[i] ?? '',
        channel_id: CHANNEL,
        message: { ts: parentTs },
        actions: [buttonAction({ action_id: INCIDENT_ACTIONS.acknowledge, value: incident.id })],
        response_url: urls[i] ?? '',
      }), signedOnAppClock)));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const answer = await waitFor(() => slack.callsTo('response_url').find((c) => urls.includes(c.url ?? '')), { timeoutMs: 15_000, description: 'the second click answered' });
    await settle();
    const stored = await b.store.getIncident(incident.id);
    expect(stored?.acknowledgedBy).toMatch(/^U_(ALICE|BOB)$/);
    expect(String(answer.args.text)).toBe(`Already acknowledged by <@${stored?.acknowledgedBy}>.`);
    expect(slack.callsTo('response_url').filter((c) => urls.includes(c.url ?? ''))).toHaveLength(1);
    expect(await a.store.searchAudit({ queue, action: 'acknowledge', limit: 10 })).toHaveLength(1);
    const ackReplies = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === parentTs && /acknowledged/i.test(shown(c)));
    expect(ackReplies).toHaveLength(1);
  });

  it('only the lease holder polls: A stores samples, B does not; A dies, its lease expires, B takes over', async () => {
    await settle();
    const start = await sampleCount();
    clock.advance(30_000);
    expect(await a.poller.pollOnce()).toBe(true);
    expect(await b.poller.pollOnce()).toBe(false);
    expect(await sampleCount()).toBe(start + 1);
    clock.advance(30_000);
    expect(await b.poller.pollOnce()).toBe(false);
    expect(await a.poller.pollOnce()).toBe(true);
    expect(await sampleCount()).toBe(start + 2);
    await settle();

    // A dies as a killed process does: its lease stays until it expires (3 poll intervals, 90 s).
    await a.crash();
    stopped.add(a);
    clock.advance(60_000);
    expect(await b.poller.pollOnce()).toBe(false);
    expect(await sampleCount()).toBe(start + 2);
    expect(await b.store.getLease(POLLER_LEASE)).toMatchObject({ holder: aId });
    clock.advance(31_000);
    expect(await b.poller.pollOnce()).toBe(true);
    expect(await sampleCount()).toBe(start + 3);
    expect(await b.store.getLease(POLLER_LEASE)).toMatchObject({ holder: bId });
    const response = await fetch(new URL('/readyz', b.url));
    expect(response.status).toBe(200);
  });

  it('a replica that stops cleanly hands the lease over at once: a new replica polls without waiting for expiry', async () => {
    const c = await startReplica('replica-3');
    expect(await c.poller.pollOnce()).toBe(false);
    const start = await sampleCount();
    await b.stop();
    stopped.add(b);
    clock.advance(1_000);
    expect(await c.poller.pollOnce()).toBe(true);
    expect(await c.store.getLease(POLLER_LEASE)).toMatchObject({ holder: 'replica-3' });
    expect((await c.store.listDepthSamples(queue, { since: new Date(0) })).length).toBe(start + 1);
  });
});
