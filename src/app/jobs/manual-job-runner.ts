// Runs a manual redrive job for the job follower and reports it in the job's thread: coalesced
// progress, the canary's watch and verdict, then one end (paused, left to another replica, the
// result, a crash). It decides nothing about the job itself: runRedriveJob does.

import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import { logFailure } from '../shared/log-failure.ts';
import { canarySettingsOf, canaryStateOf } from './canary.ts';
import type { CanaryEvent } from './canary-gate.ts';
import type { FollowerScope } from './job-follower-scope.ts';
import type { Starter, Thread } from './job-thread-poster.ts';
import { followMoveTaskAfterCanary } from './move-task-follower.ts';
import type { RedriveJobResult } from './redrive-job-result.ts';
import { jobVerb } from './redrive-job-params.ts';
import type { RunOptions } from './redrive-run-options.ts';

/** Starts (or resumes) the run with the follower's stops and reporters. */
export type StartRun = (options: RunOptions) => Promise<RedriveJobResult>;

/** A manual job this follower runs: where it reports and who to tell of a failure. */
interface ReportedJob {
  job: Job;
  thread: Thread | null;
  starter: Starter;
}

/**
 * What the run says while it goes, queued one after the other: a progress reply at most every
 * `progressEveryMs` (edited in place), and the canary's watch and verdict as they happen.
 */
const threadReporter = (scope: FollowerScope, { job, thread }: ReportedJob) => {
  const { deps, poster } = scope;
  const postProgress = poster.progress(job, thread);
  const total = manualRedriveOf(job)?.params.count ?? null;
  let lastPost = Number.NEGATIVE_INFINITY;
  let chain = Promise.resolve();
  const onProgress = (p: { done: number; failed: number; total?: number | null }): void => {
    const now = performance.now();
    if (now - lastPost < scope.progressEveryMs) return;
    lastPost = now;
    const progress = deps.messages.progress(job, { done: p.done, failed: p.failed, total: p.total ?? total });
    chain = chain.then(() => postProgress({ text: progress.text, blocks: progress.blocks })).catch(() => undefined);
  };
  // The canary's watch and verdict (canary-gate.ts); a return is reported with the pause, at the end.
  const onCanary = (event: CanaryEvent): void => {
    if (event.kind === 'returned') return;
    const message = event.kind === 'watching' ? deps.messages.canaryWatching(job, event.count, event.until.getTime() - deps.queue.clock.now().getTime()) : deps.messages.canaryPassed(job, event.count, event.watchMs);
    chain = chain.then(async () => { await poster.post(thread, { text: message.text, blocks: message.blocks }); }).catch(() => undefined);
  };
  return { onProgress, onCanary, settled: (): Promise<void> => chain };
};

/** Killed (a test's crash), taken over, or handed off at a stop: the replica that carries on reports. */
const leftToAnother = (result: RedriveJobResult): boolean => result.stopped === 'halted' || result.stopped === 'handed-over' || result.stopped === 'handed-off';

/** Paused on its canary: which came back and why, with Continue / Cancel; the start message keeps its Cancel. */
const reportPaused = async (scope: FollowerScope, { job, thread }: ReportedJob, result: RedriveJobResult): Promise<void> => {
  const { deps } = scope;
  const paused = deps.messages.canaryPaused(result.job, canarySettingsOf(result.job)?.count ?? 0, canaryStateOf(result.job)?.returns ?? []);
  await scope.poster.post(thread, { text: paused.text, blocks: paused.blocks });
  deps.logger.warn({ jobId: job.id, queue: job.queue, done: result.done }, 'job paused: its canary came back');
  deps.onCanaryReturned?.(result.job);
};

/** The result in the thread; then the move task that replays the rest, or the post-replay watch and a failure told. */
const reportEnded = async (scope: FollowerScope, reported: ReportedJob, result: RedriveJobResult): Promise<void> => {
  const { deps, poster } = scope;
  const { job, thread, starter } = reported;
  const rate = result.elapsedMs > 0 ? `${((result.sent / result.elapsedMs) * 1000).toFixed(1)} msg/s` : null;
  const rendered = deps.messages.result({ job: result.job, done: result.done, failed: result.failed, uncertain: result.uncertain.length, rate });
  await poster.finish(thread, result.job, { text: rendered.text, blocks: rendered.blocks });
  // SQS redrive-all: the canary passed, a message move task replays the rest; it is followed here.
  if (result.moveTask) return followMoveTaskAfterCanary(scope, result.moveTask, thread, starter);
  if (result.done > 0 && !scope.halt.aborted) deps.afterReplay?.(result.job, thread);
  if (result.job.status === 'failed') {
    const first = result.failed[0];
    await poster.tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue}: ${result.done} ${jobVerb(job)}, ${result.failed.length} failed${first ? ` (${first.error})` : ''}; the failed ones stay in the DLQ.`);
  }
  deps.logger.info({ jobId: job.id, queue: job.queue, status: result.job.status, done: result.done }, 'job from Slack ended');
};

/** The run threw: the job as stored, reported failed, and the starter told. */
const reportCrashed = async (scope: FollowerScope, { job, thread, starter }: ReportedJob, error: unknown): Promise<void> => {
  const { deps, poster } = scope;
  const reason = error instanceof Error ? error.message : String(error);
  logFailure(deps.logger, error, { jobId: job.id, queue: job.queue }, 'job from Slack failed');
  const failed = (await deps.queue.store.getJob(job.id)) ?? job;
  const rendered = deps.messages.result({ job: { ...failed, status: 'failed', error: reason }, done: failed.progress.done, failed: [] });
  await poster.finish(thread, { ...failed, status: failed.status === 'running' ? 'failed' : failed.status }, { text: rendered.text, blocks: rendered.blocks });
  await poster.tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue} failed: ${reason}`);
};

/** Runs a manual job through `start` and reports in `thread`: progress, the result, failures to the starter. */
export const runManualJob = async (scope: FollowerScope, reported: ReportedJob, start: StartRun): Promise<void> => {
  const { job } = reported;
  const reporter = threadReporter(scope, reported);
  try {
    const result = await start({ handOff: scope.handOff, halt: scope.halt, onProgress: reporter.onProgress, onCanary: reporter.onCanary });
    await reporter.settled();
    if (result.stopped === 'canary-returned') await reportPaused(scope, reported, result);
    else if (leftToAnother(result)) scope.deps.logger.warn({ jobId: job.id, queue: job.queue, stopped: result.stopped }, 'job left to another replica');
    else await reportEnded(scope, reported, result);
  } catch (error) {
    await reporter.settled();
    // A crash says nothing more.
    if (!scope.halt.aborted) await reportCrashed(scope, reported, error);
  }
};
