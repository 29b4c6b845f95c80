// Safe redrive on an SQS DLQ (ElasticMQ), through signed Slack requests: a downstream consumer on the
// source queue fails thumbnails on purpose (they go back to the DLQ after maxReceiveCount). A
// redrive-batch with the queue's canary replays the first 2, sees them come back, pauses with which
// came back and why, and replays nothing more; with the downstream fixed, Continue replays the rest
// (the returned canary messages included) and every message is processed exactly once. Then the
// post-replay watch reports in the thread that none came back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { queueDepth, sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { startSqsDownstream, type FailingDownstream } from '../support/failing-downstream.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { buttonsIn, shown, startSlackE2e, type SlackE2e, jobIdIn } from '../support/slack-e2e-app.ts';

const isThumbnail = (body: string): boolean => (JSON.parse(body) as { kind?: string }).kind === 'thumbnail';

describe.skipIf(!services)('safe redrive on SQS: canary, pause, Continue, post-replay watch (ElasticMQ, Slack)', () => {
  let e: SlackE2e;
  let downstream: FailingDownstream;
  const thread = (ts: string) => e.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

  beforeAll(async () => {
    e = await startSlackE2e('canary', { queue: { canary: { count: 2, watch: '8s' } }, server: { slackJobs: { progressEveryMs: 0 }, replayWatchPollMs: 500 } });
    downstream = startSqsDownstream(e.sqs, e.pair.source.url, isThumbnail);
  });
  afterAll(async () => {
    await downstream?.stop();
    await e?.close();
  });

  it('the canary catches the failing downstream and pauses; Continue with it fixed replays each message exactly once', async () => {
    const traces = Array.from({ length: 6 }, (_, i) => uniqueName(`t${i}`));
    // The downstream fails thumbnails and takes PDFs. SQS hands out messages in no set order, so all
    // but one are thumbnails: whichever two make the canary, at least one fails.
    const kinds = ['thumbnail', 'thumbnail', 'pdf', 'thumbnail', 'thumbnail', 'thumbnail'];
    await sendMessages(e.sqs, e.pair.dlq.url, traces.map((t, i) => JSON.stringify({ trace_id: t, kind: kinds[i], error: 'Lambda timeout after 30000 ms' })));

    const reply = await e.dlq(`redrive-batch ${e.queue} --count 6`, 'U_ALICE');
    const jobId = jobIdIn(reply);
    expect(jobId).not.toBe('');
    const root = await waitFor(() => e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId)), { timeoutMs: 10_000, description: 'job root' });
    const rootTs = (root.response as { ts: string }).ts;

    // Paused on its canary: the thread says which came back and why, with Continue / Cancel.
    const paused = await waitFor(() => thread(rootTs).find((c) => shown(c).includes('canary message(s) came back')), { timeoutMs: 40_000, description: 'canary pause message' });
    expect(shown(paused)).toContain(`Job ${jobId} on ${e.queue} paused`);
    expect(shown(paused)).toContain('Lambda timeout after &lt;n&gt; ms');
    expect(buttonsIn(paused).map((b) => b.action_id)).toEqual([JOB_ACTIONS.continueAfterCanary, JOB_ACTIONS.cancel]);
    expect(thread(rootTs).some((c) => shown(c).includes('canary of 2 replayed; watching the DLQ'))).toBe(true);
    const job = await e.app.store.getJob(jobId);
    expect(job?.status).toBe('paused');
    await e.app.slackJobs.idle();

    // Nothing beyond the canary was replayed: two replays, and the downstream saw only those two.
    const canaryReplays = await e.app.store.listReplays(e.queue, { jobId });
    expect(canaryReplays).toHaveLength(2);
    const canaryTraces = traces.filter((t) => canaryReplays.some((r) => r.fingerprints.includes(`trace:${t}`)));
    expect(canaryTraces).toHaveLength(2);
    const failing = canaryTraces.filter((t) => kinds[traces.indexOf(t)] === 'thumbnail');
    await waitFor(async () => {
      const d = await queueDepth(e.sqs, e.pair.dlq.url);
      return d.visible + d.inFlight === 4 + failing.length;
    }, { timeoutMs: 20_000, description: 'the failing canary messages back in the DLQ' });
    expect(new Set(downstream.attempts)).toEqual(new Set(canaryTraces));
    expect(downstream.processed).toEqual(canaryTraces.filter((t) => !failing.includes(t)));
    const canaryAudit = await e.app.store.searchAudit({ ref: jobId, action: 'redrive-batch:canary', limit: 5 });
    expect(canaryAudit[0]).toMatchObject({ result: 'failure', actor: 'system' });
    // Still paused after a while: no run goes on by itself.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(new Set(downstream.attempts)).toEqual(new Set(canaryTraces));

    // Fixed downstream; Continue (an audited resume) replays the rest.
    downstream.fix();
    const pausedTs = (paused.response as { ts: string }).ts;
    const continueValue = buttonsIn(paused).find((b) => b.action_id === JOB_ACTIONS.continueAfterCanary)?.value ?? '';
    const clicked = await e.click({ actionId: JOB_ACTIONS.continueAfterCanary, value: continueValue, messageTs: pausedTs, threadTs: rootTs, user: 'U_BOB' });
    expect(clicked.status).toBe(200);
    await waitFor(async () => (await e.app.store.getJob(jobId))?.status === 'succeeded', { timeoutMs: 40_000, description: 'job finished after Continue' });
    await waitFor(() => downstream.processed.length >= 6, { timeoutMs: 20_000, description: 'the downstream processed every message' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Each message processed exactly once (a canary PDF already was); the DLQ is empty.
    expect([...downstream.processed].sort()).toEqual([...traces].sort());
    const depth = await queueDepth(e.sqs, e.pair.dlq.url);
    expect(depth.visible + depth.inFlight).toBe(0);
    const resumed = await e.app.store.searchAudit({ ref: jobId, action: 'redrive-batch:resume', limit: 5 });
    expect(resumed[0]).toMatchObject({ actor: 'U_BOB', result: 'success', details: { canary: 'continued' } });

    // The post-replay watch reports in the job's thread after its window: none came back.
    const watch = await waitFor(() => thread(rootTs).find((c) => shown(c).includes(`Post-replay watch on ${e.queue}`)), { timeoutMs: 30_000, description: 'post-replay watch result' });
    expect(shown(watch)).toContain(`none of the ${6 + failing.length} message(s) replayed by job ${jobId} came back`);
  }, 150_000);

  it('redrive-all with a canary: the canary passes, then a message move task moves the rest; each message processed once', async () => {
    // The downstream was fixed above: nothing fails now.
    const before = downstream.processed.length;
    const traces = Array.from({ length: 5 }, (_, i) => uniqueName(`all${i}`));
    await sendMessages(e.sqs, e.pair.dlq.url, traces.map((t) => JSON.stringify({ trace_id: t, kind: 'thumbnail', error: 'Lambda timeout after 30000 ms' })));
    const reply = await e.dlq(`redrive-all ${e.queue}`, 'U_ALICE');
    const jobId = jobIdIn(reply);
    // The canary goes through a manual job (batches of 10), not the move task.
    expect(shown(reply)).toContain('batches of 10');
    const root = await waitFor(() => e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId)), { timeoutMs: 10_000, description: 'job root' });
    const rootTs = (root.response as { ts: string }).ts;
    await waitFor(() => thread(rootTs).find((c) => shown(c).includes('canary passed, none of 2 came back')), { timeoutMs: 40_000, description: 'canary passed' });
    const task = await waitFor(() => thread(rootTs).find((c) => shown(c).includes('a message move task replays the rest')), { timeoutMs: 20_000, description: 'move task started' });
    const taskJobId = buttonsIn(task).find((b) => b.action_id === JOB_ACTIONS.cancel)?.value ?? '';
    const taskJob = await e.app.store.getJob(taskJobId);
    expect(typeof taskJob?.params.taskHandle).toBe('string');
    expect((await e.app.store.getJob(jobId))?.checkpoint.moveTaskJobId).toBe(taskJobId);
    await waitFor(() => downstream.processed.length >= before + 5, { timeoutMs: 40_000, description: 'every message processed' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect([...downstream.processed.slice(before)].sort()).toEqual([...traces].sort());
    // Two replayed by the canary's job, the rest moved by the task.
    expect(await e.app.store.listReplays(e.queue, { jobId })).toHaveLength(2);
    const depth = await queueDepth(e.sqs, e.pair.dlq.url);
    expect(depth.visible + depth.inFlight).toBe(0);
  }, 120_000);
});
