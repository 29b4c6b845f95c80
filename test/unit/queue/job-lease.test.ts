// When a job's runner counts as gone: its lease's ttl from the job's rate and workers, never under
// the floor that outlasts an SQS checkout, and the heartbeat it implies; a run's hold on the lease
// (beats, a lost lease, a crash that writes nothing) over a lease table with the store's rule.

import { describe, expect, it } from 'vitest';
import type { Job, JsonObject } from '../../../src/core/model.ts';
import { holdJobLease, JOB_HEARTBEAT_MS, JOB_HEARTBEAT_MISSES, JOB_LEASE_MIN_MS, jobLeaseName, jobLeaseTtlMs, lastHeartbeat, liveJobLease, newRunHolder } from '../../../src/app/jobs/job-lease.ts';

const T0 = new Date(Date.UTC(2026, 0, 1));
const jobWith = (params: JsonObject): Job => ({
  id: 'j-1', kind: 'redrive-batch', queue: 'q', status: 'running', params: { manual: true, ...params }, progress: { total: null, done: 0, failed: 0 },
  checkpoint: {}, createdBy: 'U_A', createdAt: T0, updatedAt: T0, incidentId: null, error: null, thread: null,
});

describe('job lease', () => {
  it.each([
    ['no rate', {}, JOB_LEASE_MIN_MS],
    ['a fast rate', { ratePerSecond: 100, concurrency: 4 }, JOB_LEASE_MIN_MS],
    ['1/s with 4 workers: 40 s a batch interval', { ratePerSecond: 1, concurrency: 4 }, JOB_HEARTBEAT_MISSES * 40_000],
    ['0.1/s with one worker: 100 s a batch', { ratePerSecond: 0.1, concurrency: 1 }, JOB_HEARTBEAT_MISSES * 100_000],
  ])('%s', (_name, params, ttl) => {
    expect(jobLeaseTtlMs(jobWith(params))).toBe(ttl);
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
    expect(lastHeartbeat(lease, jobWith({})).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const store = { getLease: async () => lease };
    expect(await liveJobLease(store, 'j', new Date(Date.UTC(2026, 0, 1, 0, 1, 29)))).toBe(lease);
    expect(await liveJobLease(store, 'j', new Date(Date.UTC(2026, 0, 1, 0, 1, 30)))).toBeNull();
    expect(await liveJobLease({ getLease: async () => null }, 'j', new Date())).toBeNull();
  });
});

describe('holdJobLease', () => {
  /** The store's lease rule (contract suite): taken when free, expired, or already the holder's. */
  const leaseTable = () => {
    const rows = new Map<string, { holder: string; expiresAt: number }>();
    let writes = 0;
    return {
      rows,
      writes: () => writes,
      acquireLease: async (name: string, holder: string, now: Date, ttlMs: number) => {
        const row = rows.get(name);
        if (row && row.holder !== holder && row.expiresAt > now.getTime()) return false;
        writes += 1;
        rows.set(name, { holder, expiresAt: now.getTime() + ttlMs });
        return true;
      },
      releaseLease: async (name: string, holder: string) => {
        if (rows.get(name)?.holder === holder) rows.delete(name);
      },
    };
  };
  /** Sleeps that end only when the test says so (or their signal aborts). */
  const steppedSleep = () => {
    const waiting: (() => void)[] = [];
    return {
      sleep: (_ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          if (signal?.aborted) return resolve();
          waiting.push(resolve);
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
      tick: async () => {
        for (const wake of waiting.splice(0)) wake();
        for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
      },
    };
  };
  const job = jobWith({});
  let now = Date.UTC(2026, 0, 1);
  const clock = () => new Date(now);

  it('takes a free lease, beats it periodically (calling onBeat), refuses a second holder and frees it on release', async () => {
    const store = leaseTable();
    const time = steppedSleep();
    let beats = 0;
    const hold = await holdJobLease({ store, now: clock, sleep: time.sleep }, { job, holder: 'a', onBeat: async () => void (beats += 1) });
    expect(hold).not.toBeNull();
    expect(await holdJobLease({ store, now: clock, sleep: time.sleep }, { job, holder: 'b' })).toBeNull();
    await time.tick();
    await time.tick();
    expect(beats).toBe(2);
    await hold?.release();
    expect(store.rows.has('job:j-1')).toBe(false);
  });

  it('a lapsed hold taken by another replica is lost for good: onLost once, no more beats, nothing released', async () => {
    const store = leaseTable();
    const time = steppedSleep();
    let lostCalls = 0;
    const hold = await holdJobLease({ store, now: clock, sleep: time.sleep }, { job, holder: 'a', onLost: () => void (lostCalls += 1) });
    now += jobLeaseTtlMs(job);
    expect(await holdJobLease({ store, now: clock, sleep: time.sleep }, { job, holder: 'b' })).not.toBeNull();
    expect(await hold?.beat()).toBe(false);
    expect(hold?.lost).toBe(true);
    await time.tick();
    expect(lostCalls).toBe(1);
    await hold?.release();
    expect(store.rows.get('job:j-1')?.holder).toBe('b');
  });

  it('after a halt (a killed process) it writes nothing: no beats, and release keeps the lease until it expires', async () => {
    const store = leaseTable();
    const time = steppedSleep();
    const halt = new AbortController();
    const hold = await holdJobLease({ store, now: clock, sleep: time.sleep }, { job, holder: 'a', halt: halt.signal });
    const writes = store.writes();
    halt.abort();
    await time.tick();
    expect(await hold?.beat()).toBe(true);
    expect(store.writes()).toBe(writes);
    await hold?.release({ keep: true });
    expect(store.rows.get('job:j-1')?.holder).toBe('a');
  });
});
