// The manual redrive path (redrive-batch, FIFO redrive-all, Kafka bulk replay): batches of 10, a
// token-bucket rate, a few batches in flight, an optional filter (category, domain, signature, age)
// and a checkpoint per message in the store. Item states go claimed → sent → done; a resumed job
// deletes its `sent` items without sending them again and never re-sends a `claimed` one whose send
// may have happened, so one job never replays a message twice. On Kafka a replayed message stays in
// the DLQ (runbook: resolve it after reprocessing), so an accepted copy is `done` at once. A job
// marked `cancelled` in the store (by `cancel`, from any process) is seen within a heartbeat: no
// batch is sent after it (a batch waiting for the rate gives up its turn; one already sending
// finishes and is deleted). A run holds the job's lease (job-lease.ts) and renews it as heartbeat,
// so two runs of one job never go on at once, and a run whose runner died is taken over.

import { DEFAULT_FIELD_MAPPING } from '../../core/analysis/field-mapping.ts';
import { describeFilter, isFiltered, matchesReplayFilter, type ReplayFilter } from '../../core/analysis/replay-filter.ts';
import { RedriveError } from '../../errors.ts';
import type { Job, JobItemStatus, JsonObject } from '../../core/model.ts';
import type { CheckedOutMessage, DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { OutgoingMessage } from '../../ports/replay-target.port.ts';
import { writeAudit } from './audit-trail.ts';
import { parseJsonObject, replayFingerprints } from './message-identity.ts';
import { createRateLimiter, unlimited, type RateLimiter } from './rate-limiter.ts';
import { holdJobLease, jobLeaseName, lastHeartbeat, liveJobLease, newRunHolder, type JobLeaseHold } from './job-lease.ts';
import { realSleep, type QueueDeps } from './queue-deps.ts';

export interface RedriveJobParams {
  /** Messages to replay; null = until the DLQ is empty. */
  count: number | null;
  ratePerSecond: number | null;
  /** JSON object merged into every body (the runbook's `jq '. + {...}'`); non-JSON bodies then fail and stay. */
  bodyMerge: JsonObject | null;
  concurrency: number;
  /** Only messages matching it are replayed (the rest stay untouched); null = every message. */
  filter: ReplayFilter | null;
}

export interface RedriveJobResult {
  job: Job;
  sent: number;
  done: number;
  failed: { messageKey: string; error: string }[];
  /** Items left `claimed` by an interrupted run: maybe sent, so not sent again; still in the DLQ. */
  uncertain: string[];
  /** Messages this run looked at and left alone because the filter did not match them. */
  skipped: number;
  /**
   * `handed-over`: another replica took the job over (this run's heartbeat had lapsed), so this run
   * stopped and left the job's status to it. `halted`: the process is dying (`halt`), nothing written.
   */
  stopped: 'finished' | 'empty' | 'aborted' | 'cancelled' | 'handed-over' | 'halted';
  elapsedMs: number;
}

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
  /** How often the lease is renewed and a cancel looked for while the run waits (default JOB_HEARTBEAT_MS). */
  heartbeatMs?: number;
}

const BATCH = 10;
/**
 * A job ends with its count, the end of the DLQ, cancel or abort, never with a read deadline: a
 * rate-limited job reads for as long as it replays (at 10/s, 10,000 matches take 17 minutes).
 */
const JOB_SCAN_TIMEOUT_MS = 7 * 24 * 3_600_000;

const paramsOf = (job: Job): RedriveJobParams => {
  const p = job.params;
  return {
    count: typeof p.count === 'number' ? p.count : null,
    ratePerSecond: typeof p.ratePerSecond === 'number' ? p.ratePerSecond : null,
    bodyMerge: p.bodyMerge && typeof p.bodyMerge === 'object' && !Array.isArray(p.bodyMerge) ? (p.bodyMerge as JsonObject) : null,
    concurrency: typeof p.concurrency === 'number' ? p.concurrency : 4,
    filter: filterOfJob(p.filter),
  };
};

/** The filter stored in a job's params (null when it has none). */
export const filterOfJob = (value: unknown): ReplayFilter | null => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  const filter: ReplayFilter = {
    category: text(v.category),
    domain: text(v.domain),
    signature: text(v.signature),
    olderThanSeconds: typeof v.olderThanSeconds === 'number' ? v.olderThanSeconds : null,
  };
  return isFiltered(filter) ? filter : null;
};

export const createRedriveJob = async (
  deps: QueueDeps,
  queue: string,
  params: Partial<RedriveJobParams> & { actor: string; kind?: 'redrive-batch' | 'redrive-all' },
): Promise<Job> => {
  const backend = deps.registry.get(queue);
  const full: RedriveJobParams = {
    count: params.count ?? null,
    ratePerSecond: params.ratePerSecond ?? null,
    bodyMerge: params.bodyMerge ?? null,
    concurrency: params.concurrency ?? 4,
    filter: isFiltered(params.filter) ? params.filter : null,
  };
  const id = deps.newId?.() ?? crypto.randomUUID();
  const incident = await deps.store.findOpenIncident(backend.name);
  return deps.store.createJob({
    id,
    kind: params.kind ?? 'redrive-batch',
    queue: backend.name,
    params: { ...full, manual: true } as unknown as JsonObject,
    createdBy: params.actor,
    createdAt: deps.clock.now(),
    incidentId: incident?.id ?? null,
    total: full.count,
  });
};

const bodyFor = (held: CheckedOutMessage, merge: JsonObject | null): string => {
  if (!merge) return held.message.body;
  const parsed = parseJsonObject(held.message.body);
  if (!parsed) throw new RedriveError('DLQ_BODY_INVALID', 'the body is not a JSON object, so the edit cannot be merged into it');
  return JSON.stringify({ ...parsed, ...merge });
};

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
  try {
    return await runHoldingLease(deps, stored.id, hold, events, options);
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
  }
};

/** What the lease's periodic beat tells the run: a beat happened (read a cancel), the lease is lost. */
interface LeaseEvents {
  onBeat: () => Promise<void>;
  onLost: () => void;
}

const runHoldingLease = async (deps: QueueDeps, jobId: string, hold: JobLeaseHold, events: LeaseEvents, options: RunOptions): Promise<RedriveJobResult> => {
  // Read again under the lease: the status and items are now this run's alone.
  const job = await deps.store.getJob(jobId);
  if (!job) throw new RedriveError('JOB_NOT_FOUND', `No job ${jobId}.`, { context: { jobId } });
  const backend = deps.registry.get(job.queue);
  const params = paramsOf(job);
  const target = await backend.replayTarget();
  const sleep = deps.sleep ?? realSleep;
  const now = options.now ?? (() => performance.now());
  const limiter: RateLimiter = params.ratePerSecond ? createRateLimiter({ ratePerSecond: params.ratePerSecond, now, sleep }) : unlimited;
  const started = now();
  // One worker failing stops the others before anything is released.
  const internal = new AbortController();
  // A cancel seen in the store, or the lease lost to another replica: stop sending at once.
  const stopping = new AbortController();
  const signal = AbortSignal.any([internal.signal, stopping.signal, ...(options.signal ? [options.signal] : []), ...(options.halt ? [options.halt] : [])]);
  const halted = (): boolean => options.halt?.aborted === true;
  const clockNow = () => deps.clock.now();
  const mapping = backend.mapping ?? DEFAULT_FIELD_MAPPING;
  // The filter's age is measured once per run, so a message does not drift in or out mid-run.
  const filterNow = clockNow();
  const wanted = (item: CheckedOutMessage): boolean => !params.filter || matchesReplayFilter(item.message, mapping, params.filter, filterNow);
  const skipped = new Set<string>();

  // What earlier runs of this job left behind.
  const known = new Map<string, JobItemStatus>();
  for (const item of await deps.store.listJobItems(job.id)) known.set(item.itemKey, item.status);
  const count = (status: JobItemStatus) => [...known.values()].filter((s) => s === status).length;
  let remaining = params.count === null ? Number.POSITIVE_INFINITY : Math.max(0, params.count - known.size);
  const failed: { messageKey: string; error: string }[] = [];
  const held: CheckedOutMessage[] = [];
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
  // The lease's periodic beat reads a cancel while workers wait (for the rate, a long poll, a slow
  // target), so it is seen within a heartbeat, not after the batches in flight. When another replica
  // holds the lease, this run's heartbeat had lapsed and the job was taken over: stop at once.
  events.onBeat = async () => {
    const current = await deps.store.getJob(job.id);
    if (current) noteCancel(current.status, current.error);
  };
  events.onLost = () => stopping.abort();
  const heartbeat = async (): Promise<void> => {
    if (!halted()) await hold.beat();
  };
  // The current run's start, so `jobs` shows this run's rate even for a resumed job.
  const run = { runStartedAt: clockNow().toISOString(), doneBeforeRun: count('done') };

  await deps.store.updateJob(job.id, { status: 'running', updatedAt: clockNow(), error: null, checkpoint: { ...job.checkpoint, ...run } });
  await writeAudit(deps, { action: `${job.kind}:run`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, {
    resumed: known.size > 0,
    count: params.count,
    ratePerSecond: params.ratePerSecond,
    filter: describeFilter(params.filter),
  });

  const setStatus = async (key: string, status: JobItemStatus, error: string | null = null) => {
    known.set(key, status);
    await deps.store.setJobItemStatus(job.id, key, status, clockNow(), error);
  };

  const removeSent = async (items: CheckedOutMessage[]) => {
    if (items.length === 0) return;
    const result = await backend.dlq.remove(items);
    for (const key of result.removed) await setStatus(key, 'done');
    for (const failure of result.failed) {
      failed.push(failure);
      await deps.store.setJobItemStatus(job.id, failure.messageKey, 'sent', clockNow(), `delete failed: ${failure.error}`);
    }
  };

  const progress = async () => {
    if (halted() || hold.lost) return;
    await heartbeat();
    if (hold.lost) return;
    const p = { total: params.count, done: count('done'), failed: failed.length };
    const stored = await deps.store.updateJob(job.id, { progress: p, checkpoint: { sent: count('sent'), done: p.done, ...run }, updatedAt: clockNow() });
    noteCancel(stored.status, stored.error);
    deps.metrics.jobProgress(job.id, job.kind, p.done, p.total);
    options.onProgress?.({ done: p.done, failed: p.failed, total: p.total, sent: count('sent') });
  };

  const handleBatch = async (batch: CheckedOutMessage[]): Promise<number> => {
    const candidates: CheckedOutMessage[] = [];
    const toRemove: CheckedOutMessage[] = [];
    let newlySkipped = 0;
    for (const item of batch) {
      const key = item.message.messageKey;
      const status = known.get(key);
      if (status === 'sent') toRemove.push(item);
      else if (status !== undefined || remaining <= 0) held.push(item);
      else if (!wanted(item)) {
        // Not for this job: left in the DLQ untouched (SQS: made visible again when the run ends).
        if (!skipped.has(key)) newlySkipped += 1;
        skipped.add(key);
        held.push(item);
      } else {
        // Reserve before any await: concurrent batches must not claim past the job's count.
        remaining -= 1;
        candidates.push(item);
      }
    }
    const bodies = new Map<string, { body: string } | { error: string }>();
    for (const item of candidates) {
      try {
        bodies.set(item.message.messageKey, { body: bodyFor(item, params.bodyMerge) });
      } catch (error) {
        bodies.set(item.message.messageKey, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    // Wait for the rate before claiming: a cancel, a stop or a crash during the wait leaves nothing
    // claimed (a claimed message is never sent again), and nothing is sent after it.
    const toSend = [...bodies.values()].filter((b) => 'body' in b).length;
    // The lease is renewed right before claiming: a run taken over while it waited claims nothing more.
    let mayGo = toSend === 0 || (await limiter.acquire(toSend, signal));
    if (mayGo && toSend > 0) {
      await heartbeat();
      mayGo = !hold.lost;
    }
    if (!mayGo) {
      remaining += candidates.length;
      held.push(...candidates);
      if (!halted()) await removeSent(toRemove);
      return toRemove.length;
    }
    const outgoing: OutgoingMessage[] = [];
    const sendable: CheckedOutMessage[] = [];
    for (const item of candidates) {
      const key = item.message.messageKey;
      if (!(await deps.store.claimJobItem(job.id, key, clockNow()))) {
        remaining += 1;
        held.push(item);
        continue;
      }
      known.set(key, 'claimed');
      const prepared = bodies.get(key);
      if (prepared && 'body' in prepared) {
        outgoing.push({ source: item.message, body: prepared.body, actor: job.createdBy, jobId: job.id });
        sendable.push(item);
      } else {
        const message = prepared && 'error' in prepared ? prepared.error : 'no body';
        failed.push({ messageKey: key, error: message });
        await setStatus(key, 'failed', message);
        held.push(item);
      }
    }
    if (outgoing.length > 0) {
      let result;
      try {
        result = await target.send(outgoing);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { accepted: [], failed: outgoing.map((o) => ({ messageKey: o.source.messageKey, error: message, retriable: true })) };
      }
      const byKey = new Map(sendable.map((s) => [s.message.messageKey, s]));
      for (const ok of result.accepted) {
        const item = byKey.get(ok.messageKey);
        if (!item) continue;
        await setStatus(ok.messageKey, 'sent');
        await deps.store.recordReplay({
          queue: backend.name,
          messageKey: ok.messageKey,
          fingerprints: replayFingerprints(item.message, backend.mapping),
          jobId: job.id,
          replayedBy: job.createdBy,
          replayedAt: clockNow(),
          destination: target.description,
        });
        if (backend.dlq.replayRemovesMessage) toRemove.push(item);
        else {
          // Kafka: the copy is the whole replay; the message stays in the DLQ until resolved.
          await setStatus(ok.messageKey, 'done');
          held.push(item);
        }
      }
      for (const bad of result.failed) {
        const item = byKey.get(bad.messageKey);
        failed.push({ messageKey: bad.messageKey, error: bad.error });
        await setStatus(bad.messageKey, 'failed', bad.error);
        if (item) held.push(item);
      }
    }
    await removeSent(toRemove);
    await progress();
    return candidates.length + toRemove.length + newlySkipped;
  };

  const nextBatch = async (): Promise<CheckedOutMessage[]> => {
    if (backend.dlq.checkoutNext) return backend.dlq.checkoutNext(BATCH, { timeoutMs: 5_000 });
    return scanBatch();
  };
  // Without checkoutNext (Kafka): walk one scan and check out what it yields, 10 at a time. A DLQ
  // that keeps replayed messages (Kafka) has nothing to hold: the scanned message is the checkout.
  let scanIterator: AsyncIterator<DlqMessage> | null = null;
  const scanBatch = async (): Promise<CheckedOutMessage[]> => {
    scanIterator ??= backend.dlq.scan({ timeoutMs: JOB_SCAN_TIMEOUT_MS, signal })[Symbol.asyncIterator]();
    const picked: DlqMessage[] = [];
    while (picked.length < BATCH) {
      const next = await scanIterator.next();
      if (next.done) break;
      const message = next.value;
      const status = known.get(message.messageKey);
      if (status === 'sent') picked.push(message);
      else if (status !== undefined) continue;
      else if (params.filter && !matchesReplayFilter(message, mapping, params.filter, filterNow)) skipped.add(message.messageKey);
      else picked.push(message);
    }
    if (picked.length === 0) return [];
    if (!backend.dlq.replayRemovesMessage) return picked.map((message) => ({ message, handle: null }));
    return (await backend.dlq.checkout(picked.map((m) => m.messageKey), { timeoutMs: 10_000 })).found;
  };

  // A previous run may have sent items it could not delete: delete them first, without sending again.
  const pendingSent = [...known].filter(([, s]) => s === 'sent').map(([key]) => key);
  const worker = async () => {
    let idle = 0;
    while (!signal.aborted && !cancel.requested && (remaining > 0 || count('sent') > 0) && idle < 3) {
      const batch = await nextBatch();
      if (batch.length === 0) {
        stopped = 'empty';
        return;
      }
      let progressed: number;
      try {
        progressed = await handleBatch(batch);
      } catch (error) {
        // Make the whole batch visible again at the end; releasing a deleted message is a no-op.
        held.push(...batch);
        throw error;
      }
      idle = progressed === 0 ? idle + 1 : 0;
    }
  };
  let crash: unknown = null;
  try {
    if (pendingSent.length > 0) {
      const found = await backend.dlq.checkout(pendingSent, { timeoutMs: 10_000 });
      await removeSent(found.found);
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
    if (!halted()) await backend.dlq.release(held).catch(() => undefined);
  }
  // Another run may have ended items this one never saw (a run it took over, finishing its last batch).
  if (!halted()) {
    for (const item of await deps.store.listJobItems(job.id).catch(() => [])) if (!known.has(item.itemKey) || item.status === 'done') known.set(item.itemKey, item.status);
  }
  const summary = () => ({ sent: count('sent') + count('done'), done: count('done'), failed, uncertain: [...known].filter(([, s]) => s === 'claimed').map(([key]) => key), skipped: skipped.size, elapsedMs: now() - started });
  if (halted()) return { job, ...summary(), stopped: 'halted' };
  if (hold.lost) {
    // Another replica runs the job now; its status, result and messages are its own.
    deps.logger?.warn({ jobId: job.id, queue: job.queue }, 'job taken over by another replica (this run missed its heartbeats); stopped here');
    await writeAudit(deps, { action: `${job.kind}:handed-over`, queue: job.queue, actor: job.createdBy, jobId: job.id }, 'success', null, { done: count('done') });
    return { job: (await deps.store.getJob(job.id)) ?? job, ...summary(), stopped: 'handed-over' };
  }
  if (options.signal?.aborted) stopped = 'aborted';
  // A cancel that lands after the last batch changes nothing: the job did finish.
  const cancelled = cancel.requested;
  if (cancelled) stopped = 'cancelled';
  await progress();
  const uncertain = [...known].filter(([, s]) => s === 'claimed').map(([key]) => key);
  const stillSent = count('sent');
  const problem =
    failed.length > 0
      ? `${failed.length} message(s) failed and stay in the DLQ`
      : uncertain.length > 0
        ? `${uncertain.length} message(s) were interrupted mid-send and were not sent again; they stay in the DLQ`
        : stillSent > 0
          ? `${stillSent} sent message(s) are still hidden by an earlier run; resume the job to delete them`
          : null;
  const status: Job['status'] = crash ? 'failed' : cancelled ? 'cancelled' : failed.length > 0 || uncertain.length > 0 ? 'failed' : stopped === 'aborted' || stillSent > 0 ? 'paused' : 'succeeded';
  const error = crash ? (crash instanceof Error ? crash.message : String(crash)) : cancelled ? [cancel.note, problem].filter(Boolean).join('; ') || null : problem;
  const finished = await deps.store.updateJob(job.id, { status, error, updatedAt: clockNow() });
  const clean = status === 'succeeded' || status === 'paused' || (status === 'cancelled' && problem === null);
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
    if (job.params.manual !== true) throw refuse('is a message move task (redrive-all); SQS runs it, there is nothing to resume');
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
  await writeAudit(deps, audit, 'success', null, { previousStatus: job.status });
  return runRedriveJob(deps, job.id, options);
};
