// Slack messages of a long job started from Slack: "started" (job id, Cancel button), progress lines
// in the thread, and the result. Pure; queue names and errors pass through reply-format's safeText.

import { context, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { JOB_ACTIONS } from '../block-kit/interactive-actions.ts';
import type { Job } from '../../../core/model.ts';
import type { JobResultFacts } from '../../../app/jobs/job-thread-messages.ts';
import { reply, safeText } from './reply-format.ts';
import { renderDone, renderWarning } from './queue-replies.ts';
import { jobVerb } from '../../../app/jobs/redrive-job-params.ts';
import { manualRedriveOf, moveTaskOf, rateLimitOf } from '../../../core/job/job-kinds.ts';
import { describeFilter } from '../../../core/analysis/replay-filter.ts';
import { isSlackUserId } from '../../../core/text/slack-text.ts';
import { BUTTON_VALUE_MAX } from '../block-kit/slack-limits.ts';

export const cancelButton = (jobId: string): Block => ({
  type: 'actions',
  block_id: 'job_actions',
  elements: [
    {
      type: 'button',
      action_id: JOB_ACTIONS.cancel,
      text: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
      value: jobId.slice(0, BUTTON_VALUE_MAX),
      confirm: {
        title: { type: 'plain_text', text: 'Cancel this job?' },
        text: { type: 'mrkdwn', text: 'Messages already replayed stay replayed; the rest stay in the DLQ.' },
        confirm: { type: 'plain_text', text: 'Cancel job' },
        deny: { type: 'plain_text', text: 'Keep running' },
      },
    },
  ],
});

const describe = (job: Job): string => {
  const manual = manualRedriveOf(job)?.params ?? null;
  const ratePerSecond = rateLimitOf(job);
  const count = manual?.count != null ? `${manual.count} message(s)` : 'every message';
  const rate = ratePerSecond !== null ? `, at most ${ratePerSecond}/s` : '';
  const how = moveTaskOf(job) ? 'message move task' : 'batches of 10';
  const before = manual?.replayedBefore != null ? `replayed before ${manual.replayedBefore}` : null;
  const filter = [describeFilter(manual?.filter ?? null), before].filter(Boolean).join(' ');
  const reason = manual?.reason != null ? `, reason: ${manual.reason}` : '';
  return `${count}${filter ? ` matching ${filter}` : ''}${rate}, ${how}${reason}`;
};

/**
 * The immediate answer: the job runs; progress and the result go to the thread. No Cancel button: this
 * answer is ephemeral and cannot be edited when the job ends, so the button lives on the job's message
 * in the thread (which loses it at the end) and the answer names `/dlq cancel`.
 */
export const renderJobStarted = (job: Job, where: string, verb: 'Started' | 'Resumed' = 'Started'): Reply => {
  const title = `${verb} ${job.kind} job ${job.id} on ${job.queue}`;
  return reply(title, [
    section(`:arrow_forward: ${verb} *${safeText(job.kind, 40)}* job \`${safeText(job.id, 80)}\` on *${safeText(job.queue, 200)}* (${safeText(describe(job), 300)}).`),
    context(safeText(`${where} To stop it: Cancel on the job's message there, or /dlq cancel ${job.id}.`, 800)),
  ]);
};

/** Root message of the job's own thread when it has no incident thread to go to. */
export const renderJobRoot = (job: Job): Reply => {
  const by = isSlackUserId(job.createdBy) ? ` by <@${job.createdBy}>` : '';
  const text = `${job.kind} job ${job.id} on ${job.queue} started`;
  return reply(text, [section(`:arrow_forward: *${safeText(job.kind, 40)}* job \`${safeText(job.id, 80)}\` on *${safeText(job.queue, 200)}* started${by} (${safeText(describe(job), 300)}). Progress and the result follow in this thread.`), cancelButton(job.id)]);
};

export const renderJobProgress = (job: Job, progress: { done: number; failed: number; total: number | null }): Reply => {
  const total = progress.total === null ? '' : ` of ${progress.total}`;
  const share = progress.total ? ` (${Math.min(100, Math.round((progress.done / progress.total) * 100))}%)` : '';
  const text = `Job ${job.id} on ${job.queue}: ${progress.done}${total} ${jobVerb(job)}${share}, ${progress.failed} failed`;
  return reply(text, [context(`:arrows_counterclockwise: ${safeText(text, 1_000)}`)]);
};

/** The progress reply once the job ended, edited in place: its final count, not the last progress seen. */
export const renderJobFinalProgress = (job: Job): Reply => {
  const text = `Job ${job.id} on ${job.queue} ${job.status}: ${job.progress.done} replayed, ${job.progress.failed} failed (final)`;
  return reply(text, [context(`:checkered_flag: ${safeText(text, 1_000)}`)]);
};

export const renderJobResult = (facts: JobResultFacts): Reply => {
  const { job } = facts;
  const verb = jobVerb(job);
  const rows: [string, string | number | null][] = [
    ['job', job.id],
    ['status', job.status],
    [verb, facts.done],
    ['failed (still in DLQ)', facts.failed.length],
    ...(facts.uncertain ? [['interrupted, not resent', facts.uncertain] as [string, number]] : []),
    ...(facts.rate ? [['rate', facts.rate] as [string, string]] : []),
  ];
  const failures = facts.failed.slice(0, 10).map((f) => `${f.messageKey}: ${f.error}`).join('\n');
  if (job.status === 'cancelled') return renderDone(`Job ${job.id} on ${job.queue} cancelled: ${facts.done} message(s) ${verb} before it stopped`, rows, failures || undefined);
  if (job.status === 'paused') {
    return renderDone(`Job ${job.id} on ${job.queue} paused: ${facts.done} message(s) ${verb} so far`, rows, `Redrive stopped before the job ended; \`resume ${job.queue} ${job.id}\` continues it from its checkpoint.${failures ? `\n${failures}` : ''}`);
  }
  if (job.status === 'succeeded') return renderDone(`Job ${job.id} on ${job.queue} finished: ${facts.done} message(s) ${verb}`, rows, failures || undefined);
  const warning = renderWarning(`Job ${job.id} on ${job.queue}: ${facts.done} ${verb}, ${facts.failed.length} failed`, `${job.error ?? ''}\n${failures}`);
  return { ...warning, blocks: [...warning.blocks, ...renderDone('Job summary', rows).blocks.slice(1)] };
};

/** Said in the job's thread when a replica takes over a job whose runner stopped heartbeating. */
export const renderJobTakenOver = (job: Job, replica: string | null): Reply => {
  const who = replica ? `Redrive replica ${replica}` : 'Another Redrive replica';
  const what = moveTaskOf(job) ? 'follows the message move task to its end' : `continues it from its checkpoint (${job.progress.done} ${jobVerb(job)} so far; none is sent twice)`;
  const text = `The Redrive process running job ${job.id} on ${job.queue} stopped or stopped answering; ${who} ${what}.`;
  return reply(text, [context(`:recycle: ${safeText(text, 1_000)}`)]);
};

/** The start message once the job ended: same text, no Cancel button. */
export const renderJobEnded = (job: Job): Reply => {
  const text = `${job.kind} job ${job.id} on ${job.queue}: ${job.status}`;
  return reply(text, [section(`:checkered_flag: ${safeText(text, 500)} (${job.progress.done} ${jobVerb(job)}, ${job.progress.failed} failed). Details in the thread.`)]);
};
