// One batch of a manual redrive run: sort what was checked out (already sent, already handled,
// filtered out, to send), wait for the rate, claim, send, record, and delete what the DLQ replays by
// moving. It owns no loop and writes no job status; the run (redrive-job.ts) drives it.

import { RedriveError } from '../../errors.ts';
import type { Job } from '../../core/model.ts';
import type { CheckedOutMessage, DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { OutgoingMessage, ReplayTarget } from '../../ports/replay-target.port.ts';
import type { JobCheckpoint } from './job-checkpoint.ts';
import type { JobLeaseHold } from './job-lease.ts';
import { parseJsonObject, replayFingerprints, traceIdOf } from '../shared/message-identity.ts';
import { writeAudit } from '../shared/audit-trail.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { ManualRedriveParams, RedriveJobParams } from '../../core/job/job-kinds.ts';

export const BATCH = 10;
/**
 * A job ends with its count, the end of the DLQ, cancel or abort, never with a read deadline: a
 * rate-limited job reads for as long as it replays (at 10/s, 10,000 matches take 17 minutes).
 */
const JOB_SCAN_TIMEOUT_MS = 7 * 24 * 3_600_000;

/** What one run shares with its batches; the tally is mutated by every batch in flight. */
export interface RedriveRun {
  deps: QueueDeps;
  job: Job;
  backend: QueueBackend;
  params: ManualRedriveParams;
  target: ReplayTarget;
  limiter: RateLimiter;
  signal: AbortSignal;
  hold: JobLeaseHold;
  checkpoint: JobCheckpoint;
  tally: {
    /** Messages this run may still claim (infinite without a count). */
    remaining: number;
    failed: { messageKey: string; error: string }[];
    /** Checked out and not deleted: made visible again when the run ends. */
    held: CheckedOutMessage[];
    /** Messages left alone because the filter did not match them. */
    skipped: Set<string>;
  };
  /** Bulk resolve: the target archives; every accepted message is then deleted (SQS) or committed (Kafka). */
  resolving: boolean;
  /** Whether the job's filter takes the message (the filter's age is measured once per run). */
  wanted: (message: DlqMessage) => boolean;
  halted: () => boolean;
  heartbeat: () => Promise<void>;
  progress: () => Promise<void>;
}

const bodyFor = (held: CheckedOutMessage, merge: RedriveJobParams['bodyMerge']): string => {
  if (!merge) return held.message.body;
  const parsed = parseJsonObject(held.message.body);
  if (!parsed) throw new RedriveError('DLQ_BODY_INVALID', 'the body is not a JSON object, so the edit cannot be merged into it');
  return JSON.stringify({ ...parsed, ...merge });
};

/** Deletes copies accepted downstream from the DLQ; an item is `done` once its delete went through. */
export const removeSent = async (run: RedriveRun, items: CheckedOutMessage[]): Promise<void> => {
  if (items.length === 0) return;
  const result = await run.backend.dlq.remove(items);
  for (const key of result.removed) await run.checkpoint.set(key, 'done');
  for (const failure of result.failed) {
    run.tally.failed.push(failure);
    await run.checkpoint.noteDeleteFailed(failure.messageKey, failure.error);
  }
  if (run.resolving) await auditResolved(run, items, result.failed);
};

/**
 * Bulk resolve audits every message as `resolve` (with the job id), as a single resolve does, so
 * `/dlq audit <trace id>` finds it; the job itself has its `resolve-batch:run` and `:end` records.
 */
const auditResolved = async (run: RedriveRun, items: CheckedOutMessage[], failed: { messageKey: string; error: string }[]): Promise<void> => {
  const { deps, job, backend } = run;
  const errors = new Map(failed.map((f) => [f.messageKey, f.error]));
  for (const { message } of items) {
    const error = errors.get(message.messageKey) ?? null;
    const input = { action: 'resolve', queue: job.queue, actor: job.createdBy, messageId: message.messageKey, traceId: traceIdOf(message, backend.mapping), partition: message.partition, offset: message.offset, jobId: job.id };
    await writeAudit(deps, input, error === null ? 'success' : 'failure', error, { reason: run.params.reason, removed: error === null });
  }
};

/** Handles one checked-out batch; returns how many messages it moved on (0 = no progress). */
export const handleBatch = async (run: RedriveRun, batch: CheckedOutMessage[]): Promise<number> => {
  const { deps, job, backend, params, target, checkpoint, tally } = run;
  const candidates: CheckedOutMessage[] = [];
  const toRemove: CheckedOutMessage[] = [];
  let newlySkipped = 0;
  for (const item of batch) {
    const key = item.message.messageKey;
    const status = checkpoint.statusOf(key);
    if (status === 'sent') toRemove.push(item);
    else if (status !== undefined || tally.remaining <= 0) tally.held.push(item);
    else if (!run.wanted(item.message)) {
      // Not for this job: left in the DLQ untouched (SQS: made visible again when the run ends).
      if (!tally.skipped.has(key)) newlySkipped += 1;
      tally.skipped.add(key);
      tally.held.push(item);
    } else {
      // Reserve before any await: concurrent batches must not claim past the job's count.
      tally.remaining -= 1;
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
  let mayGo = toSend === 0 || (await run.limiter.acquire(toSend, run.signal));
  if (mayGo && toSend > 0) {
    await run.heartbeat();
    mayGo = !run.hold.lost;
  }
  if (!mayGo) {
    tally.remaining += candidates.length;
    tally.held.push(...candidates);
    if (!run.halted()) await removeSent(run, toRemove);
    return toRemove.length;
  }
  const outgoing: OutgoingMessage[] = [];
  const sendable: CheckedOutMessage[] = [];
  for (const item of candidates) {
    const key = item.message.messageKey;
    if (!(await checkpoint.claim(key))) {
      tally.remaining += 1;
      tally.held.push(item);
      continue;
    }
    const prepared = bodies.get(key);
    if (prepared && 'body' in prepared) {
      outgoing.push({ source: item.message, body: prepared.body, actor: job.createdBy, jobId: job.id });
      sendable.push(item);
    } else {
      const message = prepared && 'error' in prepared ? prepared.error : 'no body';
      tally.failed.push({ messageKey: key, error: message });
      await checkpoint.set(key, 'failed', message);
      tally.held.push(item);
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
      await checkpoint.set(ok.messageKey, 'sent');
      if (run.resolving) {
        // Archived: now out of the DLQ (SQS delete, Kafka commit up to the lowest unresolved offset).
        toRemove.push(item);
        continue;
      }
      await deps.store.recordReplay({
        queue: backend.name,
        messageKey: ok.messageKey,
        fingerprints: replayFingerprints(item.message, backend.mapping, ok.destinationId),
        jobId: job.id,
        replayedBy: job.createdBy,
        replayedAt: deps.clock.now(),
        destination: target.description,
      });
      if (backend.dlq.replayRemovesMessage) toRemove.push(item);
      else {
        // Kafka: the copy is the whole replay; the message stays in the DLQ until resolved.
        await checkpoint.set(ok.messageKey, 'done');
        tally.held.push(item);
      }
    }
    for (const bad of result.failed) {
      const item = byKey.get(bad.messageKey);
      tally.failed.push({ messageKey: bad.messageKey, error: bad.error });
      await checkpoint.set(bad.messageKey, 'failed', bad.error);
      if (item) tally.held.push(item);
    }
    // Not archived: audited as a failed resolve, and left in the DLQ.
    if (run.resolving && result.failed.length > 0) await auditResolved(run, result.failed.flatMap((f) => byKey.get(f.messageKey) ?? []), result.failed);
  }
  await removeSent(run, toRemove);
  await run.progress();
  return candidates.length + toRemove.length + newlySkipped;
};

/**
 * Where a run's batches come from: the DLQ's own checkout when it has one (SQS), else one scan
 * walked 10 at a time (Kafka). A DLQ that keeps replayed messages (Kafka) has nothing to hold: the
 * scanned message is the checkout.
 */
export const batchSource = (run: RedriveRun): (() => Promise<CheckedOutMessage[]>) => {
  const { backend, checkpoint, tally } = run;
  let scanIterator: AsyncIterator<DlqMessage> | null = null;
  const scanBatch = async (): Promise<CheckedOutMessage[]> => {
    scanIterator ??= backend.dlq.scan({ timeoutMs: JOB_SCAN_TIMEOUT_MS, signal: run.signal })[Symbol.asyncIterator]();
    const picked: DlqMessage[] = [];
    while (picked.length < BATCH) {
      const next = await scanIterator.next();
      if (next.done) break;
      const message = next.value;
      const status = checkpoint.statusOf(message.messageKey);
      if (status === 'sent') picked.push(message);
      else if (status !== undefined) continue;
      else if (!run.wanted(message)) tally.skipped.add(message.messageKey);
      else picked.push(message);
    }
    if (picked.length === 0) return [];
    if (!backend.dlq.replayRemovesMessage) return picked.map((message) => ({ message, handle: null }));
    return (await backend.dlq.checkout(picked.map((m) => m.messageKey), { timeoutMs: 10_000 })).found;
  };
  return async () => {
    // A DLQ that keeps what was replayed (Kafka, the demo's Kafka-like queue) is walked once by scan:
    // its "next in line" would hand back the same messages again.
    if (!backend.dlq.checkoutNext || !backend.dlq.replayRemovesMessage) return scanBatch();
    const batch = await backend.dlq.checkoutNext(BATCH, { timeoutMs: 5_000 });
    return batch.length > 0 ? batch : confirmEmpty(run);
  };
};

/**
 * An empty receive is taken for an empty DLQ only once the queue's own count agrees. While it says
 * messages are visible, quick receives (no long poll) try again, at most once per message the run
 * holds plus a few: ElasticMQ delivers nothing behind a message whose visibility was extended until a
 * receive has moved it (one per receive), and SQS may answer a receive empty now and then.
 */
const confirmEmpty = async (run: RedriveRun): Promise<CheckedOutMessage[]> => {
  const dlq = run.backend.dlq;
  const visible = await dlq.status().then((s) => s.depth, () => 0);
  const attempts = visible === 0 ? 0 : Math.min(run.tally.held.length + 3, 200);
  for (let i = 0; i < attempts && !run.signal.aborted; i += 1) {
    // Under a second: one receive without a long poll.
    const batch = (await dlq.checkoutNext?.(BATCH, { timeoutMs: 500 })) ?? [];
    if (batch.length > 0) return batch;
  }
  return [];
};
