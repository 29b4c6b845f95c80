// jobs and cancel. `jobs` lists running and recent redrive jobs with done/failed/total and their rate
// (message move tasks are read again from ListMessageMoveTasks first). `cancel` stops one: a move
// task through CancelMessageMoveTask; a manual redrive job by marking it cancelled in the store,
// which its runner, in this process or another, reads at its next heartbeat (about a second) and after
// every batch: batches waiting for the rate are not sent, the one already sending finishes.

import { RedriveError } from '../../errors.ts';
import { manualRedriveOf, moveTaskOf, rateLimitOf } from '../../core/job/job-kinds.ts';
import type { Job, JobStatus } from '../../core/model.ts';
import { audited, type ActionInput } from '../shared/audit-trail.ts';
import { jobLeaseName, lastHeartbeat, liveJobLease } from './job-lease.ts';
import { cancelMoveTask, refreshMoveTask } from './move-task.use-case.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { ALL_QUEUES, type QueueScope } from '../shared/queue-visibility.ts';

export interface JobView {
  job: Job;
  /** Messages a second over the job's current run; null when nothing can be measured yet. */
  ratePerSecond: number | null;
  /** The requested cap (--rate), if any. */
  rateLimit: number | null;
  /** Move-task jobs: the broker's task status (RUNNING, COMPLETED, CANCELLED...). */
  taskStatus: string | null;
  /** Why fresh progress could not be read now (the stored progress is shown instead). */
  refreshError: string | null;
  /**
   * A manual job `running` whose runner stopped heartbeating (its lease expired): when it last beat,
   * null when no heartbeat is known. Absent while the runner is alive.
   */
  stalled?: { lastHeartbeat: Date | null };
}

export type CancelOutcome =
  /** Stopped: a move task cancelled (`moved` had moved), or a job that was not running marked cancelled. */
  | { outcome: 'cancelled'; job: Job; moved: number | null }
  /** A running manual job was told to stop; it does at its next heartbeat, sending no new batch. */
  | { outcome: 'stopping'; job: Job }
  | { outcome: 'already-finished'; job: Job };

export const JOBS_SHOWN = 15;
const JOBS_SCANNED = 200;
const MIN_ID_PREFIX = 6;
const ACTIVE: readonly JobStatus[] = ['pending', 'running', 'paused'];
const FINISHED: readonly JobStatus[] = ['succeeded', 'cancelled'];

const isMoveTask = (job: Job): boolean => moveTaskOf(job) !== null;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** done / elapsed over the current run: a resumed job's earlier runs do not dilute it. */
export const jobRate = (job: Job, now: Date, taskStartedAt: Date | null = null): number | null => {
  const checkpoint = job.checkpoint;
  const runStart = typeof checkpoint.runStartedAt === 'string' ? new Date(checkpoint.runStartedAt) : (taskStartedAt ?? job.createdAt);
  const doneBefore = typeof checkpoint.doneBeforeRun === 'number' ? checkpoint.doneBeforeRun : 0;
  // A running move task progresses between reads; a manual job's progress is as of its last batch.
  const end = job.status === 'running' && isMoveTask(job) ? now : job.updatedAt;
  const seconds = (end.getTime() - runStart.getTime()) / 1000;
  const done = job.progress.done - doneBefore;
  if (!(seconds > 0) || Number.isNaN(runStart.getTime())) return null;
  return Math.max(0, done) / seconds;
};

/** A running manual job whose lease is not live: its runner died or froze (job-lease.ts). */
const stalledOf = async (deps: QueueDeps, job: Job): Promise<JobView['stalled']> => {
  if (job.status !== 'running' || manualRedriveOf(job) === null) return undefined;
  const lease = await deps.store.getLease(jobLeaseName(job.id));
  if (lease && lease.expiresAt.getTime() > deps.clock.now().getTime()) return undefined;
  return { lastHeartbeat: lease ? lastHeartbeat(lease, job) : null };
};

const viewOf = async (deps: QueueDeps, job: Job): Promise<JobView> => {
  const rateLimit = rateLimitOf(job);
  const stalled = await stalledOf(deps, job);
  const base: JobView = { job, ratePerSecond: jobRate(job, deps.clock.now()), rateLimit, taskStatus: null, refreshError: null, ...(stalled ? { stalled } : {}) };
  if (!isMoveTask(job) || !ACTIVE.includes(job.status)) return base;
  try {
    const view = await refreshMoveTask(deps, job.id);
    return { ...base, job: view.job, taskStatus: view.task?.status ?? null, ratePerSecond: jobRate(view.job, deps.clock.now(), view.task?.startedAt ?? null) };
  } catch (error) {
    return { ...base, refreshError: messageOf(error) };
  }
};

/** Running (and paused) jobs first, then the most recent others; at most JOBS_SHOWN. */
export const listJobViews = async (deps: QueueDeps, request: { queue: string | null; actor: string; scope?: QueueScope }): Promise<JobView[]> => {
  const scope = request.scope ?? ALL_QUEUES;
  const queue = request.queue === null ? null : deps.registry.get(request.queue).name;
  return audited(
    deps,
    { action: 'jobs', queue, actor: request.actor },
    async () => {
      // Of all queues: only the jobs of queues the actor may view.
      const jobs = (await deps.store.listJobs({ ...(queue === null ? {} : { queue }), limit: JOBS_SCANNED })).filter((j) => queue !== null || scope.mayView(j.queue));
      const ordered = [...jobs.filter((j) => ACTIVE.includes(j.status)), ...jobs.filter((j) => !ACTIVE.includes(j.status))].slice(0, JOBS_SHOWN);
      const views: JobView[] = [];
      for (const job of ordered) views.push(await viewOf(deps, job));
      return views;
    },
    (views) => ({ listed: views.length, running: views.filter((v) => v.job.status === 'running').length }),
  );
};

/** By job id, by move-task handle, or by a unique id prefix (as `jobs` shows them). */
const findJob = async (deps: QueueDeps, ref: string): Promise<Job | null> => {
  const exact = await deps.store.getJob(ref);
  if (exact) return exact;
  const recent = await deps.store.listJobs({ limit: JOBS_SCANNED });
  const byHandle = recent.find((job) => moveTaskOf(job)?.params.taskHandle === ref);
  if (byHandle) return byHandle;
  if (ref.length < MIN_ID_PREFIX) return null;
  const byPrefix = recent.filter((job) => job.id.startsWith(ref));
  if (byPrefix.length > 1) {
    throw new RedriveError('CLI_USAGE', `"${ref}" matches ${byPrefix.length} jobs; give more of the id.`, { context: { jobId: ref } });
  }
  return byPrefix[0] ?? null;
};

export const cancelJob = async (deps: QueueDeps, request: { jobId: string; actor: string }): Promise<CancelOutcome> => {
  const action: ActionInput = { action: 'cancel', queue: null, actor: request.actor, jobId: request.jobId };
  return audited(
    deps,
    action,
    async (input): Promise<CancelOutcome> => {
      const job = await findJob(deps, request.jobId);
      if (!job) throw new RedriveError('JOB_NOT_FOUND', `No job "${request.jobId}".`, { context: { jobId: request.jobId } });
      input.queue = job.queue;
      input.jobId = job.id;
      if (FINISHED.includes(job.status)) return { outcome: 'already-finished', job };
      if (isMoveTask(job)) {
        const result = await cancelMoveTask(deps, job);
        return result.cancelled ? { outcome: 'cancelled', job: result.job, moved: result.moved } : { outcome: 'already-finished', job: result.job };
      }
      // A `running` job whose runner is gone (no heartbeat) has nobody to stop: it is cancelled now.
      const live = job.status === 'running' && (await liveJobLease(deps.store, job.id, deps.clock.now())) !== null;
      const marked = await deps.store.updateJob(job.id, { status: 'cancelled', error: `cancelled by ${request.actor}`, updatedAt: deps.clock.now() });
      return live ? { outcome: 'stopping', job: marked } : { outcome: 'cancelled', job: marked, moved: null };
    },
    (outcome) => ({ outcome: outcome.outcome, kind: outcome.job.kind, status: outcome.job.status, done: outcome.job.progress.done }),
  );
};
