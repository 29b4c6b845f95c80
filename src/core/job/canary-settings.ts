// A bulk job's canary settings: how many messages go first and how long the DLQ is watched for them,
// and the per-queue lookup of the configured ones. Types only; app/jobs/canary.ts decides and runs.

export interface CanarySettings {
  /** Messages replayed before the watch; 0 = no canary. */
  count: number;
  /** How long the DLQ is watched for them (and, after any replay, for the post-replay watch). */
  watchMs: number;
}

/** Per-queue settings from the config; null when the queue has no `canary` block. */
export type CanaryConfigLookup = (queue: string) => CanarySettings | null;
