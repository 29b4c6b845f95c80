// The kinds of job the jobs table holds, each with its typed params, and the one decoder that reads a
// stored job's JSON params into them (old rows included: absent fields take the defaults they always
// had). Pure: it neither reads nor writes the store, and it never changes what is stored.

import { isFiltered, type ReplayFilter } from '../analysis/replay-filter.ts';
import type { DlqCommand } from '../command/parse-dlq-command.ts';
import type { Job, JsonObject } from '../model.ts';
import type { CanarySettings } from './canary-settings.ts';

/** The kinds a manual redrive job (the job's own batches, checkpoint and lease) runs as. */
export type ManualJobKind = 'redrive-batch' | 'redrive-all' | 'resolve-batch';

/** What a manual redrive job was asked to do, as `createRedriveJob` writes it (with `manual: true`). */
export interface RedriveJobParams {
  /** Messages to replay; null = until the DLQ is empty. */
  count: number | null;
  ratePerSecond: number | null;
  /** JSON object merged into every body (the runbook's `jq '. + {...}'`); non-JSON bodies then fail and stay. */
  bodyMerge: JsonObject | null;
  concurrency: number;
  /** Only messages matching it are replayed (the rest stay untouched); null = every message. */
  filter: ReplayFilter | null;
  /** resolve-batch: only messages Redrive replayed before this instant (ISO); null = no such condition. */
  replayedBefore: string | null;
  /** resolve-batch: the reason kept with every archived message. */
  reason: string | null;
}

export interface ManualRedriveParams extends RedriveJobParams {
  /** The job's canary; null when it has none. */
  canary: CanarySettings | null;
  /** SQS redrive-all with a canary: after the canary passes, the rest goes through a message move task. */
  moveTaskAfterCanary: boolean;
}

/** redrive-all on the broker's own message move task (SQS StartMessageMoveTask). */
export interface MoveTaskParams {
  taskHandle: string;
  destination: string | null;
  ratePerSecond: number | null;
}

/** A bulk replay awaiting a second person's Approve (issue 14); it runs nothing itself. */
export interface RedriveApprovalParams {
  command: Extract<DlqCommand, { op: 'redrive-all' | 'redrive-batch' }>;
  plannedCount: number | null;
  above: number;
  /** ISO instant; null when the row has none (it is then long expired). */
  expiresAt: string | null;
  override: string | null;
  channelId: string | null;
}

/** The watch after a job's replay (sourceJobId) or after one message's replay (messageRef, since). */
export interface ReplayWatchParams {
  watchMs: number;
  sourceJobId: string | null;
  messageRef: string | null;
  /** ISO instant the message's replay started; null for a job's watch. */
  since: string | null;
}

type TypedJobOf<T extends string, K extends Job['kind'], P> = Omit<Job, 'kind' | 'params'> & { type: T; kind: K; params: P };

export type ManualRedriveJob = TypedJobOf<'manual-redrive', ManualJobKind, ManualRedriveParams>;
export type MoveTaskJob = TypedJobOf<'move-task', 'redrive-all', MoveTaskParams>;
export type RedriveApprovalJob = TypedJobOf<'redrive-approval', 'redrive-approval', RedriveApprovalParams>;
export type ReplayWatchJob = TypedJobOf<'replay-watch', 'replay-watch', ReplayWatchParams>;

/** Every job kind stored in the jobs table (stored monitors have their own table). */
export type TypedJob = ManualRedriveJob | MoveTaskJob | RedriveApprovalJob | ReplayWatchJob;

/** A stored job whose params do not read as any kind (a kind Redrive no longer writes, or a damaged row). */
export interface JobDecodeError {
  code: 'JOB_PARAMS_INVALID';
  jobId: string;
  kind: string;
  reason: string;
}

export type JobDecoding = { ok: true; job: TypedJob } | { ok: false; error: JobDecodeError };

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const object = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

/** A stored filter (null when it has none, or filters nothing). */
export const decodeReplayFilter = (value: unknown): ReplayFilter | null => {
  const v = object(value);
  if (!v) return null;
  const filter: ReplayFilter = { category: text(v.category), domain: text(v.domain), signature: text(v.signature), olderThanSeconds: num(v.olderThanSeconds) };
  return isFiltered(filter) ? filter : null;
};

const decodeCanary = (value: unknown): CanarySettings | null => {
  const c = object(value);
  const count = num(c?.count);
  const watchMs = num(c?.watchMs);
  return count !== null && count > 0 && watchMs !== null ? { count, watchMs } : null;
};

const manualParams = (p: JsonObject): ManualRedriveParams => ({
  count: num(p.count),
  ratePerSecond: num(p.ratePerSecond),
  bodyMerge: object(p.bodyMerge) as JsonObject | null,
  concurrency: num(p.concurrency) ?? 4,
  filter: decodeReplayFilter(p.filter),
  replayedBefore: text(p.replayedBefore),
  reason: text(p.reason),
  canary: decodeCanary(p.canary),
  moveTaskAfterCanary: p.moveTaskAfterCanary === true,
});

const isRedriveCommand = (value: unknown): value is RedriveApprovalParams['command'] => {
  const c = object(value);
  return c !== null && (c.op === 'redrive-all' || c.op === 'redrive-batch') && typeof c.queue === 'string';
};

/**
 * Reads a stored job as its kind. Manual jobs carry `manual: true` (redrive-batch and resolve-batch are
 * manual even without it); a redrive-all with a task handle is a message move task.
 */
export const decodeJob = (job: Job): JobDecoding => {
  const { kind, params: p } = job;
  const typed = <T extends TypedJob>(value: Omit<T, keyof Job | 'type'> & Pick<T, 'type' | 'kind' | 'params'>): JobDecoding => ({ ok: true, job: { ...job, ...value } as TypedJob });
  const refused = (reason: string): JobDecoding => ({ ok: false, error: { code: 'JOB_PARAMS_INVALID', jobId: job.id, kind, reason } });
  switch (kind) {
    case 'redrive-batch':
    case 'resolve-batch':
    case 'redrive-all': {
      if (p.manual === true || kind !== 'redrive-all') return typed<ManualRedriveJob>({ type: 'manual-redrive', kind, params: manualParams(p) });
      const taskHandle = text(p.taskHandle);
      if (taskHandle === null) return refused('a redrive-all job with neither manual: true nor a task handle');
      return typed<MoveTaskJob>({ type: 'move-task', kind, params: { taskHandle, destination: text(p.destination), ratePerSecond: num(p.ratePerSecond) } });
    }
    case 'redrive-approval': {
      if (!isRedriveCommand(p.command)) return refused('an approval request without its redrive command');
      return typed<RedriveApprovalJob>({
        type: 'redrive-approval',
        kind,
        params: { command: p.command, plannedCount: num(p.plannedCount), above: num(p.above) ?? 0, expiresAt: text(p.expiresAt), override: text(p.override), channelId: text(p.channelId) },
      });
    }
    case 'replay-watch':
      return typed<ReplayWatchJob>({ type: 'replay-watch', kind, params: { watchMs: num(p.watchMs) ?? 0, sourceJobId: text(p.sourceJobId), messageRef: text(p.messageRef), since: text(p.since) } });
    default:
      return refused(`Redrive writes no ${kind} jobs`);
  }
};

/** The job as the kind `type` names; null for any other kind (or a row that does not decode). */
const decodeAs = <T extends TypedJob['type']>(job: Job, type: T): Extract<TypedJob, { type: T }> | null => {
  const decoded = decodeJob(job);
  return decoded.ok && decoded.job.type === type ? (decoded.job as Extract<TypedJob, { type: T }>) : null;
};

export const manualRedriveOf = (job: Job): ManualRedriveJob | null => decodeAs(job, 'manual-redrive');
export const moveTaskOf = (job: Job): MoveTaskJob | null => decodeAs(job, 'move-task');
export const redriveApprovalOf = (job: Job): RedriveApprovalJob | null => decodeAs(job, 'redrive-approval');
export const replayWatchOf = (job: Job): ReplayWatchJob | null => decodeAs(job, 'replay-watch');

/** The rate limit a manual job or a move task was started with; null for none (or another kind). */
export const rateLimitOf = (job: Job): number | null => {
  const decoded = decodeJob(job);
  return decoded.ok && (decoded.job.type === 'manual-redrive' || decoded.job.type === 'move-task') ? decoded.job.params.ratePerSecond : null;
};
