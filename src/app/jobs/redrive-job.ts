// The manual redrive path (redrive-batch, FIFO redrive-all, Kafka bulk replay): batches of 10, a
// token-bucket rate, a few batches in flight, an optional filter (category, domain, signature, age)
// and a checkpoint per message in the store. Item states go claimed → sent → done; a resumed job
// deletes its `sent` items without sending them again and never re-sends a `claimed` one whose send
// may have happened, so one job never replays a message twice. On Kafka a replayed message stays in
// the DLQ (runbook: resolve it after reprocessing), so an accepted copy is `done` at once. A job
// marked `cancelled` in the store (by `cancel`, from any process) is seen within a heartbeat: no
// batch is sent after it (a batch waiting for the rate gives up its turn; one already sending
// finishes and is deleted). A run holds the job's lease (job-lease.ts) and renews it as heartbeat,
// so two runs of one job never go on at once, and a run whose runner died is taken over. A clean
// stop of the process (`handOff`) ends the run after its batch and frees the lease, leaving the job
// `running` for the poller's replica to take over at its next poll.
// Bulk resolve (`resolve-batch`) is the same machine with the store's archive as target: each message
// is archived, then deleted (SQS) or committed up to the lowest unresolved offset (Kafka).
// This module takes the job's lease, runs the job under it (job-run-loop.ts: workers, canary, final
// status) and frees it in one place; a batch is redrive-batch.ts, the per-message checkpoint
// job-checkpoint.ts, params core/job/job-kinds.ts, the end redrive-job-result.ts.

import { RedriveError } from '../../errors.ts';
import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import { continueAfterCanary } from './canary-gate.ts';
import { holdJobLease, jobLeaseName, lastHeartbeat, liveJobLease, newRunHolder } from './job-lease.ts';
import { runHoldingLease, type LeaseEvents } from './job-run-loop.ts';
import type { RedriveJobResult } from './redrive-job-result.ts';
import type { RunOptions } from './redrive-run-options.ts';
import { realSleep, type QueueDeps } from '../shared/queue-deps.ts';

/** A job cancelled before this run took its lease: what its items say, nothing run. */
const cancelledResult = async (deps: QueueDeps, job: Job): Promise<RedriveJobResult> => {
  const items = await deps.store.listJobItems(job.id);
  const done = items.filter((i) => i.status === 'done').length;
  return { job, sent: done + items.filter((i) => i.status === 'sent').length, done, failed: [], uncertain: [], skipped: 0, stopped: 'cancelled', elapsedMs: 0 };
};

/** The lease is another live run's: refused, naming its last heartbeat. */
const heldElsewhere = async (deps: QueueDeps, job: Job): Promise<RedriveError> => {
  const other = await deps.store.getLease(jobLeaseName(job.id));
  const since = other ? ` (last heartbeat ${lastHeartbeat(other, job).toISOString()})` : '';
  return new RedriveError('JOB_NOT_RESUMABLE', `Job ${job.id} is running in another process${since}; cancel it, or wait for it to end.`, { context: { jobId: job.id, queue: job.queue } });
};

/**
 * Failed before it could write an end (the target or the store refused at start): marked failed, so
 * job recovery does not take it over again at every poll.
 */
const markFailedAtStart = async (deps: QueueDeps, jobId: string, error: unknown): Promise<void> => {
  const current = await deps.store.getJob(jobId).catch(() => null);
  const message = error instanceof Error ? error.message : String(error);
  if (current?.status === 'running') await deps.store.updateJob(jobId, { status: 'failed', error: message, updatedAt: deps.clock.now() }).catch(() => undefined);
};

/** How this process's run of the job ended, for the metrics. */
const endedAs = (result: RedriveJobResult): string =>
  result.stopped === 'halted' || result.stopped === 'handed-over' || result.stopped === 'handed-off' ? result.stopped : result.job.status;

/** Runs (or resumes) a manual redrive job to its end, abort, or an empty DLQ. */
export const runRedriveJob = async (deps: QueueDeps, jobId: string, options: RunOptions = {}): Promise<RedriveJobResult> => {
  const stored = await deps.store.getJob(jobId);
  if (!stored) throw new RedriveError('JOB_NOT_FOUND', `No job ${jobId}.`, { context: { jobId } });
  if (stored.status === 'cancelled') return cancelledResult(deps, stored);
  // One run at a time: the job's lease, taken before anything is read or written, renewed as
  // heartbeat every second (reading a cancel each time) and before every claim.
  const events: LeaseEvents = { onBeat: async () => {}, onLost: () => {} };
  const hold = await holdJobLease(
    { store: deps.store, now: () => deps.clock.now(), sleep: deps.sleep ?? realSleep, logger: deps.logger },
    { job: stored, holder: options.holder ?? newRunHolder(), everyMs: options.heartbeatMs, halt: options.halt, onBeat: () => events.onBeat(), onLost: () => events.onLost() },
  );
  if (!hold) throw await heldElsewhere(deps, stored);
  // A crash or a refusal: failed.
  let ended = 'failed';
  try {
    const result = await runHoldingLease({ deps, jobId: stored.id, hold, events, options });
    ended = endedAs(result);
    return result;
  } catch (error) {
    if (!options.halt?.aborted && !hold.lost) await markFailedAtStart(deps, stored.id, error);
    throw error;
  } finally {
    // The one exit: the lease released after the final status is written, so recovery never mistakes
    // an ended run for a dead one (a crashed, halted run keeps it until it expires, as a killed
    // process would), and the run's end counted.
    await hold.release({ keep: options.halt?.aborted === true });
    deps.metrics.jobEnded(stored, ended);
  }
};

/**
 * Runs a manual job again from its checkpoint (after an abort, a crash or a restart): items already
 * done are skipped, `sent` ones are deleted without sending, `claimed` ones are never re-sent. A job
 * still `running` is resumed only when its runner is gone (its lease expired, job-lease.ts); one whose
 * runner still heartbeats is refused. Succeeded and cancelled jobs, and move tasks, are refused.
 */
export const resumeRedriveJob = async (deps: QueueDeps, request: { queue: string; jobId: string; actor: string }, options: RunOptions = {}): Promise<RedriveJobResult> => {
  const backend = deps.registry.get(request.queue);
  const job = await deps.store.getJob(request.jobId);
  if (!job || job.queue !== backend.name) throw new RedriveError('JOB_NOT_FOUND', `No job ${request.jobId} on ${backend.name}.`, { context: { jobId: request.jobId } });
  const refuse = (why: string) => new RedriveError('JOB_NOT_RESUMABLE', `Job ${job.id} ${why}.`, { context: { jobId: job.id, queue: job.queue } });
  const audit = { action: `${job.kind}:resume`, queue: job.queue, actor: request.actor, jobId: job.id };
  const check = (): void => {
    if (manualRedriveOf(job) === null) throw refuse('is a message move task (redrive-all); SQS runs it, there is nothing to resume');
    if (job.status === 'succeeded' || job.status === 'cancelled') throw refuse(`is ${job.status}`);
  };
  try {
    check();
    const live = await liveJobLease(deps.store, job.id, deps.clock.now());
    if (live) throw refuse(`is running in another process (last heartbeat ${lastHeartbeat(live, job).toISOString()}); cancel it, or wait for it to end`);
  } catch (error) {
    await writeAudit(deps, audit, 'failure', error instanceof Error ? error.message : String(error));
    throw error;
  }
  // Resuming a job its canary paused is the operator's Continue: the rest is replayed.
  const continued = await continueAfterCanary(deps, job, request.actor);
  await writeAudit(deps, audit, 'success', null, { previousStatus: job.status, ...(continued ? { canary: 'continued' } : {}) });
  return runRedriveJob(deps, job.id, options);
};
