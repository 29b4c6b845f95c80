// A manual redrive run's workers: a few at once, each taking batches until the run's stop signal, the
// count or the DLQ ends it, and what they checked out released at the end (not after a crash). They
// decide nothing about the job's end: job-run-loop.ts does.

import type { CheckoutKeeper } from './checkout-keeper.ts';
import { batchSource, handleBatch, removeSent, type RedriveRun } from './redrive-batch.ts';

export interface WorkersControl {
  /** Keeps what the workers checked out hidden while they work. */
  keeper: CheckoutKeeper;
  /** The run's one stop: a worker's error aborts it, so the others stop before anything is released. */
  stop: AbortController;
  /** A cancel was seen in the store. */
  cancelled: () => boolean;
  /** A worker found nothing more to take: the DLQ (or the filter's matches) ran out. */
  onEmpty: () => void;
}

/**
 * The workers: each takes batches until the pass stops, its share of the count is claimed, or the DLQ
 * has nothing more for it; one failing stops the others before anything is released. Returns the first
 * worker's error (null when none). A previous run's `sent` items are deleted first, without sending.
 */
export const runWorkers = async (run: RedriveRun, control: WorkersControl): Promise<unknown> => {
  const { keeper, stop } = control;
  const { backend, checkpoint, tally, signal } = run;
  const count = checkpoint.count;
  const nextBatch = batchSource(run);
  const pendingSent = checkpoint.keysIn('sent');
  const worker = async () => {
    let idle = 0;
    while (!signal.aborted && !control.cancelled() && (tally.remaining > 0 || count('sent') > 0) && idle < 3) {
      const batch = await nextBatch();
      if (batch.length === 0) {
        control.onEmpty();
        return;
      }
      let progressed: number;
      keeper.taken(batch);
      try {
        progressed = await handleBatch(run, batch);
      } catch (error) {
        // Make the whole batch visible again at the end; releasing a deleted message is a no-op.
        tally.held.push(...batch);
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
      Array.from({ length: Math.max(1, run.params.concurrency) }, () =>
        worker().catch((error: unknown) => {
          stop.abort();
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
    if (!run.halted()) await backend.dlq.release(tally.held).catch(() => undefined);
  }
  // Another run may have ended items this one never saw (a run it took over, finishing its last batch).
  if (!run.halted()) checkpoint.absorb(await run.deps.store.listJobItems(run.job.id).catch(() => []));
  return crash;
};
