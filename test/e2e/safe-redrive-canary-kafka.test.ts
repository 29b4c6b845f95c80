// Safe redrive on a Kafka DLQ on the real broker, through signed Slack requests. A downstream on the
// replay topic fails HEIC downloads on purpose: it writes them back to the DLQ topic with the same
// trace id and a new error. redrive-all with the queue's canary replays the first 2 (both HEIC),
// sees them back, pauses with the new failure's error signature and replays nothing more; with the
// downstream fixed, Continue replays the rest (the returned copies included): every download is
// processed exactly once. A single replay that fails again is reported by the post-replay watch in
// the incident's thread, and the incident escalates to L3 (the Kafka runbook's "replay failure").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { JOB_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { alertmanagerAlert, alertmanagerWebhook } from '../fixtures/alerts/alert-builders.ts';
import { downloadDlqBodyJson } from '../fixtures/download-dlq-body.ts';
import { amHeaders, BEARER, post } from '../integration/alerts/alert-test-server.ts';
import { KafkaTestBench, kafkaBrokers, services } from '../integration/kafka/kafka-test-env.ts';
import { startKafkaDownstream, type FailingDownstream } from '../support/failing-downstream.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { buttonsIn, shown, signedClick, jobIdIn } from '../support/slack-e2e-app.ts';

const CHANNEL = 'C_ALERTS';
const CANARY_QUEUE = 'downloads-canary-dlq';
const WATCH_QUEUE = 'downloads-watch-dlq';
const INCIDENT_QUEUE = 'downloads-incident-dlq';
const NEW_ERROR = 'HTTP 415: Unsupported Media Type - thumbnailer rejects image/heic';
const isHeic = (body: string): boolean => String((JSON.parse(body) as { attachment_url?: string }).attachment_url).endsWith('.heic');

describe.skipIf(!services)('safe redrive on Kafka: canary, pause, Continue, post-replay watch and L3 (real broker, Slack)', () => {
  let bench: KafkaTestBench;
  let slack: SlackApiServer;
  let app: Runtime;
  let dir: string;
  const topics = { canary: { dlq: '', replay: '' }, watch: { dlq: '', replay: '' }, incident: { dlq: '', replay: '' } };
  const downstreams: FailingDownstream[] = [];
  const thread = (ts: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
  const tsOf = (call: RecordedCall) => (call.response as { ts: string }).ts;

  const dlq = async (text: string, user = 'U_ALICE'): Promise<RecordedCall> => {
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
    const before = slack.callsTo('response_url').length;
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: user, channel_id: CHANNEL, response_url: responseUrl });
    const calls = await slack.waitForCalls('response_url', before + 1, 30_000);
    return calls[before] as RecordedCall;
  };

  /** An Alertmanager alert on the topic: the queue's incident, at L1, with its parent message. */
  const openIncident = async (topic: string, queue: string) => {
    const alert = alertmanagerAlert({ fingerprint: uniqueName('fp'), startsAt: new Date().toISOString(), labels: { alertname: 'KafkaDLQSizeHigh', topic } });
    expect((await post(app.url, '/alerts/alertmanager', { headers: amHeaders(), body: JSON.stringify(alertmanagerWebhook([alert])) })).status).toBe(200);
    const incident = await waitFor(async () => {
      const open = await app.store.findOpenIncident(queue);
      return open?.slackTs ? open : null;
    }, { timeoutMs: 20_000, description: 'incident with its parent message' });
    expect(incident.level).toBe('L1');
    return incident;
  };

  const body = (traceId: string, file: string, failedAt = new Date(Date.now() - 3_600_000)) =>
    downloadDlqBodyJson({ traceId, url: `https://files.example.com/claims/${file}`, finalError: 'HTTP 503: Service Unavailable', errorCategory: 'transient', retryCount: 4, failedAt });

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    topics.canary = { dlq: await bench.createTopic('canary-dlq'), replay: await bench.createTopic('canary-pending') };
    topics.watch = { dlq: await bench.createTopic('watch-dlq'), replay: await bench.createTopic('watch-pending') };
    topics.incident = { dlq: await bench.createTopic('incident-dlq'), replay: await bench.createTopic('incident-pending') };
    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-safe-kafka-'));
    const queue = (name: string, t: { dlq: string; replay: string }) => ({
      name, kind: 'kafka', cluster: 'default', topic: t.dlq, consumerGroup: uniqueName(name), replayTopic: t.replay, alertChannel: CHANNEL,
      escalation: { preset: 'kafka-runbook' }, canary: { count: 2, watch: '6s' },
    });
    const parsed = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
      slack: { apiUrl: slack.url, mode: 'http' },
      kafka: { default: { brokers: kafkaBrokers(), clientId: 'redrive-e2e-safe' } },
      roles: { admins: ['U_ALICE', 'U_BOB'], viewers: 'everyone' },
      alerts: { alertmanager: { bearerTokenEnv: 'AM_TOKEN', alertLevels: { KafkaDLQSizeHigh: 'L1' } } },
      queues: [queue(CANARY_QUEUE, topics.canary), queue(WATCH_QUEUE, topics.watch), queue(INCIDENT_QUEUE, topics.incident)],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const logger = silentLogger();
    const secrets = resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, AM_TOKEN: BEARER });
    app = await startServer(parsed.config, secrets, logger, { slackRetries: 0, timers: manualTimers(), replicaId: 'safe-kafka', slackJobs: { progressEveryMs: 0 }, replayWatchPollMs: 500 });
    await slack.waitForCalls('auth.test', 1);
  }, 60_000);
  afterAll(async () => {
    for (const d of downstreams) await d.stop().catch(() => undefined);
    await app?.stop();
    await slack?.close();
    await bench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('redrive-all: the canary comes back with a new error, the job pauses; Continue with the downstream fixed processes each download once', async () => {
    const traces = Array.from({ length: 6 }, (_, i) => uniqueName(`dl${i}`));
    // The downstream fails HEIC photos and takes PDFs. Concurrent batches share the scan, so the canary
    // is not always offsets 0 and 1: all but one are HEIC, so whichever two it is, one at least fails.
    const files = ['a.heic', 'b.heic', 'c.pdf', 'd.heic', 'e.heic', 'f.heic'];
    await bench.produce(topics.canary.dlq, traces.map((t, i) => ({ key: t, value: body(t, files[i] ?? '') })));
    const downstream = await startKafkaDownstream(bench.kafka, { replayTopic: topics.canary.replay, dlqTopic: topics.canary.dlq }, isHeic, NEW_ERROR);
    downstreams.push(downstream);

    const reply = await dlq(`redrive-all ${CANARY_QUEUE}`);
    const jobId = jobIdIn(reply);
    expect(jobId).not.toBe('');
    const root = await waitFor(() => slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId)), { timeoutMs: 15_000, description: 'job root' });
    const paused = await waitFor(() => thread(tsOf(root)).find((c) => shown(c).includes('canary message(s) came back')), { timeoutMs: 60_000, description: 'canary pause message' });
    // Why: the new failure's error signature, from the record the downstream wrote back.
    expect(shown(paused)).toContain('HTTP 415: Unsupported Media Type');
    expect((await app.store.getJob(jobId))?.status).toBe('paused');
    await app.slackJobs.idle();
    // Nothing beyond the canary reached the replay topic.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const canaryReplays = await app.store.listReplays(CANARY_QUEUE, { jobId });
    expect(canaryReplays).toHaveLength(2);
    const canaryTraces = traces.filter((t) => canaryReplays.some((r) => r.fingerprints.includes(`trace:${t}`)));
    const failing = canaryTraces.filter((t) => files[traces.indexOf(t)]?.endsWith('.heic'));
    expect(new Set(downstream.attempts)).toEqual(new Set(canaryTraces));
    expect(downstream.processed).toEqual(canaryTraces.filter((t) => !failing.includes(t)));

    downstream.fix();
    const value = buttonsIn(paused).find((b) => b.action_id === JOB_ACTIONS.continueAfterCanary)?.value ?? '';
    await signedClick(app.url, slack, { actionId: JOB_ACTIONS.continueAfterCanary, value, messageTs: tsOf(paused), threadTs: tsOf(root), user: 'U_BOB' });
    await waitFor(async () => (await app.store.getJob(jobId))?.status === 'succeeded', { timeoutMs: 60_000, description: 'job finished after Continue' });
    await waitFor(() => downstream.processed.length >= 6, { timeoutMs: 30_000, description: 'every download processed' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect([...downstream.processed].sort()).toEqual([...traces].sort());
    const resumed = await app.store.searchAudit({ ref: jobId, action: 'redrive-all:resume', limit: 5 });
    expect(resumed[0]).toMatchObject({ actor: 'U_BOB', result: 'success', details: { canary: 'continued' } });
    // The post-replay watch: the returned copies were replayed again, so none is outstanding.
    const watch = await waitFor(() => thread(tsOf(root)).find((c) => shown(c).includes(`Post-replay watch on ${CANARY_QUEUE}`)), { timeoutMs: 30_000, description: 'post-replay watch result' });
    expect(shown(watch)).toContain(`none of the ${6 + failing.length} message(s)`);
  }, 180_000);

  it('a replay that fails again: the post-replay watch reports it in the incident thread, and the incident escalates to L3', async () => {
    const trace = uniqueName('photo');
    await bench.produce(topics.watch.dlq, [{ key: trace, value: body(trace, 'g.heic') }]);
    downstreams.push(await startKafkaDownstream(bench.kafka, { replayTopic: topics.watch.replay, dlqTopic: topics.watch.dlq }, isHeic, NEW_ERROR));
    const incident = await openIncident(topics.watch.dlq, WATCH_QUEUE);

    const replied = await dlq(`replay ${WATCH_QUEUE} 0:0`);
    expect(shown(replied)).toContain('Replayed');
    const report = await waitFor(() => thread(incident.slackTs ?? '').find((c) => shown(c).includes(`Post-replay watch on ${WATCH_QUEUE}`)), { timeoutMs: 30_000, description: 'watch report in the incident thread' });
    expect(shown(report)).toContain('1 of 1 message(s) replayed by a replay of 0:0 came back');
    expect(shown(report)).toContain('HTTP 415: Unsupported Media Type');
    await waitFor(async () => (await app.store.getIncident(incident.id))?.level === 'L3', { timeoutMs: 30_000, description: 'incident escalated to L3' });
    await app.incidents.flush();
    expect(thread(incident.slackTs ?? '').some((c) => shown(c).includes('replayed message(s) came back to the DLQ'))).toBe(true);
    const audit = await app.store.searchAudit({ queue: WATCH_QUEUE, action: 'replay-watch', limit: 5 });
    expect(audit[0]).toMatchObject({ result: 'failure', details: { replayed: 1, returned: 1 } });
  }, 120_000);

  it('a canary that comes back is a replay failure too: the job pauses in the incident thread and the incident escalates to L3', async () => {
    const traces = Array.from({ length: 4 }, (_, i) => uniqueName(`inc${i}`));
    await bench.produce(topics.incident.dlq, traces.map((t, i) => ({ key: t, value: body(t, `${i}.heic`) })));
    downstreams.push(await startKafkaDownstream(bench.kafka, { replayTopic: topics.incident.replay, dlqTopic: topics.incident.dlq }, isHeic, NEW_ERROR));
    const incident = await openIncident(topics.incident.dlq, INCIDENT_QUEUE);
    const reply = await dlq(`redrive-all ${INCIDENT_QUEUE}`);
    const jobId = jobIdIn(reply);
    await waitFor(() => thread(incident.slackTs ?? '').find((c) => shown(c).includes(`Job ${jobId} on ${INCIDENT_QUEUE} paused`)), { timeoutMs: 60_000, description: 'paused in the incident thread' });
    await waitFor(async () => (await app.store.getIncident(incident.id))?.level === 'L3', { timeoutMs: 30_000, description: 'incident escalated to L3' });
    expect(await app.store.listReplays(INCIDENT_QUEUE, { jobId })).toHaveLength(2);
  }, 120_000);
});
