// Follows a message move task (SQS redrive-all, running on the broker) to its end under the job's
// lease, renewed at every read, and reports its progress and result in the job's thread. Following
// is the only work: a clean stop or a crash ends the following, never the task.

import type { Job } from '../../core/model.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { FollowerScope } from './job-follower-scope.ts';
import { JOB_LEASE_MIN_MS, jobLeaseName, newRunHolder } from './job-lease.ts';
import type { Starter, Thread } from './job-thread-poster.ts';
import { refreshMoveTask } from './move-task.use-case.ts';
import { toSlackText } from '../../core/text/slack-text.ts';

/** A move task this follower follows: where it reports, who to tell of a failure, who holds its lease. */
export interface FollowedTask {
  job: Job;
  thread: Thread | null;
  starter: Starter;
  holder: string;
}

const MAX_REFRESH_FAILURES = 3;

const takeLease = (scope: FollowerScope, job: Job, holder: string): Promise<boolean> =>
  scope.deps.queue.store.acquireLease(jobLeaseName(job.id), holder, scope.deps.queue.clock.now(), JOB_LEASE_MIN_MS);

/** Said once after a few failed reads: the task runs on the broker whatever happens here. */
const sayUnreadable = async (scope: FollowerScope, task: FollowedTask, error: unknown): Promise<void> => {
  const { job, thread, starter } = task;
  const reason = error instanceof Error ? error.message : String(error);
  scope.deps.logger.warn({ jobId: job.id, queue: job.queue, err: error }, 'move task progress could not be read; still following');
  await scope.poster.post(thread, { text: toSlackText(`Job ${job.id}: progress could not be read (${reason}); Redrive keeps trying, and /dlq jobs shows the latest.`, { max: 1_000 }) });
  await scope.poster.tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue}: progress could not be read (${reason}).`);
};

/**
 * Reads the task every `pollMs` until it is no longer running (its last state), posting progress when
 * it moved; null when this follower lets it go (stopping, or another replica holds its lease).
 */
const readUntilEnd = async (scope: FollowerScope, task: FollowedTask, stop: AbortSignal): Promise<Job | null> => {
  const { deps, poster } = scope;
  const { job, thread, holder } = task;
  const postProgress = poster.progress(job, thread);
  let lastDone = -1;
  let failures = 0;
  let current = job;
  while (!stop.aborted) {
    await scope.sleep(scope.pollMs, stop);
    if (stop.aborted) return null;
    if (!(await takeLease(scope, job, holder))) {
      deps.logger.warn({ jobId: job.id, queue: job.queue }, 'another replica follows this move task now');
      return null;
    }
    try {
      current = (await refreshMoveTask(deps.queue, job.id)).job;
      failures = 0;
    } catch (error) {
      // Keep following (and holding the job, so no other replica takes it over).
      failures += 1;
      if (failures === MAX_REFRESH_FAILURES) await sayUnreadable(scope, task, error);
      continue;
    }
    if (current.status !== 'running') return current;
    if (current.progress.done !== lastDone) {
      lastDone = current.progress.done;
      const progress = deps.messages.progress(current, current.progress);
      await postProgress({ text: progress.text, blocks: progress.blocks });
    }
  }
  // A stop seen between two reads (not during the wait) reports the last state read, as it always has.
  return current;
};

/** Follows the task to its end, reports it, and frees its lease unless this process is dying. */
export const followMoveTaskToEnd = async (scope: FollowerScope, task: FollowedTask): Promise<void> => {
  const { job, thread, starter, holder } = task;
  const stop = AbortSignal.any([scope.handOff, scope.halt]);
  try {
    const ended = await readUntilEnd(scope, task, stop);
    if (!ended) return;
    const rendered = scope.deps.messages.result({ job: ended, done: ended.progress.done, failed: [] });
    await scope.poster.finish(thread, ended, { text: rendered.text, blocks: rendered.blocks });
    if (ended.status === 'failed') await scope.poster.tellStarter(starter, thread, `:x: Job ${job.id} on ${job.queue} failed: ${ended.error ?? 'the move task failed'}`);
  } finally {
    // Stopping (not dying) frees the task at once for the replica that carries on; a killed one's lease expires.
    if (!scope.halt.aborted) await scope.deps.queue.store.releaseLease(jobLeaseName(job.id), holder).catch(() => undefined);
  }
};

/** A move task started from Slack: its lease taken, a start message in its thread, then followed. */
export const followStartedMoveTask = async (scope: FollowerScope, job: Job, context: CommandContext): Promise<void> => {
  const holder = newRunHolder(scope.replicaId);
  await takeLease(scope, job, holder);
  const thread = await scope.poster.open(job, context).catch(() => null);
  await scope.poster.save(job, thread);
  await followMoveTaskToEnd(scope, { job, thread, starter: { actor: context.actor, channelId: context.channelId }, holder });
};

/**
 * The move task that replays the rest after a canary passed (SQS redrive-all), followed in the manual
 * job's thread; its start note carries its Cancel button, taken off when the task ends.
 */
export const followMoveTaskAfterCanary = async (scope: FollowerScope, moveTask: Job, thread: Thread | null, starter: Starter): Promise<void> => {
  const note = scope.deps.messages.moveTaskStarted(moveTask, 'The canary passed: a message move task replays the rest; its progress follows here.');
  const noteTs = await scope.poster.post(thread, { text: note.text, blocks: note.blocks });
  const holder = newRunHolder(scope.replicaId);
  const taskThread = thread ? { ...thread, startTs: noteTs, progressTs: null } : null;
  await takeLease(scope, moveTask, holder);
  await scope.poster.save(moveTask, taskThread);
  await followMoveTaskToEnd(scope, { job: moveTask, thread: taskThread, starter, holder });
};
