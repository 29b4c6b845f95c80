// Long jobs started from Slack on the real app against a real SQS DLQ on ElasticMQ: the command (or
// the bulk replay modal) answers at once with the job id, the job runs in the background and posts
// progress and its result in a thread whose start message carries Cancel, Cancel stops a running job
// after its batch, the finished job's messages lose Cancel and show the final count, and a message
// move task (redrive-all) is followed through ListMessageMoveTasks to its end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobLeaseName } from '../../src/app/jobs/job-lease.ts';
import { INCIDENT_ACTIONS } from '../../src/presentation/slack/block-kit/incident-actions.ts';
import { JOB_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { queueDepth, sendMessages, services, sqsEndpoint } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { newSlackTs, plainTextValue, stateValues } from '../support/slack-payloads.ts';
import { buttonsIn, CHANNEL, jobIdIn, shown, startSlackE2e, viewOf, type SlackE2e } from '../support/slack-e2e-app.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';

const bodies = (n: number, from = 0) => Array.from({ length: n }, (_, i) => JSON.stringify({ orderId: from + i, error: 'Lambda timeout after 30000 ms' }));
const okCall = (call: RecordedCall | undefined) => (call?.response as { ok?: boolean } | undefined)?.ok === true;

describe.skipIf(!services)('jobs started from Slack end to end (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  const dlqDepth = async () => {
    const d = await queueDepth(e.sqs, e.pair.dlq.url);
    return d.visible + d.inFlight;
  };
  const rootOf = (jobId: string) => e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId));
  const thread = (ts: string) => e.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

  beforeAll(async () => {
    e = await startSlackE2e('jobs', { server: { slackJobs: { progressEveryMs: 0, pollMs: 200 } } });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('redrive-batch answers at once with the job id (Cancel is on its thread message); Cancel stops the running job; the thread gets progress and the result; the finished job\'s messages lose Cancel and show the final count', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(100));
    const reply = await e.dlq(`redrive-batch ${e.queue} --count 100 --rate 20`, 'U_BOB');
    expect(reply.status).toBe(200);
    expect(reply.args.response_type).toBe('ephemeral');
    const jobId = jobIdIn(reply);
    expect(jobId).not.toBe('');
    expect(shown(reply)).toContain(`Started *redrive-batch* job \`${jobId}\``);
    // The answer is ephemeral (never edited when the job ends): it names how to cancel, with no button.
    expect(buttonsIn(reply)).toEqual([]);
    expect(shown(reply)).toContain(`/dlq cancel ${jobId}`);
    // The job's own thread: a root message in the channel with the Cancel button.
    const root = await waitFor(() => rootOf(jobId), { timeoutMs: 10_000, description: 'job root message' });
    expect(okCall(root)).toBe(true);
    expect(root.args.channel).toBe(CHANNEL);
    const rootTs = (root.response as { ts: string }).ts;
    expect(buttonsIn(root).map((b) => b.action_id)).toEqual([JOB_ACTIONS.cancel]);
    await waitFor(() => thread(rootTs).some((c) => shown(c).includes('replayed')), { timeoutMs: 15_000, description: 'a progress reply' });
    expect((await e.app.store.getJob(jobId))?.status).toBe('running');

    const clicked = await e.click({ actionId: JOB_ACTIONS.cancel, value: jobId, messageTs: rootTs, user: 'U_BOB' });
    expect(clicked.status).toBe(200);
    await waitFor(() => thread(rootTs).some((c) => shown(c).includes(`Cancel requested for redrive-batch job ${jobId}`)), { timeoutMs: 10_000, description: 'cancel answer in the thread' });
    await e.app.slackJobs.idle();
    const job = await e.app.store.getJob(jobId);
    expect(job?.status).toBe('cancelled');
    const result = thread(rootTs).find((c) => shown(c).includes(`Job ${jobId} on ${e.queue} cancelled`));
    expect(okCall(result)).toBe(true);
    // It stops after the batches in flight (four at a time), long before all 100.
    expect(job?.progress.done).toBeLessThan(100);
    expect(await dlqDepth()).toBe(100 - (job?.progress.done ?? 0));
    // Progress is one reply edited in place, not a reply per batch.
    const progress = thread(rootTs).filter((c) => shown(c).includes(':arrows_counterclockwise:'));
    expect(progress).toHaveLength(1);
    const progressTs = (progress[0]?.response as { ts: string }).ts;
    expect(e.slack.callsTo('chat.update').filter((c) => c.args.ts === progressTs).every(okCall)).toBe(true);
    // The start message no longer offers Cancel and shows the final count.
    const edit = e.slack.callsTo('chat.update').find((c) => c.args.ts === rootTs);
    expect(okCall(edit)).toBe(true);
    expect(buttonsIn(edit)).toEqual([]);
    expect(shown(edit)).toContain(`cancelled (${job?.progress.done} replayed, 0 failed)`);
    // The progress reply is edited in place, last, to the final count (not the last progress seen).
    const lastProgress = e.slack.callsTo('chat.update').filter((c) => c.args.ts === progressTs).at(-1);
    expect(okCall(lastProgress)).toBe(true);
    expect(shown(lastProgress)).toContain(`Job ${jobId} on ${e.queue} cancelled: ${job?.progress.done} replayed, 0 failed (final)`);
    const audit = await e.app.store.searchAudit({ ref: jobId, action: 'cancel', limit: 5 });
    expect(audit[0]).toMatchObject({ actor: 'U_BOB', result: 'success' });
  });

  it('redrive-all follows the message move task to its end and posts the result', async () => {
    const reply = await e.dlq(`redrive-all ${e.queue}`, 'U_ALICE');
    const jobId = jobIdIn(reply);
    expect(jobId).not.toBe('');
    expect(shown(reply)).toContain('message move task');
    const root = await waitFor(() => rootOf(jobId), { timeoutMs: 10_000, description: 'job root message' });
    const rootTs = (root.response as { ts: string }).ts;
    await waitFor(() => e.app.slackJobs.idle().then(() => true), { timeoutMs: 60_000, description: 'move task followed to its end' });
    const result = await waitFor(() => thread(rootTs).find((c) => shown(c).includes(`Job ${jobId} on ${e.queue} finished`)), { timeoutMs: 60_000, description: 'result' });
    expect(okCall(result)).toBe(true);
    const ended = await e.app.store.getJob(jobId);
    expect(ended?.status).toBe('succeeded');
    expect(await dlqDepth()).toBe(0);
    // The finished task's start message: no Cancel, the final count.
    const edit = e.slack.callsTo('chat.update').filter((c) => c.args.ts === rootTs).at(-1);
    expect(buttonsIn(edit)).toEqual([]);
    expect(shown(edit)).toContain(`succeeded (${ended?.progress.done} replayed, 0 failed)`);
  });

  it('the Redrive all button opens the bulk replay modal; bad numbers are refused on the field; a count starts a batch job that answers in the clicked thread', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(6, 100));
    const parentTs = newSlackTs();
    const opens = e.slack.callsTo('views.open').length;
    await e.click({ actionId: INCIDENT_ACTIONS.redriveAll, value: e.queue, messageTs: parentTs });
    const [open] = (await e.slack.waitForCalls('views.open', opens + 1, 10_000)).slice(opens);
    expect(okCall(open)).toBe(true);
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.bulkReplay);
    // Titled as the button clicked ("Redrive all…"), not by another name.
    expect((viewOf(open).title as { text: string }).text).toBe('Redrive all');
    expect(shown(open)).toContain('How many messages');
    expect(shown(open)).toContain('Only messages older than');
    const refused = await e.submit(
      view,
      stateValues(['count', 'count', plainTextValue('lots')], ['rate', 'rate', plainTextValue('9000')], ['older_than', 'older_than', plainTextValue('yesterday')]),
    );
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { count: expect.any(String), rate: expect.any(String), older_than: expect.stringContaining('2h') } });
    expect(await e.app.store.listJobs({ queue: e.queue, limit: 10 })).toHaveLength(2);

    const ephemerals = e.slack.callsTo('chat.postEphemeral').length;
    const accepted = await e.submit(view, stateValues(['count', 'count', plainTextValue('6')], ['rate', 'rate', plainTextValue('')]));
    expect(accepted.status).toBe(200);
    const [started] = (await e.slack.waitForCalls('chat.postEphemeral', ephemerals + 1, 10_000)).slice(ephemerals);
    expect(okCall(started)).toBe(true);
    expect(started?.args).toMatchObject({ channel: CHANNEL, user: 'U_ALICE' });
    const jobId = jobIdIn(started);
    expect(jobId).not.toBe('');
    await e.app.slackJobs.idle();
    const replies = thread(parentTs);
    expect(replies.some((c) => shown(c).includes(`job \`${jobId}\``))).toBe(true);
    expect(replies.some((c) => shown(c).includes(`Job ${jobId} on ${e.queue} finished: 6 message(s) replayed`))).toBe(true);
    expect(await dlqDepth()).toBe(0);
  });

  it('someone who is not an admin gets no bulk replay form, only an explanation', async () => {
    const opens = e.slack.callsTo('views.open').length;
    const responseUrl = e.slack.mintResponseUrl({ channel: CHANNEL });
    await e.click({ actionId: INCIDENT_ACTIONS.redriveAll, value: e.queue, user: 'U_CAROL', responseUrl });
    const answer = await waitFor(() => e.slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 10_000, description: 'denial' });
    expect(answer.args.response_type).toBe('ephemeral');
    expect(shown(answer).toLowerCase()).toContain('admin');
    expect(e.slack.callsTo('views.open')).toHaveLength(opens);
  });

  it('a peek ends with a Bulk replay button that opens the same modal for its queue', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(1, 300));
    const peek = await e.dlq(`peek ${e.queue} --count 5`);
    const bulk = buttonsIn(peek).find((b) => b.action_id === JOB_ACTIONS.bulkReplay);
    expect(bulk?.value).toBe(e.queue);
    expect((bulk as { text?: { text: string } } | undefined)?.text?.text).toBe('Bulk replay…');
    const opens = e.slack.callsTo('views.open').length;
    const peekTs = e.slack.messagesIn(CHANNEL).at(-1)?.ts ?? newSlackTs();
    await e.click({ actionId: JOB_ACTIONS.bulkReplay, value: bulk?.value ?? '', messageTs: peekTs });
    const [open] = (await e.slack.waitForCalls('views.open', opens + 1, 10_000)).slice(opens);
    expect(okCall(open)).toBe(true);
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.bulkReplay);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ q: e.queue, c: CHANNEL, m: peekTs });
    expect((viewOf(open).title as { text: string }).text).toBe('Bulk replay');
  });

  it('a viewer who is not an admin is refused before anything starts', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(2, 200));
    const jobs = (await e.app.store.listJobs({ queue: e.queue, limit: 20 })).length;
    const reply = await e.dlq(`redrive-batch ${e.queue} --count 2`, 'U_CAROL');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(buttonsIn(reply)).toEqual([]);
    expect(await e.app.store.listJobs({ queue: e.queue, limit: 20 })).toHaveLength(jobs);
  });
});

describe.skipIf(!services)('a job from Slack whose messages cannot be delivered (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  beforeAll(async () => {
    // The replay target does not exist: every send is refused, every message stays in the DLQ.
    const endpoint = `${sqsEndpoint().endpoint.replace(/\/$/, '')}/000000000000/redrive-missing-target`;
    e = await startSlackE2e('jobfail', { server: { slackJobs: { progressEveryMs: 0 } }, queue: { replayTarget: { kind: 'sqs', queueUrl: endpoint } } });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('ends failed: the result goes to the thread and the starter alone gets the error', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(3));
    const reply = await e.dlq(`redrive-batch ${e.queue} --count 3`, 'U_BOB');
    const jobId = jobIdIn(reply);
    expect(jobId).not.toBe('');
    await e.app.slackJobs.idle();
    expect((await e.app.store.getJob(jobId))?.status).toBe('failed');
    const root = e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId));
    const rootTs = (root?.response as { ts: string }).ts;
    const result = e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === rootTs && shown(c).includes('3 failed'));
    expect(okCall(result)).toBe(true);
    const whisper = e.slack.callsTo('chat.postEphemeral').find((c) => shown(c).includes(jobId));
    expect(okCall(whisper)).toBe(true);
    expect(whisper?.args).toMatchObject({ channel: CHANNEL, user: 'U_BOB', thread_ts: rootTs });
    expect(shown(whisper)).toContain(':x:');
    const d = await queueDepth(e.sqs, e.pair.dlq.url);
    expect(d.visible + d.inFlight).toBe(3);
  });

  it('resume of the failed job answers at once with the job id and Cancel, and reports in a thread again', async () => {
    const [job] = await e.app.store.listJobs({ queue: e.queue, limit: 1 });
    expect(job?.status).toBe('failed');
    const posts = e.slack.callsTo('chat.postMessage').length;
    const reply = await e.dlq(`resume ${e.queue} ${job?.id}`, 'U_BOB');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(shown(reply)).toContain(`Resumed *redrive-batch* job \`${job?.id}\``);
    expect(jobIdIn(reply)).toBe(job?.id);
    await e.app.slackJobs.idle();
    const later = e.slack.callsTo('chat.postMessage').slice(posts);
    expect(later.some((c) => shown(c).includes(`Job ${job?.id} on ${e.queue}`))).toBe(true);
    expect((await e.app.store.searchAudit({ ref: job?.id ?? '', action: 'redrive-batch:resume', limit: 1 }))[0]).toMatchObject({ actor: 'U_BOB', result: 'success' });
  });

  it('resume of a job that cannot be resumed is refused in the answer, nothing runs', async () => {
    const reply = await e.dlq(`resume ${e.queue} no-such-job`, 'U_BOB');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(shown(reply)).toContain('No job no-such-job');
    expect(buttonsIn(reply)).toEqual([]);
  });
});

describe.skipIf(!services)('a job from Slack when Redrive stops (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  beforeAll(async () => {
    e = await startSlackE2e('jobstop', { server: { slackJobs: { progressEveryMs: 0 } } });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('hands the job over after its batch: still running, its lease freed, nothing said in the thread', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(60));
    const reply = await e.dlq(`redrive-batch ${e.queue} --count 60 --rate 10`, 'U_BOB');
    const jobId = jobIdIn(reply);
    const root = await waitFor(() => rootOf(jobId), { timeoutMs: 10_000, description: 'job root message' });
    const rootTs = (root.response as { ts: string }).ts;
    await waitFor(() => thread(rootTs).some((c) => shown(c).includes('replayed')), { timeoutMs: 15_000, description: 'a progress reply' });
    await e.app.slackJobs.stop();
    const job = await e.app.store.getJob(jobId);
    expect(job?.status).toBe('running');
    expect(job?.progress.done).toBeGreaterThan(0);
    expect(job?.progress.done).toBeLessThan(60);
    // The poller's replica takes it over at its next poll (job-recovery.test.ts), no lease to wait for.
    expect(await e.app.store.getLease(jobLeaseName(jobId))).toBeNull();
    expect(thread(rootTs).filter((c) => shown(c).includes('paused'))).toEqual([]);
    expect((await e.app.store.searchAudit({ ref: jobId, action: 'redrive-batch:handed-off', limit: 1 }))[0]).toMatchObject({ result: 'success' });
  });

  const rootOf = (jobId: string) => e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === undefined && shown(c).includes(jobId));
  const thread = (ts: string) => e.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
});
