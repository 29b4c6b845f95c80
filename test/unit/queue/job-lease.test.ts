// When a job's runner counts as gone: its lease's ttl from the job's rate and workers, never under
// the floor that outlasts an SQS checkout, and the heartbeat it implies.

import { describe, expect, it } from 'vitest';
import { JOB_HEARTBEAT_MS, JOB_HEARTBEAT_MISSES, JOB_LEASE_MIN_MS, jobLeaseName, jobLeaseTtlMs, lastHeartbeat, liveJobLease, newRunHolder } from '../../../src/app/queue/job-lease.ts';

describe('job lease', () => {
  it.each([
    ['no rate', {}, JOB_LEASE_MIN_MS],
    ['a fast rate', { ratePerSecond: 100, concurrency: 4 }, JOB_LEASE_MIN_MS],
    ['1/s with 4 workers: 40 s a batch interval', { ratePerSecond: 1, concurrency: 4 }, JOB_HEARTBEAT_MISSES * 40_000],
    ['0.1/s with one worker: 100 s a batch', { ratePerSecond: 0.1, concurrency: 1 }, JOB_HEARTBEAT_MISSES * 100_000],
  ])('%s', (_name, params, ttl) => {
    expect(jobLeaseTtlMs({ params })).toBe(ttl);
  });

  it('outlasts the 60 s an SQS checkout hides a message, and many heartbeats', () => {
    expect(JOB_LEASE_MIN_MS).toBeGreaterThan(60_000);
    expect(JOB_LEASE_MIN_MS / JOB_HEARTBEAT_MS).toBeGreaterThanOrEqual(30);
  });

  it('names one lease per job and a fresh holder per run', () => {
    expect(jobLeaseName('j-1')).toBe('job:j-1');
    expect(newRunHolder('replica-a')).toMatch(/^replica-a:[0-9a-f-]{36}$/);
    expect(newRunHolder()).not.toBe(newRunHolder());
  });

  it('reads the last heartbeat back from the expiry, and a lease is live only before it expires', async () => {
    const lease = { name: 'job:j', holder: 'h', expiresAt: new Date(Date.UTC(2026, 0, 1, 0, 1, 30)) };
    expect(lastHeartbeat(lease, { params: {} }).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const store = { getLease: async () => lease };
    expect(await liveJobLease(store, 'j', new Date(Date.UTC(2026, 0, 1, 0, 1, 29)))).toBe(lease);
    expect(await liveJobLease(store, 'j', new Date(Date.UTC(2026, 0, 1, 0, 1, 30)))).toBeNull();
    expect(await liveJobLease({ getLease: async () => null }, 'j', new Date())).toBeNull();
  });
});
