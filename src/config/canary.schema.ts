// Per-queue `canary` config (safe redrive, README "Canary and post-replay watch"): how many messages
// a bulk job replays first, and how long the DLQ is watched for them and after any replay. Absent =
// no canary and no post-replay watch for the queue (`--canary N` still asks for one per job).

import { z } from 'zod';
import { parseDuration } from '../core/analysis/replay-filter.ts';

/** A window like 2m, 90s or 10 (seconds), as seconds. */
const windowSeconds = z.union([
  z.number().positive(),
  z.string().transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === null) {
      ctx.addIssue({ code: 'custom', message: 'expected a duration like 90s, 2m or 1h' });
      return z.NEVER;
    }
    return seconds;
  }),
]);

export const canarySchema = z
  .object({
    /** Messages a bulk job replays before watching; 0 = no canary (the post-replay watch still runs). */
    count: z.number().int().min(0).max(1_000).default(5),
    /** How long the DLQ is watched for returns after the canary and after any replay. */
    watch: windowSeconds.default(120),
  })
  .strict();
