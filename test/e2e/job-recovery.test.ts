// A job started from Slack survives the crash of the replica running it, end to end: two real apps
// (startServer) share one SQLite file, a real ElasticMQ DLQ and the local Slack API server, on one
// hand-moved clock. App A holds the poller lease and starts a rate-limited redrive-batch from
// /dlq; it is killed mid-job (Runtime.crash: nothing flushed, the job not marked paused, leases left
// to expire). While A's job heartbeats, B never takes it. Once A's leases expire, B's poll takes the
// poller lease, takes the job over from its checkpoint, and reports in the same thread (the same
// progress reply, edited); every message arrives in the target queue exactly once, by body. A
// message move task (redrive-all) A left behind is followed by B to its end and its result posted.
// A clean stop (SIGTERM, a rolling deploy) hands the job to B at B's next poll, with no lease to wait for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { JOB_LEASE_MIN_MS, jobLeaseName, jobLeaseTtlMs } from '../../src/app/jobs/job-lease.ts';
import { POLLER_LEASE } from '../../src/app/shared/poller-lease.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { createQueuePair, deleteQueues, queueDepth, sendMessages, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { buttonsIn, jobIdIn, shown, sqsAppConfig } from '../support/slack-e2e-app.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';

const CHANNEL = 'C_ALERTS';
const COUNT = 60;
const bodies = Array.from({ length: COUNT }, (_, i) => JSON.stringify({ orderId: i, error: 'Lambda timeout after 30000 ms' }));
const okCall = (call: RecordedCall | undefined) => (call?.response as { ok?: boolean } | undefined)?.ok === true;
const quietLogger = () => silentLogger('error');

describe.skipIf(!services)('a Slack job when the replica running it crashes (two apps, one SQLite file, ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  /** Slack requests are dated on the app's clock: the app refuses one more than 5 minutes off it. */
  const signedOnAppClock = { now: () => clock.now().getTime() };
  let sqs: ReturnType<typeof testSqsClient>;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let slack: SlackApiServer;
  let dir: string;
  let a: Runtime;
  let b: Runtime;
  let crashed = false;
  const used: { source: CreatedQueue; dlq: CreatedQueue }[] = [];

  /** Every message arrived in the target queue exactly once, by body, and the DLQ is empty. */
  const expectEveryBodyOnceAndDlqEmpty = async (): Promise<void> => {
    const arrivals = new Map<string, number>();
    for (const body of await drainTarget()) arrivals.set(body, (arrivals.get(body) ?? 0) + 1);
    expect([...arrivals.values()].filter((n) => n > 1)).toEqual([]);
    expect([...arrivals.keys()].sort()).toEqual([...bodies].sort());
    expect(await queueDepth(sqs, pair.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  };

  const start = async (replicaId: string, pollMs = 200): Promise<Runtime> => {
    const { config, secrets } = sqsAppConfig({
      dir,
      slackUrl: slack.url,
      queues: [{ name: pair.dlq.name, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' } }],
      roles: { admins: ['U_BOB'], viewers: 'everyone' },
    });
    // What A had checked out reappears 3 s after the crash (60 s in production, under the 90 s a job's lease lasts).
    return startServer(config, secrets, quietLogger(), {
      slackRetries: 0, clock, timers: manualTimers(), replicaId, sqsCheckoutVisibilitySeconds: 3, slackJobs: { progressEveryMs: 0, pollMs },
    });
  };

  /** `/dlq <text>` from an admin to one app; resolves with its response_url answer. */
  const dlq = async (app: Runtime, text: string): Promise<RecordedCall> => {
    const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
    const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: 'U_BOB', channel_id: CHANNEL, response_url: responseUrl }, signedOnAppClock);
    expect(sent.status).toBe(200);
    return waitFor(() => slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 10_000, description: `the answer to ${text}` });
  };

  /**
   * The bodies into the DLQ, `/dlq redrive-batch` of all of them through A, and the job's root
   * message and first progress reply once A has replayed 20: the job id, the thread, that reply's ts.
   */
  const startBatchOnA = async (): Promise<{ jobId: string; rootTs: string; inThread: () => RecordedCall[]; progressTs: string | undefined }> => {
    await sendMessages(sqs, pair.dlq.url, bodies);
    const answer = await dlq(a, `redrive-batch ${pair.dlq.name} --count ${COUNT} --rate 10`);
    const jobId = jobIdIn(answer);
    expect(jobId).not.toBe('');
    const root = await waitFor(() => slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId)), { timeoutMs: 10_000, description: 'job root message' });
    const rootTs = (root.response as { ts: string }).ts;
    const inThread = () => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === rootTs);
    await waitFor(async () => ((await b.store.getJob(jobId))?.progress.done ?? 0) >= 20, { timeoutMs: 20_000, description: '20 replayed by A' });
    const progressTs = (inThread().find((c) => shown(c).includes(':arrows_counterclockwise:'))?.response as { ts: string } | undefined)?.ts;
    expect(progressTs).toBeDefined();
    return { jobId, rootTs, inThread, progressTs };
  };

  /**
   * Ends A (`crash` or `stop`) mid-job: the job is still `running`, A having replayed at least 20 of
   * the messages but not all. Resolves with the number of chat.postMessage calls before the end.
   */
  const endAMidJob = async (end: () => Promise<void>, jobId: string): Promise<number> => {
    const postsBefore = slack.callsTo('chat.postMessage').length;
    await end();
    crashed = true;
    const left = await b.store.getJob(jobId);
    expect(left?.status).toBe('running');
    const doneByA = left?.progress.done ?? 0;
    expect(doneByA).toBeGreaterThanOrEqual(20);
    expect(doneByA).toBeLessThan(COUNT);
    return postsBefore;
  };

  /** Every message in the target queue, received and deleted: its bodies. */
  const drainTarget = async (): Promise<string[]> => {
    const out: string[] = [];
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.source.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const batch = r.Messages ?? [];
      if (batch.length === 0) return out;
      out.push(...batch.map((m) => m.Body ?? ''));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: pair.source.url, Entries: batch.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })) }));
    }
  };

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    sqs = testSqsClient();
    pair = await createQueuePair(sqs, 'recover');
    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-recover-e2e-'));
    a = await start('replica-a');
    await waitFor(async () => (await a.store.getLease(POLLER_LEASE))?.holder === 'replica-a', { timeoutMs: 10_000, description: 'A holds the poller lease' });
    b = await start('replica-b');
  });
  afterAll(async () => {
    if (!crashed) await a?.crash();
    await b?.stop();
    await slack?.close();
    for (const queues of [...used, ...(pair ? [pair] : [])]) await deleteQueues(sqs, queues.source.url, queues.dlq.url);
    sqs?.destroy();
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('B takes the job over after A\'s heartbeat expires, finishes it without replaying a message twice, and reports in the same thread', async () => {
    const { jobId, rootTs, inThread, progressTs } = await startBatchOnA();
    expect((await b.store.getJob(jobId))?.thread).toEqual({ channel: CHANNEL, threadTs: rootTs, startTs: rootTs, progressTs });

    // While A heartbeats, B never runs the job, even when it holds the poller lease and sweeps,
    // and `resume` through B is refused in its answer (nothing starts).
    expect(await b.poller.pollOnce()).toBe(false);
    expect(await b.jobRecovery.sweep()).toEqual([]);
    expect((await b.store.getLease(jobLeaseName(jobId)))?.holder).toMatch(/^run:/);
    const refused = await dlq(b, `resume ${pair.dlq.name} ${jobId}`);
    expect(shown(refused)).toContain('is running in another process');
    expect(buttonsIn(refused)).toEqual([]);

    // A is killed mid-job: nothing flushed, the job still `running`, nothing said in the thread.
    const postsBeforeCrash = await endAMidJob(() => a.crash(), jobId);
    expect(slack.callsTo('chat.postMessage').slice(postsBeforeCrash).filter((c) => shown(c).includes('paused'))).toEqual([]);

    // Not yet gone: the job's lease and the poller's still run (a slow job is not a dead one).
    expect(await b.jobRecovery.sweep()).toEqual([]);
    // What A had checked out becomes visible again, then A's leases expire on the shared clock.
    await waitFor(async () => (await queueDepth(sqs, pair.dlq.url)).inFlight === 0, { timeoutMs: 15_000, description: 'A\'s checkouts visible again' });
    const job = (await b.store.getJob(jobId))!;
    clock.advance(Math.max(jobLeaseTtlMs(job), JOB_LEASE_MIN_MS, 90_000) + 1_000);
    expect(await b.poller.pollOnce()).toBe(true);
    await waitFor(async () => (await b.store.getJob(jobId))?.status !== 'running', { timeoutMs: 30_000, description: 'B finishes the job' });
    await b.slackJobs.idle();

    const finished = await b.store.getJob(jobId);
    expect(finished).toMatchObject({ status: 'succeeded', progress: { done: COUNT, failed: 0 } });
    await expectEveryBodyOnceAndDlqEmpty();

    // The same thread: a takeover note, the same progress reply edited, the result, Cancel gone.
    const after = inThread().filter((c) => slack.callsTo('chat.postMessage').indexOf(c) >= postsBeforeCrash);
    const note = after.find((c) => shown(c).includes('stopped answering'));
    expect(okCall(note)).toBe(true);
    expect(shown(note)).toContain('replica-b continues it from its checkpoint');
    expect(after.filter((c) => shown(c).includes(':arrows_counterclockwise:'))).toEqual([]);
    expect(slack.callsTo('chat.update').filter((c) => c.args.ts === progressTs && shown(c).includes(`${COUNT} of ${COUNT} replayed`)).some(okCall)).toBe(true);
    const result = after.find((c) => shown(c).includes(`Job ${jobId} on ${pair.dlq.name} finished: ${COUNT} message(s) replayed`));
    expect(okCall(result)).toBe(true);
    const rootEdit = slack.callsTo('chat.update').filter((c) => c.args.ts === rootTs).at(-1);
    expect(okCall(rootEdit)).toBe(true);
    expect(buttonsIn(rootEdit)).toEqual([]);
    const audit = await b.store.searchAudit({ ref: jobId, action: 'redrive-batch:takeover', limit: 5 });
    expect(audit[0]).toMatchObject({ actor: 'system', result: 'success', details: { replica: 'replica-b' } });
  });
  it('a message move task A left behind is followed by B to its end (ListMessageMoveTasks) and its result posted in its thread', async () => {
    // A fresh pair of replicas on a fresh pair of queues (ElasticMQ's move task also moves messages
    // that reappeared after a visibility timeout and were deleted since, as the first test's were):
    // A, which holds the poller lease, reads move tasks only every 10 minutes.
    await b.stop();
    used.push(pair);
    pair = await createQueuePair(sqs, 'recover-move');
    clock.advance(120_000);
    a = await start('replica-a2', 600_000);
    crashed = false;
    expect(await a.poller.pollOnce()).toBe(true);
    b = await start('replica-b2');
    await sendMessages(sqs, pair.dlq.url, bodies.slice(0, 15));
    const answer = await dlq(a, `redrive-all ${pair.dlq.name}`);
    expect(shown(answer)).toContain('message move task');
    const jobId = jobIdIn(answer);
    const stored = await waitFor(async () => (await b.store.getJob(jobId))?.thread ?? undefined, { timeoutMs: 10_000, description: 'the job\'s thread stored' });
    const postsBeforeCrash = slack.callsTo('chat.postMessage').length;
    await a.crash();
    crashed = true;
    expect((await b.store.getJob(jobId))?.status).toBe('running');
    expect(await b.jobRecovery.sweep()).toEqual([]);

    clock.advance(JOB_LEASE_MIN_MS + 1_000);
    expect(await b.poller.pollOnce()).toBe(true);
    await waitFor(async () => (await b.store.getJob(jobId))?.status !== 'running', { timeoutMs: 60_000, description: 'B follows the task to its end' });
    await b.slackJobs.idle();
    // (ElasticMQ's moved count is its own; the messages are counted in the target queue below.)
    expect((await b.store.getJob(jobId))?.status).toBe('succeeded');
    const after = slack.callsTo('chat.postMessage').slice(postsBeforeCrash).filter((c) => c.args.thread_ts === stored.threadTs);
    expect(shown(after.find((c) => shown(c).includes('stopped answering')))).toContain('replica-b2 follows the message move task to its end');
    expect(okCall(after.find((c) => shown(c).includes(`Job ${jobId} on ${pair.dlq.name} finished:`)))).toBe(true);
    const rootEdit = slack.callsTo('chat.update').filter((c) => c.args.ts === stored.startTs).at(-1);
    expect(buttonsIn(rootEdit)).toEqual([]);
    const copies = await drainTarget();
    expect(new Set(copies).size).toBe(15);
    expect(copies).toHaveLength(15);
    expect(await queueDepth(sqs, pair.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });
  it('A stops cleanly mid-job (a rolling deploy): B takes it over at its next poll without waiting for a lease, every message once, same thread', async () => {
    await b.stop();
    used.push(pair);
    pair = await createQueuePair(sqs, 'recover-stop');
    // A2's leases (killed in the test above) expire; A3 runs the poller.
    clock.advance(120_000);
    a = await start('replica-a3');
    crashed = false;
    expect(await a.poller.pollOnce()).toBe(true);
    b = await start('replica-b3');
    const { jobId, rootTs, inThread, progressTs } = await startBatchOnA();
    expect(await b.poller.pollOnce()).toBe(false);

    // A clean stop (SIGTERM): the job stays `running`, its lease and the poller's are freed at once,
    // what A had checked out is visible again, and nothing is said in the thread (no `paused`).
    const postsBeforeStop = await endAMidJob(() => a.stop(), jobId);
    expect(await b.store.getLease(jobLeaseName(jobId))).toBeNull();
    expect(await b.store.getLease(POLLER_LEASE)).toBeNull();
    expect((await queueDepth(sqs, pair.dlq.url)).inFlight).toBe(0);
    expect(slack.callsTo('chat.postMessage').slice(postsBeforeStop).filter((c) => shown(c).includes('paused'))).toEqual([]);
    expect((await b.store.searchAudit({ ref: jobId, action: 'redrive-batch:handed-off', limit: 1 }))[0]).toMatchObject({ result: 'success' });

    // B's next poll, on the same clock (no lease to wait for), takes the poller and the job.
    expect(await b.poller.pollOnce()).toBe(true);
    await waitFor(async () => (await b.store.getJob(jobId))?.status !== 'running', { timeoutMs: 30_000, description: 'B finishes the job' });
    await b.slackJobs.idle();
    expect(await b.store.getJob(jobId)).toMatchObject({ status: 'succeeded', progress: { done: COUNT, failed: 0 } });
    await expectEveryBodyOnceAndDlqEmpty();

    const after = inThread().filter((c) => slack.callsTo('chat.postMessage').indexOf(c) >= postsBeforeStop);
    expect(shown(after.find((c) => shown(c).includes('stopped or stopped answering')))).toContain('replica-b3 continues it from its checkpoint');
    expect(after.filter((c) => shown(c).includes(':arrows_counterclockwise:'))).toEqual([]);
    expect(slack.callsTo('chat.update').filter((c) => c.args.ts === progressTs && shown(c).includes(`${COUNT} of ${COUNT} replayed`)).some(okCall)).toBe(true);
    expect(okCall(after.find((c) => shown(c).includes(`Job ${jobId} on ${pair.dlq.name} finished: ${COUNT} message(s) replayed`)))).toBe(true);
    expect(buttonsIn(slack.callsTo('chat.update').filter((c) => c.args.ts === rootTs).at(-1))).toEqual([]);
    const takeover = await b.store.searchAudit({ ref: jobId, action: 'redrive-batch:takeover', limit: 5 });
    expect(takeover[0]).toMatchObject({ actor: 'system', result: 'success', details: { replica: 'replica-b3' } });
  });
});
