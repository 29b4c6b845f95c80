// Jobs and their per-item checkpoints over a SqlDriver. A job item is claimed by inserting its
// (job_id, item_key) primary key, so exactly one claim wins even across replicas, and a resumed job
// never sends an item twice.

import { RedriveError, isRedriveError } from '../../../errors.ts';
import type { Job, JobItem, JobItemStatus, JobPatch, JobStatus, NewJob } from '../../../core/model.ts';
import type { SqlDriver, SqlParam } from './sql-driver.ts';
import { JOB_COLUMNS, JOB_ITEM_COLUMNS, jsonParam, placeholders, toJob, toJobItem } from './sql-rows.ts';

const jobNotFound = (jobId: string, cause?: unknown): RedriveError =>
  new RedriveError('JOB_NOT_FOUND', `Job ${jobId} does not exist.`, { context: { jobId }, cause });

/** A foreign-key failure on job_items means the job is missing. */
const orJobNotFound = async <T>(jobId: string, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (isRedriveError(error) && error.code === 'STORE_NOT_FOUND') throw jobNotFound(jobId, error);
    throw error;
  }
};

export const createJob = async (db: SqlDriver, job: NewJob): Promise<Job> => {
  const [row] = await db.all(
    `INSERT INTO jobs (${JOB_COLUMNS}) VALUES (?, ?, ?, 'pending', ?, ?, 0, 0, '{}', ?, ?, ?, ?, NULL, NULL) RETURNING ${JOB_COLUMNS}`,
    [job.id, job.kind, job.queue, jsonParam(job.params), job.total ?? null, job.createdBy, job.createdAt, job.createdAt, job.incidentId ?? null],
  );
  return toJob(row!);
};

export const getJob = async (db: SqlDriver, id: string): Promise<Job | null> => {
  const [row] = await db.all(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`, [id]);
  return row ? toJob(row) : null;
};

/** Newest first. */
export const listJobs = async (
  db: SqlDriver,
  filter: { queue?: string; status?: JobStatus[]; limit?: number },
  defaultLimit: number,
): Promise<Job[]> => {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.queue !== undefined) {
    where.push('queue = ?');
    params.push(filter.queue);
  }
  if (filter.status !== undefined) {
    if (filter.status.length === 0) return [];
    where.push(`status IN (${placeholders(filter.status.length)})`);
    params.push(...filter.status);
  }
  params.push(filter.limit ?? defaultLimit);
  const rows = await db.all(
    `SELECT ${JOB_COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`,
    params,
  );
  return rows.map(toJob);
};

/** Applies the patch; updatedAt defaults to now. Throws JOB_NOT_FOUND for an unknown id. */
export const updateJob = async (db: SqlDriver, id: string, patch: JobPatch, now: Date): Promise<Job> => {
  const sets = ['updated_at = ?'];
  const params: SqlParam[] = [patch.updatedAt ?? now];
  if (patch.status !== undefined) {
    sets.push('status = ?');
    params.push(patch.status);
  }
  if (patch.progress !== undefined) {
    sets.push('progress_total = ?', 'progress_done = ?', 'progress_failed = ?');
    params.push(patch.progress.total, patch.progress.done, patch.progress.failed);
  }
  if (patch.checkpoint !== undefined) {
    sets.push('checkpoint = ?');
    params.push(jsonParam(patch.checkpoint));
  }
  if (patch.error !== undefined) {
    sets.push('error = ?');
    params.push(patch.error);
  }
  if (patch.thread !== undefined) {
    sets.push('slack_thread = ?');
    params.push(patch.thread === null ? null : jsonParam(patch.thread));
  }
  const [row] = await db.all(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ? RETURNING ${JOB_COLUMNS}`, [...params, id]);
  if (!row) throw jobNotFound(id);
  return toJob(row);
};

export const claimJobItem = (db: SqlDriver, jobId: string, itemKey: string, at: Date): Promise<boolean> =>
  orJobNotFound(jobId, async () => {
    const rows = await db.all(
      `INSERT INTO job_items (job_id, item_key, status, error, updated_at) VALUES (?, ?, 'claimed', NULL, ?)
       ON CONFLICT (job_id, item_key) DO NOTHING RETURNING item_key`,
      [jobId, itemKey, at],
    );
    return rows.length > 0;
  });

/** Sets the item's status, recording it when it was never claimed. */
export const setJobItemStatus = (
  db: SqlDriver,
  jobId: string,
  itemKey: string,
  status: JobItemStatus,
  at: Date,
  error: string | null,
): Promise<void> =>
  orJobNotFound(jobId, async () => {
    await db.run(
      `INSERT INTO job_items (job_id, item_key, status, error, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (job_id, item_key) DO UPDATE SET status = excluded.status, error = excluded.error, updated_at = excluded.updated_at`,
      [jobId, itemKey, status, error, at],
    );
  });

/** Least recently updated first, then by key. */
export const listJobItems = async (db: SqlDriver, jobId: string, status?: JobItemStatus): Promise<JobItem[]> => {
  const params: SqlParam[] = [jobId];
  if (status !== undefined) params.push(status);
  const rows = await db.all(
    `SELECT ${JOB_ITEM_COLUMNS} FROM job_items WHERE job_id = ? ${status === undefined ? '' : 'AND status = ?'} ORDER BY updated_at, item_key`,
    params,
  );
  return rows.map(toJobItem);
};
