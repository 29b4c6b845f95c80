import { describe, expect, it } from 'vitest';
import { createJobProgressPrinter } from '../../../src/presentation/terminal/job-progress-printer.ts';

describe('createJobProgressPrinter (terminal progress of a redrive job)', () => {
  const job = { id: 'job-1', queue: 'orders-dlq' };

  it('prints the first event, then at most one line per interval, with done/total, failures and the rate', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = createJobProgressPrinter((line) => lines.push(line), { everyMs: 2_000, now: () => now });
    progress(job, { done: 0, failed: 0, total: 100 });
    now = 500;
    progress(job, { done: 10, failed: 0, total: 100 });
    now = 2_000;
    progress(job, { done: 40, failed: 1, total: 100 });
    now = 3_000;
    progress(job, { done: 60, failed: 1, total: 100 });
    expect(lines).toEqual(['orders-dlq: job job-1: 0/100 replayed, 0 failed, starting', 'orders-dlq: job job-1: 40/100 replayed, 1 failed, 20.0 msg/s']);
  });

  it('always prints the event that reaches the total, and a job without a known total shows no denominator', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = createJobProgressPrinter((line) => lines.push(line), { everyMs: 10_000, now: () => now });
    progress(job, { done: 0, failed: 0, total: 20 });
    now = 1_000;
    progress(job, { done: 19, failed: 1, total: 20 });
    progress({ id: 'job-2', queue: 'q' }, { done: 5, failed: 0, total: null });
    expect(lines).toEqual(['orders-dlq: job job-1: 0/20 replayed, 0 failed, starting', 'orders-dlq: job job-1: 19/20 replayed, 1 failed, 19.0 msg/s']);
  });
});
