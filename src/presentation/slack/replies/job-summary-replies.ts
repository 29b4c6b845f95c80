// Renders the end of a bulk /dlq operation (redrive-all, redrive-batch, resolve-batch, resume): the
// summary of a finished manual job, a canary that paused or handed over to a move task, a started
// move task. Pure; it runs nothing.

import { canarySettingsOf, canaryStateOf } from '../../../app/jobs/canary.ts';
import type { MoveTaskView } from '../../../app/jobs/move-task.use-case.ts';
import { jobVerb } from '../../../app/jobs/redrive-job-params.ts';
import type { RedriveJobResult } from '../../../app/jobs/redrive-job-result.ts';
import { describeFilter } from '../../../core/analysis/replay-filter.ts';
import { manualRedriveOf, moveTaskOf } from '../../../core/job/job-kinds.ts';
import { withData, type Reply } from '../block-kit/blocks.ts';
import { renderCanaryPaused } from './canary-replies.ts';
import { renderDone, renderMoveTasks, renderWarning } from './queue-replies.ts';
import { jobData, jobResultData } from './reply-data.ts';

/** What the "done" row of a finished job counts, by what the job does and where. */
const doneLabel = (job: RedriveJobResult['job'], kind: 'sqs' | 'kafka'): string => {
  if (jobVerb(job) === 'resolved') return kind === 'kafka' ? 'resolved (archived, offset committed up to the lowest unresolved)' : 'resolved (archived and deleted)';
  return kind === 'kafka' ? 'replayed (kept in the DLQ until resolved)' : 'replayed and deleted';
};

const jobSummary = (queue: string, result: RedriveJobResult, kind: 'sqs' | 'kafka') => {
  const job = result.job;
  const canary = canarySettingsOf(job);
  if (result.stopped === 'canary-returned' && canary) return renderCanaryPaused(job, canary.count, canaryStateOf(job)?.returns ?? [], 'terminal');
  if (result.moveTask) {
    return renderDone(`Redrive of ${queue}: the canary of ${canary?.count ?? 0} passed; a message move task replays the rest`, [
      ['canary job', job.id],
      ['replayed by the canary', result.done],
      ['move task job', result.moveTask.id],
      ['task', moveTaskOf(result.moveTask)?.params.taskHandle ?? ''],
    ], `Follow it with \`jobs ${queue}\`; cancel it with \`cancel ${result.moveTask.id}\`.`);
  }
  const manual = manualRedriveOf(job)?.params ?? null;
  const filter = [describeFilter(manual?.filter ?? null), manual?.replayedBefore != null ? `replayed before ${manual.replayedBefore}` : null].filter(Boolean).join(' ');
  const verb = jobVerb(job);
  const what = verb === 'resolved' ? 'Resolve' : 'Redrive';
  const rows: [string, string | number | null][] = [
    ['job', job.id],
    ['status', job.status],
    ...(filter ? [['filter', filter] as [string, string], ['not matching, left alone', result.skipped] as [string, number]] : []),
    ...(verb === 'resolved' ? [['reason', manual?.reason ?? null] as [string, string | null]] : []),
    [doneLabel(job, kind), result.done],
    ['failed (still in DLQ)', result.failed.length],
    [verb === 'resolved' ? 'interrupted, not archived again' : 'interrupted, not resent', result.uncertain.length],
    ['stopped', result.stopped],
    ['rate', result.elapsedMs > 0 ? `${((result.sent / result.elapsedMs) * 1000).toFixed(1)} msg/s` : null],
  ];
  const failures = result.failed.slice(0, 10).map((f) => `${f.messageKey}: ${f.error}`).join('\n');
  if (job.status === 'cancelled') return renderDone(`${what} of ${queue} cancelled: ${result.done} message(s) ${verb} before it stopped`, rows, failures || undefined);
  if (job.status === 'succeeded' || job.status === 'paused') return renderDone(`${what} of ${queue}: ${result.done} message(s) ${verb}`, rows, failures || undefined);
  const warning = renderWarning(`${what} of ${queue}: ${result.done} ${verb}, ${result.failed.length} failed`, `${job.error ?? ''}\n${failures}`);
  return { ...warning, blocks: [...warning.blocks, ...renderDone('Job summary', rows).blocks.slice(1)] };
};

/** A manual job run to its end: its summary, with the result as the reply's data. */
export const renderJobOutcome = (queue: string, result: RedriveJobResult, kind: 'sqs' | 'kafka'): Reply => withData(jobSummary(queue, result, kind), jobResultData(result));

/** redrive-all started on the broker's move task: the queue's move tasks, with the job as data. */
export const renderMoveTaskStarted = (queue: string, view: MoveTaskView): Reply =>
  withData(renderMoveTasks(queue, view.tasks, moveTaskOf(view.job)?.params.taskHandle ?? ''), { job: jobData(view.job), tasks: view.tasks });
