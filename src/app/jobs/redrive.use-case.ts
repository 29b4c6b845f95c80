// The bulk /dlq operations that start a job: redrive-batch and resolve-batch run a manual job to its
// end; redrive-all picks the broker's move task or a manual job (a canary first, then the move task).
// Returns typed outcomes; rendering them is the caller's.

import type { ReplayFilter } from '../../core/analysis/replay-filter.ts';
import type { ReplayedBefore } from '../../core/command/parse-dlq-command.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { parseBodyMerge } from './body-merge.ts';
import { canaryForJob } from './canary.ts';
import type { CanaryEvent } from './canary-gate.ts';
import { startMoveTask, type MoveTaskView } from './move-task.use-case.ts';
import { runRedriveJob } from './redrive-job.ts';
import type { RunOptions } from './redrive-run-options.ts';
import type { ManualJobKind } from '../../core/job/job-kinds.ts';
import { createRedriveJob, jobVerb, replayedBeforeInstant } from './redrive-job-params.ts';
import type { RedriveJobResult } from './redrive-job-result.ts';

/** Progress of a manual job run to its end by the caller (the terminal prints it). */
export type JobProgressListener = (job: { id: string; queue: string; verb?: string }, progress: { done: number; failed: number; total: number | null }) => void;

/** Who hears about a job the caller runs: its progress, and its canary watching, passed or returned. */
export interface JobListeners {
  jobProgress?: JobProgressListener | undefined;
  onCanary?: ((event: CanaryEvent) => void) | undefined;
}

/** How the caller runs manual jobs: the terminal's body edit (`--body-file`) and the concurrent batches. */
export interface ManualJobSettings {
  bodyEdit: string | null;
  concurrency: number;
}

/** The run options reporting one job's progress to a listener (none without one). */
export const progressFor = (listener: JobProgressListener | undefined, id: string, queue: string, verb = 'replayed'): Pick<RunOptions, 'onProgress'> =>
  listener ? { onProgress: (p) => listener({ id, queue, verb }, p) } : {};

export interface ManualJobRequest {
  queue: string;
  kind: ManualJobKind;
  actor: string;
  /** null: every message (or every one the filter matches). */
  count: number | null;
  ratePerSecond: number | null;
  filter: ReplayFilter | null;
  /** resolve-batch only: why, and which replayed messages it resolves (null for the replay kinds). */
  resolve: { reason: string | null; replayedBefore: ReplayedBefore | null | undefined } | null;
  canary?: number | undefined;
  /** SQS redrive-all with a canary: the rest goes through a message move task once the canary passed. */
  thenMoveTask?: boolean;
}

/** Creates a manual job and runs it to its end (or a pause, cancel, or failure). */
export const runManualJob = async (deps: QueueDeps, request: ManualJobRequest, settings: ManualJobSettings, listeners: JobListeners = {}): Promise<RedriveJobResult> => {
  const { queue, kind } = request;
  const bodyMerge = kind === 'resolve-batch' ? null : parseBodyMerge(settings.bodyEdit);
  const resolve = request.resolve ? { reason: request.resolve.reason, replayedBefore: replayedBeforeInstant(request.resolve.replayedBefore, deps.clock.now()) } : null;
  const job = await createRedriveJob(deps, queue, {
    count: request.count,
    ratePerSecond: request.ratePerSecond,
    bodyMerge,
    actor: request.actor,
    kind,
    filter: request.filter,
    concurrency: settings.concurrency,
    ...(resolve ?? {}),
    canary: request.canary,
    thenMoveTask: request.thenMoveTask ?? false,
  });
  return runRedriveJob(deps, job.id, { ...progressFor(listeners.jobProgress, job.id, queue, jobVerb(job)), ...(listeners.onCanary ? { onCanary: listeners.onCanary } : {}) });
};

/** What redrive-all did: started the broker's move task, or ran a manual job (perhaps a canary handing over to a move task). */
export type RedriveAllOutcome = { kind: 'move-task'; view: MoveTaskView } | { kind: 'manual-job'; result: RedriveJobResult };

export const redriveAll = async (
  deps: QueueDeps,
  request: { queue: string; ratePerSecond: number | null; actor: string; canary?: number | undefined },
  settings: ManualJobSettings,
  listeners: JobListeners = {},
): Promise<RedriveAllOutcome> => {
  const backend = deps.registry.get(request.queue);
  const manual = { queue: request.queue, kind: 'redrive-all' as const, actor: request.actor, count: null, ratePerSecond: request.ratePerSecond, filter: null, resolve: null, canary: request.canary };
  const moveTasks = Boolean(backend.moveTasks) && !backend.fifo;
  // With a canary, the canary goes through a manual job first and the move task only if it passes.
  if (moveTasks && canaryForJob(deps.canaryConfig?.(backend.name) ?? null, request.canary, null)) {
    return { kind: 'manual-job', result: await runManualJob(deps, { ...manual, thenMoveTask: true }, settings, listeners) };
  }
  if (moveTasks) return { kind: 'move-task', view: await startMoveTask(deps, { queue: request.queue, ratePerSecond: request.ratePerSecond, actor: request.actor }) };
  return { kind: 'manual-job', result: await runManualJob(deps, manual, settings, listeners) };
};
