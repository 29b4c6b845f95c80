// One run of a manual redrive job while it holds the job's lease: reads the job again under the lease,
// marks it running, lets a few workers take batches until the count, the DLQ or the run's one stop
// signal ends them, watches the canary, and writes how the run ended. Everything that can stop a run
// (a worker's error, a cancel seen in the store, the lease lost, a pause, a hand-off, a crash) aborts
// that one signal. It neither takes nor frees the lease: redrive-job.ts does, in one place.

import { describeFilter, matchesReplayFilter } from '../../core/analysis/replay-filter.ts';
import { DEFAULT_FIELD_MAPPING } from '../../core/analysis/field-mapping.ts';
import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import { RedriveError } from '../../errors.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import { realSleep, type QueueDeps } from '../shared/queue-deps.ts';
import { archiveTarget } from '../shared/resolution-archive.ts';
import { canaryGate, moveTaskAfterCanary, type CanaryGate } from './canary-gate.ts';
import { createCheckoutKeeper, type CheckoutKeeper } from './checkout-keeper.ts';
import { loadJobCheckpoint } from './job-checkpoint.ts';
import type { JobLeaseHold } from './job-lease.ts';
import { createRateLimiter, unlimited } from './rate-limiter.ts';
import type { RedriveRun } from './redrive-batch.ts';
import { runWorkers } from './job-workers.ts';
import { decideJobEnd, type RedriveJobResult } from './redrive-job-result.ts';
import type { RunOptions } from './redrive-run-options.ts';

/** What the lease's periodic beat tells the run: a beat happened (read a cancel), the lease is lost. */
export interface LeaseEvents {
  onBeat: () => Promise<void>;
  onLost: () => void;
}

/** A run that holds its job's lease (redrive-job.ts took it and frees it). */
export interface LeasedRun {
  deps: QueueDeps;
  jobId: string;
  hold: JobLeaseHold;
  events: LeaseEvents;
  options: RunOptions;
}

/** One pass: the run's shared state (`run`), what stops it, and what the end of the pass reads. */
interface Pass {
  lease: LeasedRun;
  run: RedriveRun;
  canary: CanaryGate;
  /** The one stop of the pass; `run.signal` is it, with the caller's pause, hand-off and crash. */
  stop: AbortController;
  /** Set by `cancel` through the store; read at every heartbeat and after every batch. */
  cancel: { requested: boolean; note: string | null };
  /** Keeps what the workers checked out hidden while they work (the lease's beat renews it). */
  keeper: CheckoutKeeper;
  /** The current run's start, so `jobs` shows this run's rate even for a resumed job. */
  runStamp: { runStartedAt: string; doneBeforeRun: number };
  stopped: RedriveJobResult['stopped'];
  started: number;
  now: () => number;
}

/** Runs passes until one ends the run: a canary that passed starts the next pass from the store. */
export const runHoldingLease = async (lease: LeasedRun): Promise<RedriveJobResult> => {
  for (;;) {
    const pass = await preparePass(lease);
    if (!('run' in pass)) return pass;
    await markRunning(pass);
    const crash = await runWorkers(pass.run, { keeper: pass.keeper, stop: pass.stop, cancelled: () => pass.cancel.requested, onEmpty: () => void (pass.stopped = 'empty') });
    const end = await endPass(pass, crash);
    if (end !== 'canary-passed') return end;
  }
};

/** Keys of the queue's messages Redrive replayed before `before` (resolve-batch --replayed-before). */
const replayedBefore = async (deps: QueueDeps, queue: string, before: Date): Promise<Set<string>> =>
  new Set((await deps.store.listReplays(queue)).filter((r) => r.replayedAt.getTime() < before.getTime()).map((r) => r.messageKey));

const externalStops = (options: RunOptions): AbortSignal[] => [options.signal, options.handOff, options.halt].filter((s): s is AbortSignal => s !== undefined);

/** Reads the job under the lease and builds the pass; a job cancelled meanwhile ends here. */
const preparePass = async (lease: LeasedRun): Promise<Pass | RedriveJobResult> => {
  const { deps, jobId, hold, options } = lease;
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
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, ...externalStops(options)]);
  const halted = (): boolean => options.halt?.aborted === true;
  const mapping = backend.mapping ?? DEFAULT_FIELD_MAPPING;
  // The filter's age is measured once per run, so a message does not drift in or out mid-run.
  const filterNow = deps.clock.now();
  const replayed = params.replayedBefore === null ? null : await replayedBefore(deps, job.queue, new Date(params.replayedBefore));

  // What earlier runs of this job left behind.
  const checkpoint = await loadJobCheckpoint(deps, job.id);
  const canary = canaryGate(deps, job);
  const tally: RedriveRun['tally'] = {
    remaining: params.count === null ? Number.POSITIVE_INFINITY : Math.max(0, params.count + canary.extra - checkpoint.size),
    failed: [],
    held: [],
    skipped: new Set<string>(),
  };
  // Inside the canary, the run holds at most its first N messages (canary-gate.ts).
  if (canary.limit !== null) tally.remaining = Math.min(tally.remaining, Math.max(0, canary.limit - checkpoint.size));
  if (job.status === 'cancelled') {
    const count = checkpoint.count;
    return { job, sent: count('sent') + count('done'), done: count('done'), failed: tally.failed, uncertain: [], skipped: 0, stopped: 'cancelled', elapsedMs: 0 };
  }
  const keeper = createCheckoutKeeper(backend.dlq, tally.held, (error) =>
    deps.logger?.warn({ jobId: job.id, queue: job.queue, err: error }, 'could not keep checked-out messages hidden; they may be received again (never sent twice)'),
  );
  const runStamp = { runStartedAt: deps.clock.now().toISOString(), doneBeforeRun: checkpoint.count('done') };
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
    heartbeat: async () => {
      if (!halted()) await hold.beat();
    },
    progress: () => writeProgress(pass),
  };
  const pass: Pass = { lease, run, canary, stop, cancel: { requested: false, note: null }, keeper, runStamp, stopped: 'finished', started, now };
  return pass;
};

/** A cancel seen in the store (status `cancelled`, its note in `error`) stops the pass at once. */
const noteCancel = (pass: Pass, status: Job['status'], note: string | null): void => {
  if (status !== 'cancelled' || pass.cancel.requested) return;
  Object.assign(pass.cancel, { requested: true, note });
  pass.stop.abort();
};

/** After every batch: a heartbeat, the progress and checkpoint written, a cancel read back. */
const writeProgress = async (pass: Pass): Promise<void> => {
  const { deps, job, hold, checkpoint, tally, params } = pass.run;
  if (pass.run.halted() || hold.lost) return;
  await pass.run.heartbeat();
  if (hold.lost) return;
  const count = checkpoint.count;
  const p = { total: params.count, done: count('done'), failed: tally.failed.length };
  const stored = await deps.store.updateJob(job.id, { progress: p, checkpoint: { sent: count('sent'), done: p.done, ...pass.runStamp, ...pass.canary.stored() }, updatedAt: deps.clock.now() });
  noteCancel(pass, stored.status, stored.error);
  deps.metrics.jobProgress(job, p.done, p.total);
  pass.lease.options.onProgress?.({ done: p.done, failed: p.failed, total: p.total, sent: count('sent') });
};

/**
 * Hooks the pass to the lease's beat and marks the job running (audited). The beat reads a cancel
 * while workers wait (for the rate, a long poll, a slow target), so it is seen within a heartbeat, not
 * after the batches in flight; it also keeps what the run holds hidden. When another replica holds
 * the lease, this run's heartbeat had lapsed and the job was taken over: stop at once.
 */
const markRunning = async (pass: Pass): Promise<void> => {
  const { deps, job, checkpoint, params } = pass.run;
  const { keeper, runStamp } = pass;
  pass.lease.events.onBeat = async () => {
    keeper.beat();
    const current = await deps.store.getJob(job.id);
    if (current) noteCancel(pass, current.status, current.error);
  };
  pass.lease.events.onLost = () => pass.stop.abort();
  await deps.store.updateJob(job.id, { status: 'running', updatedAt: deps.clock.now(), error: null, checkpoint: { ...job.checkpoint, ...runStamp, ...pass.canary.stored() } });
  // The metrics' baseline: what earlier runs replayed is not counted again.
  deps.metrics.jobProgress(job, runStamp.doneBeforeRun, params.count);
  await writeAudit(deps, { action: `${job.kind}:run`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, {
    resumed: checkpoint.size > 0,
    count: params.count,
    ratePerSecond: params.ratePerSecond,
    filter: describeFilter(params.filter),
  });
};

/** How the pass ended, in order: crashed, taken over, canary, handed off, else the job's end written. */
const endPass = async (pass: Pass, crash: unknown): Promise<RedriveJobResult | 'canary-passed'> => {
  const { run, canary, cancel, lease } = pass;
  const { deps, job, checkpoint, tally, hold, backend, signal, params } = run;
  const { options } = lease;
  const count = checkpoint.count;
  const summary = () => ({ sent: count('sent') + count('done'), done: count('done'), failed: tally.failed, uncertain: checkpoint.keysIn('claimed'), skipped: tally.skipped.size, elapsedMs: pass.now() - pass.started });
  const reread = async (): Promise<Job> => (await deps.store.getJob(job.id)) ?? job;
  if (run.halted()) return { job, ...summary(), stopped: 'halted' };
  if (hold.lost) {
    // Another replica runs the job now; its status, result and messages are its own.
    deps.logger?.warn({ jobId: job.id, queue: job.queue }, 'job taken over by another replica (this run missed its heartbeats); stopped here');
    await writeAudit(deps, { action: `${job.kind}:handed-over`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, { done: count('done') });
    return { job: await reread(), ...summary(), stopped: 'handed-over' };
  }
  // The canary's messages are replayed: watch the DLQ for them; go on with the rest only if none came back.
  if (!crash && !cancel.requested && canary.due(checkpoint.size)) {
    const verdict = await canary.watch({ backend, signal, ...(options.onCanary ? { onCanary: options.onCanary } : {}) });
    if (verdict === 'passed' && params.moveTaskAfterCanary) {
      const moveTask = await moveTaskAfterCanary(deps, job);
      return { job: await reread(), ...summary(), stopped: 'finished', moveTask };
    }
    if (verdict === 'passed') return 'canary-passed';
    if (verdict === 'returned') return { job: await reread(), ...summary(), stopped: 'canary-returned' };
    if (run.halted()) return { job, ...summary(), stopped: 'halted' };
  }
  let stopped = pass.stopped;
  if (options.signal?.aborted) stopped = 'aborted';
  // Handed off mid-job: progress written, the job left `running` and its lease freed (by the caller's
  // finally) for the poller's replica. A job that ended anyway, failed or was cancelled ends here.
  // (`finished` here: no worker saw the DLQ run out, and no pause was asked for.)
  const unfinished = tally.remaining > 0 || count('sent') > 0;
  // A canary watch cut short is unfinished however the workers ended (one may have found the DLQ empty).
  const handOver = (stopped === 'finished' && unfinished) || canary.due(checkpoint.size);
  if (options.handOff?.aborted && handOver && !crash && !cancel.requested) {
    await run.progress();
    deps.logger?.info({ jobId: job.id, queue: job.queue, done: count('done') }, 'process stopping: job left running for the poller\'s replica to take over');
    await writeAudit(deps, { action: `${job.kind}:handed-off`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, { done: count('done') });
    return { job: await reread(), ...summary(), stopped: 'handed-off' };
  }
  // A cancel that lands after the last batch changes nothing: the job did finish.
  if (cancel.requested) stopped = 'cancelled';
  await run.progress();
  return writeJobEnd(pass, crash, stopped);
};

/** The job's final status and error written and audited; a worker's error is thrown after. */
const writeJobEnd = async (pass: Pass, crash: unknown, stopped: RedriveJobResult['stopped']): Promise<RedriveJobResult> => {
  const { deps, job, checkpoint, tally } = pass.run;
  const count = checkpoint.count;
  const uncertain = checkpoint.keysIn('claimed');
  const { failed, skipped } = tally;
  const { status, error, clean } = decideJobEnd({ crash, cancel: pass.cancel, failed: failed.length, uncertain: uncertain.length, stillSent: count('sent'), stopped });
  const finished = await deps.store.updateJob(job.id, { status, error, updatedAt: deps.clock.now() });
  await writeAudit(deps, { action: `${job.kind}:end`, queue: job.queue, actor: job.createdBy, jobId: job.id }, clean ? 'success' : 'failure', error, {
    done: count('done'),
    failed: failed.length,
    uncertain: uncertain.length,
    skipped: skipped.size,
    stopped,
  });
  if (crash) throw crash;
  return { job: finished, sent: count('sent') + count('done'), done: count('done'), failed, uncertain, skipped: skipped.size, stopped, elapsedMs: pass.now() - pass.started };
};
