// Progress of a long redrive job in a terminal: one line on stderr at most every few seconds (and when
// the job's known total is reached), so `redrive dlq redrive-batch` is never silent for minutes while
// stdout keeps only the final table. A job's canary is told the same way.

import type { CanaryEvent } from '../../app/jobs/canary-gate.ts';

export interface JobProgress {
  done: number;
  failed: number;
  total: number | null;
}

/** `verb`: what the job does to each message (default `replayed`; bulk resolve says `resolved`). */
export type JobProgressListener = (job: { id: string; queue: string; verb?: string }, progress: JobProgress) => void;

export const createJobProgressPrinter = (
  write: (line: string) => void,
  options: { everyMs?: number; now?: () => number } = {},
): JobProgressListener => {
  const everyMs = options.everyMs ?? 2_000;
  const now = options.now ?? (() => performance.now());
  const started = new Map<string, number>();
  let lastAt = Number.NEGATIVE_INFINITY;
  return (job, progress) => {
    const at = now();
    const startedAt = started.get(job.id) ?? at;
    started.set(job.id, startedAt);
    const finished = progress.total !== null && progress.done + progress.failed >= progress.total;
    if (at - lastAt < everyMs && !finished) return;
    lastAt = at;
    const seconds = (at - startedAt) / 1000;
    const rate = seconds > 0 ? `${(progress.done / seconds).toFixed(1)} msg/s` : 'starting';
    const of = progress.total === null ? '' : `/${progress.total}`;
    write(`${job.queue}: job ${job.id}: ${progress.done}${of} ${job.verb ?? 'replayed'}, ${progress.failed} failed, ${rate}`);
  };
};

/** The canary of a terminal job, on stderr: watching, then passed (a return ends the job's table on stdout). */
export const printCanary = (write: (line: string) => void) => (event: CanaryEvent): void => {
  if (event.kind === 'watching') write(`canary: ${event.count} replayed; watching the DLQ until ${event.until.toISOString()} for them`);
  else if (event.kind === 'passed') write(`canary: none of ${event.count} came back within ${Math.round(event.watchMs / 1000)}s; replaying the rest`);
  else write(`canary: ${event.returns.length} of ${event.count} came back; the job is paused`);
};
