// A bulk job's canary: its settings (stored in the job's params when it is created: the queue's
// `canary` config, or `--canary N` / the bulk modal's field; 0 = none) and its state (stored in the
// job's checkpoint, so a restart or another replica carries on where it was: replaying the first N,
// watching until a stored time, passed, paused on returns, or continued by an operator).
// It runs nothing: canary-gate.ts does, inside the job's run.

import type { CanaryConfigLookup, CanarySettings } from '../../core/job/canary-settings.ts';
import { manualRedriveOf } from '../../core/job/job-kinds.ts';
import type { Job, JsonObject } from '../../core/model.ts';
import { returnFromJson, returnToJson, type ReturnedReplay } from './replay-watch.ts';

export const DEFAULT_WATCH_MS = 120_000;

/**
 * What a new job gets: `requested` is `--canary N` (undefined when not given; 0 turns it off), over the
 * queue's config. A job that replays no more than the canary has none (the canary would be the job).
 */
export const canaryForJob = (queueSettings: CanarySettings | null, requested: number | null | undefined, jobCount: number | null): CanarySettings | null => {
  const count = requested ?? queueSettings?.count ?? 0;
  if (count <= 0 || (jobCount !== null && jobCount <= count)) return null;
  return { count, watchMs: queueSettings?.watchMs ?? DEFAULT_WATCH_MS };
};

export type CanaryPhase = 'replaying' | 'watching' | 'passed' | 'returned' | 'continued';

export interface CanaryState {
  phase: CanaryPhase;
  /** While watching: when the watch ends (stored, so a run taking over watches only what is left). */
  until: Date | null;
  /** Returned: what came back. */
  returns: ReturnedReplay[];
  /** Who continued after returns, and when. */
  continuedBy: string | null;
}

const PHASES: readonly CanaryPhase[] = ['replaying', 'watching', 'passed', 'returned', 'continued'];

export const canarySettingsOf = (job: Job): CanarySettings | null => manualRedriveOf(job)?.params.canary ?? null;

/** The job's canary state; null when the job has no canary. */
export const canaryStateOf = (job: Job): CanaryState | null => {
  if (!canarySettingsOf(job)) return null;
  const raw = job.checkpoint.canary;
  const v = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const phase = PHASES.find((p) => p === v.phase) ?? 'replaying';
  return {
    phase,
    until: typeof v.until === 'string' ? new Date(v.until) : null,
    returns: Array.isArray(v.returns) ? v.returns.map(returnFromJson).filter((r): r is ReturnedReplay => r !== null) : [],
    continuedBy: typeof v.continuedBy === 'string' ? v.continuedBy : null,
  };
};

export const canaryStateJson = (state: CanaryState): JsonObject => ({
  phase: state.phase,
  until: state.until?.toISOString() ?? null,
  returns: state.returns.map(returnToJson),
  continuedBy: state.continuedBy,
});

/** The lookup over the configured queues (`canary.watch` is in seconds there). */
export const canaryLookup = (queues: readonly { name: string; canary?: { count: number; watch: number } | undefined }[]): CanaryConfigLookup => {
  const byName = new Map<string, CanarySettings>();
  for (const q of queues) if (q.canary) byName.set(q.name, { count: q.canary.count, watchMs: q.canary.watch * 1000 });
  return (queue) => byName.get(queue) ?? null;
};
