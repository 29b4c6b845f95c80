// `/dlq monitor` outlives the process, end to end: real apps (startServer) on one SQLite file, a real
// ElasticMQ DLQ and the local Slack API server, each app on its own hand-driven timers and one fixed
// clock. A monitor started through the replica that does not poll posts its first reading there;
// from then on only the poller's replica runs it. When that replica stops, the other takes the
// poller over and carries on in the same thread; after a restart (stop + a new startServer on the
// same file) the new process carries on too; stop-monitor removes it for good.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { POLLER_LEASE } from '../../src/app/shared/poller-lease.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { createQueuePair, deleteQueues, sendMessages, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { shown, sqsAppConfig } from '../support/slack-e2e-app.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';

const CHANNEL = 'C_ALERTS';
const quietLogger = () => silentLogger('error');
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe.skipIf(!services)('a /dlq monitor across replicas and restarts (one SQLite file, ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  /** Slack requests are dated on the app's clock: the app refuses one more than 5 minutes off it. */
  const signedOnAppClock = { now: () => clock.now().getTime() };
  let sqs: ReturnType<typeof testSqsClient>;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let slack: SlackApiServer;
  let dir: string;
  const apps = new Map<Runtime, ReturnType<typeof manualTimers>>();
  const stopped = new Set<Runtime>();

  const start = async (replicaId: string): Promise<Runtime> => {
    const { config, secrets } = sqsAppConfig({
      dir,
      slackUrl: slack.url,
      queues: [{ name: pair.dlq.name, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' } }],
      roles: { operators: ['U_ALICE'], viewers: 'everyone' },
    });
    const timers = manualTimers();
    const app = await startServer(config, secrets, quietLogger(), { slackRetries: 0, clock, timers, replicaId });
    apps.set(app, timers);
    return app;
  };
  const stop = async (app: Runtime): Promise<void> => {
    stopped.add(app);
    await app.stop();
  };
  /** Fires every pending timer of every running app (polls, monitor intervals), then lets the work run. */
  const tick = async (): Promise<void> => {
    for (const [app, timers] of apps) if (!stopped.has(app)) timers.runAll();
    await settle();
  };

  const dlq = async (app: Runtime, text: string): Promise<RecordedCall> => {
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
    const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: 'U_ALICE', channel_id: CHANNEL, response_url: responseUrl }, signedOnAppClock);
    expect(sent.status).toBe(200);
    return waitFor(() => slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 10_000, description: `the answer to ${text}` });
  };
  const readings = () => slack.callsTo('chat.postMessage').filter((c) => shown(c).includes(`:bar_chart: *${pair.dlq.name}*`));

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    sqs = testSqsClient();
    pair = await createQueuePair(sqs, 'monitor-restart');
    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-monitor-e2e-'));
  });
  afterAll(async () => {
    for (const app of apps.keys()) if (!stopped.has(app)) await app.stop().catch(() => undefined);
    await slack?.close();
    if (pair) await deleteQueues(sqs, pair.source.url, pair.dlq.url);
    sqs?.destroy();
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('only the poller\'s replica posts readings; another replica, then a restarted app, carry on in the same thread; stop-monitor ends it', async () => {
    await sendMessages(sqs, pair.dlq.url, ['{"n":1}', '{"n":2}', '{"n":3}']);
    const a = await start('replica-a');
    await waitFor(async () => (await a.store.getLease(POLLER_LEASE))?.holder === 'replica-a', { timeoutMs: 10_000, description: 'A holds the poller lease' });
    const b = await start('replica-b');

    // Started through B (not the poller): B answers and posts the first reading, opening the thread.
    const reply = await dlq(b, `monitor ${pair.dlq.name} --interval 60`);
    expect(shown(reply)).toContain(`Monitoring ${pair.dlq.name} every 60s`);
    const [first] = await waitFor(() => (readings().length === 1 ? readings() : null), { description: 'the first reading' });
    expect(first?.args.thread_ts).toBeUndefined();
    const threadTs = (first?.response as { ts: string }).ts;
    expect(await a.store.getMonitor(pair.dlq.name)).toMatchObject({ queue: pair.dlq.name, intervalSeconds: 60, channel: CHANNEL, threadTs, startedBy: 'U_ALICE' });

    // A (the poller) runs it: its next poll adopts it, and each interval is one reading in the thread.
    await waitFor(async () => {
      await tick();
      return readings().length >= 3 ? true : null;
    }, { description: 'readings from the poller\'s replica' });
    expect(a.monitors.active()).toEqual([pair.dlq.name]);
    expect(b.monitors.active()).toEqual([]);
    expect(readings().slice(1).every((c) => c.args.thread_ts === threadTs)).toBe(true);
    // One reading per interval, whoever's timers fire: only A posts.
    const before = readings().length;
    for (let i = 0; i < 3; i += 1) {
      apps.get(b)?.runAll();
      await settle();
    }
    expect(readings()).toHaveLength(before);

    // A stops (a rolling deploy): B's next poll takes the poller over and carries on in the thread.
    await stop(a);
    expect(await b.store.getMonitor(pair.dlq.name)).not.toBeNull();
    await sendMessages(sqs, pair.dlq.url, ['{"n":4}']);
    await waitFor(async () => {
      await tick();
      return readings().find((c) => c.args.thread_ts === threadTs && shown(c).includes(': 4 visible'));
    }, { description: 'a reading from B' });
    expect(b.monitors.active()).toEqual([pair.dlq.name]);

    // A restart of the app: B stops, a new process on the same SQLite file carries on in the thread.
    await stop(b);
    const c = await start('replica-c');
    await sendMessages(sqs, pair.dlq.url, ['{"n":5}']);
    await waitFor(async () => {
      await tick();
      return readings().find((r) => r.args.thread_ts === threadTs && shown(r).includes(': 5 visible'));
    }, { description: 'a reading after the restart' });
    expect(c.monitors.active()).toEqual([pair.dlq.name]);
    expect(readings().every((r) => r === first || r.args.thread_ts === threadTs)).toBe(true);

    // stop-monitor (from any replica) removes it: no reading after, nothing left to carry on.
    expect(shown(await dlq(c, `stop-monitor ${pair.dlq.name}`))).toContain(`Stopped monitoring ${pair.dlq.name}`);
    expect(await c.store.getMonitor(pair.dlq.name)).toBeNull();
    const count = readings().length;
    for (let i = 0; i < 3; i += 1) await tick();
    expect(readings()).toHaveLength(count);
    expect(c.monitors.active()).toEqual([]);
  });
});
