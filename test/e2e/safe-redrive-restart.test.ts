// The canary and the post-replay watch survive a restart (SQLite file shared by successive apps,
// ElasticMQ, the local Slack API server): app A is stopped while its job watches its canary; app B's
// first poll takes the job over and watches until the stored end of the window, sees the canary come
// back and pauses the job in the same thread. After Continue, B is stopped while the post-replay watch
// runs; app C's first poll adopts the stored watch and posts its result in the job's thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { canaryStateOf } from '../../src/app/jobs/canary.ts';
import { REPLAY_WATCH_KIND } from '../../src/app/jobs/replay-watches.ts';
import { JOB_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { createQueuePair, deleteQueues, sendMessages, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { startSqsDownstream, type FailingDownstream } from '../support/failing-downstream.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { buttonsIn, shown, signedClick, sqsAppConfig, jobIdIn } from '../support/slack-e2e-app.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';

const CHANNEL = 'C_ALERTS';
const quietLogger = () => silentLogger('error');

describe.skipIf(!services)('canary and post-replay watch across restarts (ElasticMQ, one SQLite file)', () => {
  let sqs: ReturnType<typeof testSqsClient>;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let slack: SlackApiServer;
  let dir: string;
  let downstream: FailingDownstream;
  const apps: Runtime[] = [];
  const tsOf = (call: RecordedCall) => (call.response as { ts: string }).ts;
  const thread = (ts: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

  const start = async (replicaId: string): Promise<Runtime> => {
    const { config, secrets } = sqsAppConfig({
      dir,
      slackUrl: slack.url,
      queues: [{ name: pair.dlq.name, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' }, canary: { count: 2, watch: '12s' } }],
      roles: { admins: ['U_BOB'], viewers: 'everyone' },
    });
    const app = await startServer(config, secrets, quietLogger(), { slackRetries: 0, timers: manualTimers(), replicaId, slackJobs: { progressEveryMs: 0 }, replayWatchPollMs: 500 });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    sqs = testSqsClient();
    pair = await createQueuePair(sqs, 'canary-restart');
    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-canary-restart-'));
  });
  afterAll(async () => {
    await downstream?.stop();
    for (const app of apps) await app.stop().catch(() => undefined);
    await slack?.close();
    if (pair) await deleteQueues(sqs, pair.source.url, pair.dlq.url);
    sqs?.destroy();
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a restart mid-watch carries on the canary watch and then the post-replay watch', async () => {
    const traces = Array.from({ length: 4 }, (_, i) => uniqueName(`r${i}`));
    await sendMessages(sqs, pair.dlq.url, traces.map((t) => JSON.stringify({ trace_id: t, kind: 'thumbnail', error: 'HTTP 503 from the thumbnailer' })));
    const a = await start('replica-a');
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
    await sendSlashCommand(a.url, TEST_SIGNING_SECRET, { text: `redrive-batch ${pair.dlq.name} --count 4`, user_id: 'U_BOB', channel_id: CHANNEL, response_url: responseUrl });
    const answer = await waitFor(() => slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 10_000, description: 'the answer' });
    const jobId = jobIdIn(answer);
    const root = await waitFor(() => slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId)), { timeoutMs: 10_000, description: 'job root' });
    await waitFor(async () => {
      const job = await a.store.getJob(jobId);
      return job !== null && canaryStateOf(job)?.phase === 'watching';
    }, { timeoutMs: 20_000, description: 'the canary replayed and watched' });
    // The downstream starts only now: the canary comes back after A is gone.
    await a.stop();
    downstream = startSqsDownstream(sqs, pair.source.url, () => true);

    const b = await start('replica-b');
    const handedOff = await b.store.getJob(jobId);
    expect(handedOff?.status).toBe('running');
    expect(canaryStateOf(handedOff!)?.phase).toBe('watching');
    expect(await b.poller.pollOnce()).toBe(true);
    const paused = await waitFor(() => thread(tsOf(root)).find((c) => shown(c).includes('canary message(s) came back')), { timeoutMs: 40_000, description: 'B pauses the job in the same thread' });
    expect((await b.store.getJob(jobId))?.status).toBe('paused');
    expect(await b.store.listReplays(pair.dlq.name, { jobId })).toHaveLength(2);
    await b.slackJobs.idle();

    downstream.fix();
    const value = buttonsIn(paused).find((x) => x.action_id === JOB_ACTIONS.continueAfterCanary)?.value ?? '';
    await signedClick(b.url, slack, { actionId: JOB_ACTIONS.continueAfterCanary, value, messageTs: tsOf(paused), threadTs: tsOf(root), user: 'U_BOB' });
    await waitFor(async () => (await b.store.getJob(jobId))?.status === 'succeeded', { timeoutMs: 40_000, description: 'job finished' });
    const watch = await waitFor(async () => (await b.store.listJobs({ queue: pair.dlq.name, status: ['running'] })).find((j) => j.kind === REPLAY_WATCH_KIND) ?? null, { timeoutMs: 10_000, description: 'a stored post-replay watch' });
    await b.stop();

    const c = await start('replica-c');
    expect((await c.store.getJob(watch.id))?.status).toBe('running');
    expect(await c.poller.pollOnce()).toBe(true);
    const report = await waitFor(() => thread(tsOf(root)).find((x) => shown(x).includes(`Post-replay watch on ${pair.dlq.name}`)), { timeoutMs: 30_000, description: 'C posts the watch result' });
    expect(shown(report)).toContain(`replayed by job ${jobId}`);
    expect((await c.store.getJob(watch.id))?.status).toBe('succeeded');
    expect([...downstream.processed].sort()).toEqual([...traces].sort());
  }, 150_000);
});
