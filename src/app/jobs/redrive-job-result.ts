// What a manual redrive run reports, and how its end becomes the job's status and error. Pure: the
// run (redrive-job.ts) writes the status and the audit record.

import type { Job } from '../../core/model.ts';

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
   * stopped and left the job's status to it. `handed-off`: the process is stopping cleanly (`handOff`),
   * so the run freed its lease and left the job `running` for another replica (or the next start).
   * `halted`: the process is dying (`halt`), nothing written. `canary-returned`: messages of the
   * job's canary came back to the DLQ; the job is paused until an operator continues or cancels it.
   */
  stopped: 'finished' | 'empty' | 'aborted' | 'cancelled' | 'handed-over' | 'handed-off' | 'halted' | 'canary-returned';
  elapsedMs: number;
  /** SQS redrive-all with a canary that passed: the message move task started for the rest (its own job). */
  moveTask?: Job;
}

export interface RunEnd {
  /** A worker's error, or null. */
  crash: unknown;
  /** A cancel was seen, with the note it came with. */
  cancel: { requested: boolean; note: string | null };
  failed: number;
  uncertain: number;
  /** Sent copies whose DLQ delete is still pending. */
  stillSent: number;
  stopped: RedriveJobResult['stopped'];
}

/** The job's final status and error, and whether the audit records the end as clean. */
export const decideJobEnd = (end: RunEnd): { status: Job['status']; error: string | null; clean: boolean } => {
  const { crash, cancel, failed, uncertain, stillSent, stopped } = end;
  const cancelled = cancel.requested;
  const problem =
    failed > 0
      ? `${failed} message(s) failed and stay in the DLQ`
      : uncertain > 0
        ? `${uncertain} message(s) were interrupted mid-send and were not sent again; they stay in the DLQ`
        : stillSent > 0
          ? `${stillSent} sent message(s) are still hidden by an earlier run; resume the job to delete them`
          : null;
  const status: Job['status'] = crash ? 'failed' : cancelled ? 'cancelled' : failed > 0 || uncertain > 0 ? 'failed' : stopped === 'aborted' || stillSent > 0 ? 'paused' : 'succeeded';
  const error = crash ? (crash instanceof Error ? crash.message : String(crash)) : cancelled ? [cancel.note, problem].filter(Boolean).join('; ') || null : problem;
  const clean = status === 'succeeded' || status === 'paused' || (status === 'cancelled' && problem === null);
  return { status, error, clean };
};
