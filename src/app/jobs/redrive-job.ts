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
// This module runs a job end to end (lease, workers, final status); a batch is redrive-batch.ts, the
// per-message checkpoint job-checkpoint.ts, params core/job/job-kinds.ts, the end redrive-job-result.ts.

import { describeFilter, matchesReplayFilter } from '../../core/analysis/replay-filter.ts';
import { DEFAULT_FIELD_MAPPING } from '../../core/analysis/field-mapping.ts';
import { RedriveError } from '../../errors.ts';
import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import { canaryGate, continueAfterCanary, moveTaskAfterCanary, type CanaryEvent } from './canary-gate.ts';
import { loadJobCheckpoint } from './job-checkpoint.ts';
import { createCheckoutKeeper } from './checkout-keeper.ts';
import { holdJobLease, jobLeaseName, lastHeartbeat, liveJobLease, newRunHolder, type JobLeaseHold } from './job-lease.ts';
import { createRateLimiter, unlimited } from './rate-limiter.ts';
import { batchSource, handleBatch, removeSent, type RedriveRun } from './redrive-batch.ts';
import { archiveTarget } from '../shared/resolution-archive.ts';
import { decideJobEnd, type RedriveJobResult } from './redrive-job-result.ts';
import { realSleep, type QueueDeps } from '../shared/queue-deps.ts';

export interface RunOptions {
  signal?: AbortSignal;
  /** Monotonic ms for the rate limiter (default performance.now). */
  now?: () => number;
  /**
   * Called after every batch: done (replayed, and deleted where the DLQ deletes on replay), failed,
   * and total (the job's count; null when it runs until the DLQ or the filter's matches run out).
   * `sent` counts copies accepted downstream whose DLQ delete is still pending.
   */
  onProgress?: (progress: { done: number; failed: number; total: number | null; sent: number }) => void;
  /** This run's lease holder (default a fresh id); job recovery passes the holder that took the lease. */
  holder?: string;
  /**
   * A crash, as tests simulate it: the run stops at its next wait or between batches and writes
   * nothing more (no status, no release of what it checked out, no lease release), as a killed process.
   */
  halt?: AbortSignal;
  /**
   * A clean stop of the process (a rolling deploy): the run stops after the batch being sent, makes
   * what it checked out visible again, frees its lease and leaves the job `running`, so the replica
   * running the poller takes it over at its next poll (job-recovery.ts), as after a crash but without
   * waiting for the lease to expire. `signal` instead pauses the job (resumable with `resume`).
   */
  handOff?: AbortSignal;
  /** How often the lease is renewed and a cancel looked for while the run waits (default JOB_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** The job's canary: watching, passed, or returned (the job then pauses); see canary-gate.ts. */
  onCanary?: (event: CanaryEvent) => void;
}

/** Runs (or resumes) a manual redrive job to its end, abort, or an empty DLQ. */
export const runRedriveJob = async (deps: QueueDeps, jobId: string, options: RunOptions = {}): Promise<RedriveJobResult> => {
  const stored = await deps.store.getJob(jobId);
  if (!stored) throw new RedriveError('JOB_NOT_FOUND', `No job ${jobId}.`, { context: { jobId } });
  if (stored.status === 'cancelled') {
    const items = await deps.store.listJobItems(stored.id);
    const done = items.filter((i) => i.status === 'done').length;
    return { job: stored, sent: done + items.filter((i) => i.status === 'sent').length, done, failed: [], uncertain: [], skipped: 0, stopped: 'cancelled', elapsedMs: 0 };
  }
  // One run at a time: the job's lease, taken before anything is read or written, renewed as
  // heartbeat every second (reading a cancel each time) and before every claim.
  const events: LeaseEvents = { onBeat: async () => {}, onLost: () => {} };
  const hold = await holdJobLease(
    { store: deps.store, now: () => deps.clock.now(), sleep: deps.sleep ?? realSleep, logger: deps.logger },
    { job: stored, holder: options.holder ?? newRunHolder(), everyMs: options.heartbeatMs, halt: options.halt, onBeat: () => events.onBeat(), onLost: () => events.onLost() },
  );
  if (!hold) {
    const other = await deps.store.getLease(jobLeaseName(stored.id));
    const since = other ? ` (last heartbeat ${lastHeartbeat(other, stored).toISOString()})` : '';
    throw new RedriveError('JOB_NOT_RESUMABLE', `Job ${stored.id} is running in another process${since}; cancel it, or wait for it to end.`, { context: { jobId: stored.id, queue: stored.queue } });
  }
  // How this process's run of the job ended, for the metrics (a crash or a refusal: failed).
  let ended = 'failed';
  try {
    const result = await runHoldingLease(deps, stored.id, hold, events, options);
    ended = result.stopped === 'halted' || result.stopped === 'handed-over' || result.stopped === 'handed-off' ? result.stopped : result.job.status;
    return result;
  } catch (error) {
    // Failed before it could write an end (the target or the store refused at start): marked failed,
    // so job recovery does not take it over again at every poll.
    if (!options.halt?.aborted && !hold.lost) {
      const current = await deps.store.getJob(stored.id).catch(() => null);
      const message = error instanceof Error ? error.message : String(error);
      if (current?.status === 'running') await deps.store.updateJob(stored.id, { status: 'failed', error: message, updatedAt: deps.clock.now() }).catch(() => undefined);
    }
    throw error;
  } finally {
    // Released after the final status is written, so recovery never mistakes an ended run for a dead one.
    // A crashed (halted) run keeps it until it expires, as a killed process would.
    await hold.release({ keep: options.halt?.aborted === true });
    deps.metrics.jobEnded(stored, ended);
  }
};

/** Keys of the queue's messages Redrive replayed before `before` (resolve-batch --replayed-before). */
const replayedBefore = async (deps: QueueDeps, queue: string, before: Date): Promise<Set<string>> =>
  new Set((await deps.store.listReplays(queue)).filter((r) => r.replayedAt.getTime() < before.getTime()).map((r) => r.messageKey));

/** What the lease's periodic beat tells the run: a beat happened (read a cancel), the lease is lost. */
interface LeaseEvents {
  onBeat: () => Promise<void>;
  onLost: () => void;
}


const runHoldingLease = async (deps: QueueDeps, jobId: string, hold: JobLeaseHold, events: LeaseEvents, options: RunOptions): Promise<RedriveJobResult> => {
  // Read again under the lease: the status and items are now this run's alone.
  const job = await deps.store.getJob(jobId);
  if (!job) throw new RedriveError('JOB_NOT_FOUND', `No job ${jobId}.`, { context: { jobId } });
  const manual = manualRedriveOf(job);
  if (!manual) throw new RedriveError('JOB_NOT_RESUMABLE', `Job ${jobId} is not a manual redrive job.`, { context: { jobId, queue: job.queue } });
  const backend = deps.registry.get(job.queue);
  const { params } = manual;
  // Bulk resolve: the store's archive takes each message; the DLQ deletes (SQS) or commits (Kafka) after.
  const resolving = job.kind === 'resolve-batch';
  const target = resolving ? archiveTarget(deps, backend, params.reason) : await backend.replayTarget();
  const sleep = deps.sleep ?? realSleep;
  const now = options.now ?? (() => performance.now());
  const limiter = params.ratePerSecond ? createRateLimiter({ ratePerSecond: params.ratePerSecond, now, sleep }) : unlimited;
  const started = now();
  // One worker failing stops the others before anything is released.
  const internal = new AbortController();
  // A cancel seen in the store, or the lease lost to another replica: stop sending at once.
  const stopping = new AbortController();
  const signal = AbortSignal.any([internal.signal, stopping.signal, ...[options.signal, options.handOff, options.halt].filter((s) => s !== undefined)]);
  const halted = (): boolean => options.halt?.aborted === true;
  const clockNow = () => deps.clock.now();
  const mapping = backend.mapping ?? DEFAULT_FIELD_MAPPING;
  // The filter's age is measured once per run, so a message does not drift in or out mid-run.
  const filterNow = clockNow();
  const replayed = params.replayedBefore === null ? null : await replayedBefore(deps, job.queue, new Date(params.replayedBefore));

  // What earlier runs of this job left behind.
  const checkpoint = await loadJobCheckpoint(deps, job.id);
  const count = checkpoint.count;
  const canary = canaryGate(deps, job);
  const tally: RedriveRun['tally'] = {
    remaining: params.count === null ? Number.POSITIVE_INFINITY : Math.max(0, params.count + canary.extra - checkpoint.size),
    failed: [],
    held: [],
    skipped: new Set<string>(),
  };
  const { failed, held, skipped } = tally;
  // Inside the canary, the run holds at most its first N messages (canary-gate.ts).
  if (canary.limit !== null) tally.remaining = Math.min(tally.remaining, Math.max(0, canary.limit - checkpoint.size));
  let stopped: RedriveJobResult['stopped'] = 'finished';
  if (job.status === 'cancelled') {
    return { job, sent: count('sent') + count('done'), done: count('done'), failed, uncertain: [], skipped: 0, stopped: 'cancelled', elapsedMs: 0 };
  }
  // Set by `cancel` through the store; read at every heartbeat and after every batch.
  const cancel = { requested: false, note: null as string | null };
  const noteCancel = (status: Job['status'], note: string | null): void => {
    if (status !== 'cancelled' || cancel.requested) return;
    Object.assign(cancel, { requested: true, note });
    stopping.abort();
  };
  const keeper = createCheckoutKeeper(backend.dlq, held, (error) =>
    deps.logger?.warn({ jobId: job.id, queue: job.queue, err: error }, 'could not keep checked-out messages hidden; they may be received again (never sent twice)'),
  );
  // The lease's periodic beat reads a cancel while workers wait (for the rate, a long poll, a slow
  // target), so it is seen within a heartbeat, not after the batches in flight; it also keeps what the
  // run holds hidden. When another replica holds the lease, this run's heartbeat had lapsed and the
  // job was taken over: stop at once.
  events.onBeat = async () => {
    keeper.beat();
    const current = await deps.store.getJob(job.id);
    if (current) noteCancel(current.status, current.error);
  };
  events.onLost = () => stopping.abort();
  const heartbeat = async (): Promise<void> => {
    if (!halted()) await hold.beat();
  };
  // The current run's start, so `jobs` shows this run's rate even for a resumed job.
  const runStamp = { runStartedAt: clockNow().toISOString(), doneBeforeRun: count('done') };

  await deps.store.updateJob(job.id, { status: 'running', updatedAt: clockNow(), error: null, checkpoint: { ...job.checkpoint, ...runStamp, ...canary.stored() } });
  // The metrics' baseline: what earlier runs replayed is not counted again.
  deps.metrics.jobProgress(job, runStamp.doneBeforeRun, params.count);
  await writeAudit(deps, { action: `${job.kind}:run`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, {
    resumed: checkpoint.size > 0,
    count: params.count,
    ratePerSecond: params.ratePerSecond,
    filter: describeFilter(params.filter),
  });

  const progress = async () => {
    if (halted() || hold.lost) return;
    await heartbeat();
    if (hold.lost) return;
    const p = { total: params.count, done: count('done'), failed: failed.length };
    const stored = await deps.store.updateJob(job.id, { progress: p, checkpoint: { sent: count('sent'), done: p.done, ...runStamp, ...canary.stored() }, updatedAt: clockNow() });
    noteCancel(stored.status, stored.error);
    deps.metrics.jobProgress(job, p.done, p.total);
    options.onProgress?.({ done: p.done, failed: p.failed, total: p.total, sent: count('sent') });
  };

  const run: RedriveRun = {
    deps,
    job,
    backend,
    params,
    target,
    limiter,
    signal,
    hold,
    checkpoint,
    tally,
    resolving,
    wanted: (message) => (replayed === null || replayed.has(message.messageKey)) && (!params.filter || matchesReplayFilter(message, mapping, params.filter, filterNow)),
    halted,
    heartbeat,
    progress,
  };
  const nextBatch = batchSource(run);

  // A previous run may have sent items it could not delete: delete them first, without sending again.
  const pendingSent = checkpoint.keysIn('sent');
  const worker = async () => {
    let idle = 0;
    while (!signal.aborted && !cancel.requested && (tally.remaining > 0 || count('sent') > 0) && idle < 3) {
      const batch = await nextBatch();
      if (batch.length === 0) {
        stopped = 'empty';
        return;
      }
      let progressed: number;
      keeper.taken(batch);
      try {
        progressed = await handleBatch(run, batch);
      } catch (error) {
        // Make the whole batch visible again at the end; releasing a deleted message is a no-op.
        held.push(...batch);
        throw error;
      } finally {
        keeper.handled(batch);
      }
      idle = progressed === 0 ? idle + 1 : 0;
    }
  };
  let crash: unknown = null;
  try {
    if (pendingSent.length > 0) {
      const found = await backend.dlq.checkout(pendingSent, { timeoutMs: 10_000 });
      await removeSent(run, found.found);
    }
    const runs = await Promise.allSettled(
      Array.from({ length: Math.max(1, params.concurrency) }, () =>
        worker().catch((error: unknown) => {
          internal.abort();
          throw error;
        }),
      ),
    );
    crash = runs.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason ?? null;
  } catch (error) {
    crash = error;
  } finally {
    // A killed process releases nothing: what it checked out reappears when its visibility ends.
    await keeper.settle();
    if (!halted()) await backend.dlq.release(held).catch(() => undefined);
  }
  // Another run may have ended items this one never saw (a run it took over, finishing its last batch).
  if (!halted()) checkpoint.absorb(await deps.store.listJobItems(job.id).catch(() => []));
  const summary = () => ({ sent: count('sent') + count('done'), done: count('done'), failed, uncertain: checkpoint.keysIn('claimed'), skipped: skipped.size, elapsedMs: now() - started });
  if (halted()) return { job, ...summary(), stopped: 'halted' };
  if (hold.lost) {
    // Another replica runs the job now; its status, result and messages are its own.
    deps.logger?.warn({ jobId: job.id, queue: job.queue }, 'job taken over by another replica (this run missed its heartbeats); stopped here');
    await writeAudit(deps, { action: `${job.kind}:handed-over`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, { done: count('done') });
    return { job: (await deps.store.getJob(job.id)) ?? job, ...summary(), stopped: 'handed-over' };
  }
  // The canary's messages are replayed: watch the DLQ for them; go on with the rest only if none came back.
  if (!crash && !cancel.requested && canary.due(checkpoint.size)) {
    const verdict = await canary.watch({ backend, signal, ...(options.onCanary ? { onCanary: options.onCanary } : {}) });
    if (verdict === 'passed' && params.moveTaskAfterCanary) {
      const moveTask = await moveTaskAfterCanary(deps, job);
      return { job: (await deps.store.getJob(job.id)) ?? job, ...summary(), stopped: 'finished', moveTask };
    }
    if (verdict === 'passed') return runHoldingLease(deps, jobId, hold, events, options);
    if (verdict === 'returned') return { job: (await deps.store.getJob(job.id)) ?? job, ...summary(), stopped: 'canary-returned' };
    if (halted()) return { job, ...summary(), stopped: 'halted' };
  }
  if (options.signal?.aborted) stopped = 'aborted';
  // Handed off mid-job: progress written, the job left `running` and its lease freed (by the caller's
  // finally) for the poller's replica. A job that ended anyway, failed or was cancelled ends here.
  // (`finished` here: no worker saw the DLQ run out, and no pause was asked for.)
  const unfinished = tally.remaining > 0 || count('sent') > 0;
  // A canary watch cut short is unfinished however the workers ended (one may have found the DLQ empty).
  const handOver = (stopped === 'finished' && unfinished) || canary.due(checkpoint.size);
  if (options.handOff?.aborted && handOver && !crash && !cancel.requested) {
    await progress();
    deps.logger?.info({ jobId: job.id, queue: job.queue, done: count('done') }, 'process stopping: job left running for the poller\'s replica to take over');
    await writeAudit(deps, { action: `${job.kind}:handed-off`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, { done: count('done') });
    return { job: (await deps.store.getJob(job.id)) ?? job, ...summary(), stopped: 'handed-off' };
  }
  // A cancel that lands after the last batch changes nothing: the job did finish.
  if (cancel.requested) stopped = 'cancelled';
  await progress();
  const uncertain = checkpoint.keysIn('claimed');
  const { status, error, clean } = decideJobEnd({ crash, cancel, failed: failed.length, uncertain: uncertain.length, stillSent: count('sent'), stopped });
  const finished = await deps.store.updateJob(job.id, { status, error, updatedAt: clockNow() });
  await writeAudit(deps, { action: `${job.kind}:end`, queue: job.queue, actor: job.createdBy, jobId: job.id }, clean ? 'success' : 'failure', error, {
    done: count('done'),
    failed: failed.length,
    uncertain: uncertain.length,
    skipped: skipped.size,
    stopped,
  });
  if (crash) throw crash;
  return { job: finished, sent: count('sent') + count('done'), done: count('done'), failed, uncertain, skipped: skipped.size, stopped, elapsedMs: now() - started };
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
