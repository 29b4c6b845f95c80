// Renders `jobs` (progress: done/failed/total, percent, rate against its cap, age) and `cancel`
// outcomes as Block Kit Replies. Pure; job errors may quote queue text, so they go through
// reply-format's `safeText`/`code` like every other queue string.

import { context, header, section, type Block, type Reply } from '../block-kit/blocks.ts';
import type { CancelOutcome, JobView } from '../../../app/jobs/jobs.use-case.ts';
import { formatAge, secondsBetween } from '../../../core/text/time-format.ts';
import { moveTaskOf } from '../../../core/job/job-kinds.ts';
import { cell, code, reply, safeText, textTable } from './reply-format.ts';
import { renderDone, renderWarning } from './queue-replies.ts';
import { HEADER_TEXT_MAX, SECTION_TEXT_MAX } from '../block-kit/slack-limits.ts';

const STATUS_ICON: Record<string, string> = {
  running: ':arrows_counterclockwise:',
  pending: ':hourglass:',
  paused: ':double_vertical_bar:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  cancelled: ':no_entry_sign:',
};

const rateText = (view: JobView): string => {
  const rate = view.ratePerSecond === null ? '-' : `${view.ratePerSecond.toFixed(1)}/s`;
  return view.rateLimit === null ? rate : `${rate} (cap ${view.rateLimit})`;
};

const progressText = (view: JobView): string => {
  const { total, done } = view.job.progress;
  return total === null || total === 0 ? '-' : `${Math.min(100, Math.round((done / total) * 100))}%`;
};

const ago = (date: Date, now: Date): string => `${formatAge(Math.max(0, secondsBetween(date, now)))} ago`;

export const renderJobs = (queue: string | null, views: JobView[], now: Date): Reply => {
  const scope = queue === null ? 'all queues' : queue;
  const title = `Jobs on ${scope}: ${views.filter((v) => v.job.status === 'running').length} running, ${views.length} shown`;
  if (views.length === 0) {
    return reply(`No redrive jobs on ${scope}`, [section(`No redrive jobs on ${safeText(scope, 200)} yet.`)], {
      footer: [context('Start one with `redrive-all &lt;queue&gt;` or `redrive-batch &lt;queue&gt; --count N`.')],
    });
  }
  const table = textTable(
    ['JOB', 'KIND', 'QUEUE', 'STATUS', 'DONE', 'FAILED', 'TOTAL', 'PROGRESS', 'RATE', 'STARTED', 'UPDATED', 'BY'],
    views.map((v) => [
      v.job.id,
      v.job.kind,
      cell(v.job.queue, 40),
      v.taskStatus ? `${v.job.status} (${v.taskStatus})` : v.job.status,
      v.job.progress.done,
      v.job.progress.failed,
      v.job.progress.total,
      progressText(v),
      rateText(v),
      ago(v.job.createdAt, now),
      ago(v.job.updatedAt, now),
      cell(v.job.createdBy, 30),
    ]),
  );
  const blocks: Block[] = [header(title.slice(0, HEADER_TEXT_MAX)), section(code(table))];
  const running = views.filter((v) => v.job.status === 'running');
  if (running.length > 0) {
    const lines = running.slice(0, 10).map((v) => {
      const { done, failed, total } = v.job.progress;
      const line = `${STATUS_ICON.running} \`${safeText(v.job.id, 80)}\` ${v.job.kind} on ${safeText(v.job.queue, 80)}: *${done}${total === null ? '' : `/${total}`}* done, ${failed} failed, ${rateText(v)}`;
      if (!v.stalled) return line;
      const since = v.stalled.lastHeartbeat ? ` since ${ago(v.stalled.lastHeartbeat, now)}` : '';
      const next = v.job.thread ? 'the replica running the poller takes it over at its next poll' : `\`resume ${safeText(v.job.queue, 80)} ${safeText(v.job.id, 80)}\` continues it`;
      return `${line}\n    :warning: its runner is gone (no heartbeat${since}); ${next}`;
    });
    blocks.push(section(lines.join('\n')));
  }
  const notes = views
    .filter((v) => v.job.error || v.refreshError)
    .slice(0, 8)
    .map((v) => `${STATUS_ICON[v.job.status] ?? ''} ${v.job.id.slice(0, 8)}: ${v.refreshError ? `progress not refreshed (${v.refreshError})` : (v.job.error ?? '')}`);
  if (notes.length > 0) blocks.push(section(safeText(notes.join('\n'), SECTION_TEXT_MAX - 100)));
  return reply(title, blocks, {
    footer: [context('Rate: messages a second over the current run. Stop a job with `cancel &lt;job-id&gt;` (an id prefix of 6+ characters will do).')],
  });
};

export const renderCancel = (outcome: CancelOutcome): Reply => {
  const { job } = outcome;
  const rows: [string, string | number | null][] = [
    ['job', job.id],
    ['kind', job.kind],
    ['queue', job.queue],
    ['status', job.status],
    ['done', job.progress.done],
    ['failed', job.progress.failed],
    ['total', job.progress.total],
  ];
  if (outcome.outcome === 'already-finished') {
    return renderWarning(`Job ${job.id} had already ended (${job.status})`, `Nothing to cancel: ${job.progress.done} message(s) done.`);
  }
  if (outcome.outcome === 'stopping') {
    return renderDone(
      `Cancel requested for ${job.kind} job ${job.id} on ${job.queue}`,
      rows,
      'It stops within about a second, sending no new batch (one already being sent finishes): messages already replayed stay replayed, the rest stay in the DLQ. Follow it with `jobs`.',
    );
  }
  const moved = outcome.moved === null ? '' : `: ${outcome.moved} message(s) had moved`;
  const note = moveTaskOf(job) !== null
    ? 'CancelMessageMoveTask sent; messages not yet moved stay in the DLQ.'
    : 'The job will not be resumed; its messages that were not replayed stay in the DLQ.';
  return renderDone(`Cancelled ${job.kind} job ${job.id} on ${job.queue}${moved}`, rows, note);
};
