// The one decoder of stored jobs: each kind's params as rows hold them today (and held them before),
// the defaults for what a row does not say, and a typed error for a row that reads as no kind.

import { describe, expect, it } from 'vitest';
import { decodeJob, manualRedriveOf, moveTaskOf, rateLimitOf } from '../../../src/core/job/job-kinds.ts';
import type { Job, JobKind, JsonObject } from '../../../src/core/model.ts';

const T0 = new Date(Date.UTC(2026, 0, 1));
const stored = (kind: JobKind, params: JsonObject): Job => ({
  id: 'j-1', kind, queue: 'orders-dlq', status: 'running', params, progress: { total: null, done: 0, failed: 0 },
  checkpoint: {}, createdBy: 'U_A', createdAt: T0, updatedAt: T0, incidentId: null, error: null, thread: null,
});

describe('decodeJob', () => {
  it('reads a manual redrive job as createRedriveJob stores it, canary included', () => {
    const job = stored('redrive-all', {
      count: 40, ratePerSecond: 5, bodyMerge: { retry: true }, concurrency: 2, filter: { category: 'transient', domain: null, signature: null, olderThanSeconds: null },
      replayedBefore: null, reason: null, manual: true, canary: { count: 5, watchMs: 120_000 }, moveTaskAfterCanary: true,
    });
    expect(manualRedriveOf(job)?.params).toEqual({
      count: 40, ratePerSecond: 5, bodyMerge: { retry: true }, concurrency: 2, filter: { category: 'transient', domain: null, signature: null, olderThanSeconds: null },
      replayedBefore: null, reason: null, canary: { count: 5, watchMs: 120_000 }, moveTaskAfterCanary: true,
    });
    expect(moveTaskOf(job)).toBeNull();
    expect(rateLimitOf(job)).toBe(5);
  });

  it('gives an old manual row the defaults it always had', () => {
    expect(manualRedriveOf(stored('resolve-batch', { manual: true, reason: 'fixed upstream', filter: { category: null } }))?.params).toEqual({
      count: null, ratePerSecond: null, bodyMerge: null, concurrency: 4, filter: null, replayedBefore: null, reason: 'fixed upstream', canary: null, moveTaskAfterCanary: false,
    });
    expect(manualRedriveOf(stored('redrive-batch', { canary: { count: 0, watchMs: 1 } }))?.params.canary).toBeNull();
  });

  it('reads a redrive-all with a task handle as a message move task', () => {
    const job = stored('redrive-all', { taskHandle: 'h-1', destination: 'arn:aws:sqs:q', ratePerSecond: null });
    expect(moveTaskOf(job)?.params).toEqual({ taskHandle: 'h-1', destination: 'arn:aws:sqs:q', ratePerSecond: null });
    expect(manualRedriveOf(job)).toBeNull();
  });

  it('reads approval requests and post-replay watches', () => {
    const command = { op: 'redrive-batch', queue: 'orders-dlq', count: 500 };
    const approval = decodeJob(stored('redrive-approval', { command, plannedCount: 500, above: 100, adminMayApproveAlone: false, expiresAt: '2026-01-01T00:30:00.000Z', override: null, channelId: 'C1' }));
    expect(approval).toMatchObject({ ok: true, job: { type: 'redrive-approval', params: { command, plannedCount: 500, above: 100, expiresAt: '2026-01-01T00:30:00.000Z', override: null, channelId: 'C1' } } });
    const watch = decodeJob(stored('replay-watch', { watchMs: 60_000, messageRef: 'm-1', since: '2026-01-01T00:00:00.000Z' }));
    expect(watch).toMatchObject({ ok: true, job: { type: 'replay-watch', params: { watchMs: 60_000, sourceJobId: null, messageRef: 'm-1', since: '2026-01-01T00:00:00.000Z' } } });
  });

  it.each([
    ['a redrive-all with neither manual nor a task handle', stored('redrive-all', {})],
    ['an approval without its command', stored('redrive-approval', { plannedCount: 3 })],
    ['a kind Redrive does not write', stored('bulk-replay', { batchSize: 10 })],
  ])('refuses %s with a typed error', (_name, job) => {
    expect(decodeJob(job)).toMatchObject({ ok: false, error: { code: 'JOB_PARAMS_INVALID', jobId: 'j-1', kind: job.kind } });
  });
});
