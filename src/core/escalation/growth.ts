// Growth of a DLQ from its stored depth samples: messages a minute over a window ending at a sample.
// Pure arithmetic over samples sorted oldest first; no clock, no I/O.

export interface DepthPoint {
  at: Date;
  depth: number;
  /** Of `depth`, messages not visible now (SQS in flight); see escalation-depth.ts. */
  inFlight?: number;
}

const MINUTE_MS = 60_000;

/**
 * Messages a minute between the sample at `end` and the latest sample at least `windowMinutes`
 * older; null when the history does not reach back that far (a window is never guessed).
 */
export const growthOverWindow = (samples: readonly DepthPoint[], end: number, windowMinutes: number): number | null => {
  const last = samples[end];
  if (!last) return null;
  const cutoff = last.at.getTime() - windowMinutes * MINUTE_MS;
  for (let i = end - 1; i >= 0; i -= 1) {
    const base = samples[i]!;
    const t = base.at.getTime();
    if (t > cutoff) continue;
    const minutes = (last.at.getTime() - t) / MINUTE_MS;
    return minutes > 0 ? (last.depth - base.depth) / minutes : null;
  }
  return null;
};

/**
 * Growth to show a person: over the last `windowMinutes`, or over whatever shorter history exists
 * (at least 20 s of it), rounded to one decimal; null without enough history.
 */
export const displayGrowthPerMinute = (samples: readonly DepthPoint[], windowMinutes = 10): number | null => {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const cutoff = last.at.getTime() - windowMinutes * MINUTE_MS;
  const first = samples.find((s) => s.at.getTime() >= cutoff) ?? last;
  const base = samples.findLast((s) => s.at.getTime() <= cutoff) ?? first;
  const span = last.at.getTime() - base.at.getTime();
  if (span < 20_000) return null;
  return Math.round(((last.depth - base.depth) / (span / MINUTE_MS)) * 10) / 10;
};
