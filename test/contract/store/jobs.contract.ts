// Store contract, jobs part: jobs with progress and checkpoints, and job items claimed exactly once
// even when several workers race for the same item.

import { describe, expect, it } from 'vitest';
import { isRedriveError } from '../../../src/errors.ts';
import { at, concurrently, newJob, rejection, T0, unique, type StoreRef } from './store-fixtures.ts';

export const describeJobContract = (store: StoreRef): void => {
  describe('jobs', () => {
    it('creates a pending job with empty progress and checkpoint', async () => {
      const input = newJob(unique('q'), { total: 40, incidentId: unique('inc') });
      const job = await store().createJob(input);
      expect(job).toEqual({
        id: input.id,
        kind: 'bulk-replay',
        queue: input.queue,
        status: 'pending',
        params: { batchSize: 10 },
        progress: { total: 40, done: 0, failed: 0 },
        checkpoint: {},
        createdBy: 'U123',
        createdAt: T0,
        updatedAt: T0,
        incidentId: input.incidentId,
        error: null,
        thread: null,
      });
      expect(await store().getJob(input.id)).toEqual(job);
      expect(await store().getJob(unique('missing'))).toBeNull();
      const bare = await store().createJob(newJob(input.queue));
      expect(bare).toMatchObject({ progress: { total: null, done: 0, failed: 0 }, incidentId: null });
    });

    it('updates status, progress, checkpoint and error, and leaves the rest', async () => {
      const job = await store().createJob(newJob(unique('q')));
      const patch = {
        status: 'running' as const,
        progress: { total: 10, done: 4, failed: 1 },
        checkpoint: { cursor: 'abc', partitions: { '0': '41' } },
        error: null,
        updatedAt: at(30_000),
      };
      const updated = await store().updateJob(job.id, patch);
      expect(updated).toEqual({ ...job, ...patch });
      expect(await store().getJob(job.id)).toEqual(updated);
      const failed = await store().updateJob(job.id, { status: 'failed', error: 'downstream refused', updatedAt: at(40_000) });
      expect(failed).toEqual({ ...updated, status: 'failed', error: 'downstream refused', updatedAt: at(40_000) });
    });

    it('keeps the Slack thread a job reports in, changes it by a patch and leaves it out of other patches', async () => {
      const job = await store().createJob(newJob(unique('q')));
      const thread = { channel: 'C_ALERTS', threadTs: '1700000000.000100', startTs: '1700000000.000200', progressTs: null };
      const started = await store().updateJob(job.id, { status: 'running', thread, updatedAt: at(1_000) });
      expect(started.thread).toEqual(thread);
      const progressed = await store().updateJob(job.id, { progress: { total: 10, done: 3, failed: 0 }, checkpoint: { done: 3 }, updatedAt: at(2_000) });
      expect(progressed.thread).toEqual(thread);
      const edited = await store().updateJob(job.id, { thread: { ...thread, progressTs: '1700000000.000300' } });
      expect((await store().getJob(job.id))?.thread).toEqual({ ...thread, progressTs: '1700000000.000300' });
      expect(edited.thread?.progressTs).toBe('1700000000.000300');
      expect((await store().updateJob(job.id, { thread: null })).thread).toBeNull();
      expect((await store().listJobs({ queue: job.queue }))[0]?.thread).toBeNull();
    });

    it('refuses to update an unknown job with JOB_NOT_FOUND', async () => {
      const error = await rejection(store().updateJob(unique('missing'), { status: 'running' }));
      expect(isRedriveError(error) && error.code).toBe('JOB_NOT_FOUND');
    });

    it('lists jobs by queue and statuses, newest first, with a limit', async () => {
      const queue = unique('q');
      const jobs = [];
      for (let i = 0; i < 4; i += 1) jobs.push(await store().createJob(newJob(queue, { createdAt: at(i * 1_000) })));
      await store().updateJob(jobs[0]!.id, { status: 'running' });
      await store().updateJob(jobs[1]!.id, { status: 'paused' });
      await store().updateJob(jobs[2]!.id, { status: 'succeeded' });
      await store().createJob(newJob(unique('other')));
      const ids = (list: { id: string }[]): string[] => list.map((j) => j.id);
      expect(ids(await store().listJobs({ queue }))).toEqual([jobs[3]!.id, jobs[2]!.id, jobs[1]!.id, jobs[0]!.id]);
      expect(ids(await store().listJobs({ queue, status: ['running', 'paused'] }))).toEqual([jobs[1]!.id, jobs[0]!.id]);
      expect(ids(await store().listJobs({ queue, status: ['pending'] }))).toEqual([jobs[3]!.id]);
      expect(await store().listJobs({ queue, status: [] })).toEqual([]);
      expect(ids(await store().listJobs({ queue, limit: 2 }))).toEqual([jobs[3]!.id, jobs[2]!.id]);
    });
  });

  describe('job items', () => {
    it('claims an item once; later claims are refused whatever its status', async () => {
      const job = await store().createJob(newJob(unique('q')));
      expect(await store().claimJobItem(job.id, 'm-1', at(1))).toBe(true);
      expect(await store().claimJobItem(job.id, 'm-1', at(2))).toBe(false);
      await store().setJobItemStatus(job.id, 'm-1', 'done', at(3));
      expect(await store().claimJobItem(job.id, 'm-1', at(4))).toBe(false);
      const other = await store().createJob(newJob(job.queue));
      expect(await store().claimJobItem(other.id, 'm-1', at(5))).toBe(true);
    });

    it('lets exactly one of 10 concurrent claims win', async () => {
      const job = await store().createJob(newJob(unique('q')));
      const results = await concurrently(10, (i) => store().claimJobItem(job.id, 'contended', at(i)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().listJobItems(job.id)).toHaveLength(1);
    });

    it('sets item statuses with errors and lists items by status', async () => {
      const job = await store().createJob(newJob(unique('q')));
      for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) await store().claimJobItem(job.id, key, at(i * 1_000));
      await store().setJobItemStatus(job.id, 'a', 'sent', at(10_000));
      await store().setJobItemStatus(job.id, 'b', 'failed', at(11_000), 'throttled');
      await store().setJobItemStatus(job.id, 'c', 'done', at(12_000), null);
      await store().setJobItemStatus(job.id, 'e', 'failed', at(13_000), 'never claimed');
      expect(await store().listJobItems(job.id, 'failed')).toEqual([
        { jobId: job.id, itemKey: 'b', status: 'failed', error: 'throttled', updatedAt: at(11_000) },
        { jobId: job.id, itemKey: 'e', status: 'failed', error: 'never claimed', updatedAt: at(13_000) },
      ]);
      expect(await store().listJobItems(job.id, 'claimed')).toEqual([
        { jobId: job.id, itemKey: 'd', status: 'claimed', error: null, updatedAt: at(3_000) },
      ]);
      expect((await store().listJobItems(job.id)).map((item) => [item.itemKey, item.status])).toEqual([
        ['d', 'claimed'],
        ['a', 'sent'],
        ['b', 'failed'],
        ['c', 'done'],
        ['e', 'failed'],
      ]);
      expect(await store().claimJobItem(job.id, 'e', at(14_000))).toBe(false);
    });

    it('refuses items of an unknown job with JOB_NOT_FOUND', async () => {
      const missing = unique('missing');
      const claim = await rejection(store().claimJobItem(missing, 'x', T0));
      const set = await rejection(store().setJobItemStatus(missing, 'x', 'done', T0));
      expect([claim, set].map((e) => isRedriveError(e) && e.code)).toEqual(['JOB_NOT_FOUND', 'JOB_NOT_FOUND']);
      expect(await store().listJobItems(missing)).toEqual([]);
    });
  });
};
