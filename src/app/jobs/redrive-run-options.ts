// What the caller of a manual redrive run controls: its pause, hand-off and crash signals, the clock
// of its rate limiter, its lease holder and heartbeat, and the progress and canary callbacks. Types only.

import type { CanaryEvent } from './canary-gate.ts';

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
