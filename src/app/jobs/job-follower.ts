// Runs the redrive jobs started from Slack in the background and reports on each in a thread (a
// start message with a Cancel button, progress, the result); the thread is stored on the job, so when
// the replica running it dies, the one that takes it over (`recover`, called by job-recovery.ts)
// reports in the same thread, and a clean stop (`stop`) hands its jobs over the same way at once.
// This module holds the follower's two stops and its running jobs; a manual job is run by
// manual-job-runner.ts, a move task followed by move-task-follower.ts, the thread posted by
// job-thread-poster.ts. It decides nothing about the job itself.

import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { realSleep, type Sleep } from '../shared/queue-deps.ts';
import { logFailure } from '../shared/log-failure.ts';
import type { FollowerDeps, FollowerScope } from './job-follower-scope.ts';
import { jobLeaseName } from './job-lease.ts';
import { createThreadPoster } from './job-thread-poster.ts';
import { runManualJob, type StartRun } from './manual-job-runner.ts';
import { followMoveTaskToEnd, followStartedMoveTask } from './move-task-follower.ts';
import { runRedriveJob } from './redrive-job.ts';

export type { StartRun } from './manual-job-runner.ts';

export interface JobFollowerDeps extends FollowerDeps {
  /** At most one progress reply per this many ms (default 5 s); the result is always posted. */
  progressEveryMs?: number;
  /** How often a message move task's progress is read from ListMessageMoveTasks (default 5 s). */
  pollMs?: number;
  sleep?: Sleep;
  /** Names this replica in job lease holders and takeover notes. */
  replicaId?: string;
}

export interface JobFollower {
  /**
   * Runs a manual redrive job in the background: a new one (created, not yet run) by default, or
   * through `start` (e.g. resumeRedriveJob for a paused one), which gets the abort signal and progress.
   */
  runManual(job: Job, context: CommandContext, start?: StartRun): void;
  /** Follows a started message move task until it ends. */
  followMoveTask(job: Job, context: CommandContext): void;
  /**
   * Continues a job whose replica is gone, in the job's stored thread: a manual job from its
   * checkpoint, a move task followed to its end. `holder` already holds the job's lease.
   */
  recover(job: Job, holder: string): void;
  /** Resolves once every job this follower runs has ended (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * A clean stop (rolling deploy, restart): a manual job stops after its batch and frees its lease,
   * and a move task (running on the broker) is no longer followed; both stay `running`, so the
   * replica running the poller takes them over at its next poll (after a restart, at its start).
   * Waits for them; jobs handed to this follower afterwards are left alone for that replica.
   */
  stop(): Promise<void>;
  /**
   * Stops as a killed process would (tests): jobs stop at their next wait and write nothing more
   * (no paused status, no thread reply, leases kept until they expire), so another replica takes over.
   */
  crash(): Promise<void>;
}

export const createJobFollower = (deps: JobFollowerDeps): JobFollower => {
  const handOff = new AbortController();
  const halt = new AbortController();
  const scope: FollowerScope = {
    deps,
    poster: createThreadPoster(deps, halt.signal),
    handOff: handOff.signal,
    halt: halt.signal,
    progressEveryMs: deps.progressEveryMs ?? 5_000,
    pollMs: deps.pollMs ?? 5_000,
    sleep: deps.sleep ?? realSleep,
    replicaId: deps.replicaId ?? null,
  };
  const { poster } = scope;
  const running = new Set<Promise<void>>();

  const track = (work: Promise<void>): void => {
    const done = work.catch((error: unknown) => logFailure(deps.logger, error, {}, 'job follower failed')).finally(() => running.delete(done));
    running.add(done);
  };

  const runManual = async (job: Job, context: CommandContext, start: StartRun): Promise<void> => {
    const thread = await poster.open(job, context).catch(() => null);
    await poster.save(job, thread);
    await runManualJob(scope, { job, thread, starter: { actor: context.actor, channelId: context.channelId } }, start);
  };

  const recover = async (job: Job, holder: string): Promise<void> => {
    // Stopping: the job stays with whichever replica polls next.
    if (handOff.signal.aborted || halt.signal.aborted) {
      if (!halt.signal.aborted) await deps.queue.store.releaseLease(jobLeaseName(job.id), holder).catch(() => undefined);
      return;
    }
    const thread = job.thread ? { ...job.thread } : null;
    const note = deps.messages.takenOver(job, scope.replicaId);
    await poster.post(thread, { text: note.text, blocks: note.blocks });
    const starter = { actor: job.createdBy, channelId: null };
    if (manualRedriveOf(job) !== null) await runManualJob(scope, { job, thread, starter }, (options) => runRedriveJob(deps.queue, job.id, { ...options, holder }));
    else await followMoveTaskToEnd(scope, { job, thread, starter, holder });
  };

  const settle = async (): Promise<void> => {
    while (running.size > 0) await Promise.all([...running]);
  };

  return {
    runManual: (job, context, start) => track(runManual(job, context, start ?? ((options) => runRedriveJob(deps.queue, job.id, options)))),
    followMoveTask: (job, context) => track(followStartedMoveTask(scope, job, context)),
    recover: (job, holder) => track(recover(job, holder)),
    idle: settle,
    stop: async () => {
      handOff.abort();
      await settle();
    },
    crash: async () => {
      halt.abort();
      await settle();
    },
  };
};
