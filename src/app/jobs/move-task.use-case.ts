// redrive-all on the broker's own move task (SQS StartMessageMoveTask, rate ≤ 500/s): start it as a
// job, read its progress from ListMessageMoveTasks into the job, cancel it. FIFO queues and queues
// without move tasks go through the manual redrive job instead (redrive-job.ts).

import { RedriveError } from '../../errors.ts';
import { moveTaskOf, type MoveTaskJob } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import type { MoveTaskInfo } from '../../ports/queue-backend.port.ts';
import { audited } from '../shared/audit-trail.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

export const MAX_MOVE_RATE = 500;

export interface MoveTaskView {
  job: Job;
  tasks: MoveTaskInfo[];
  /** The job's own task among `tasks`, when it is listed. */
  task?: MoveTaskInfo | null;
}

const backendWithMoves = (deps: QueueDeps, queue: string) => {
  const backend = deps.registry.get(queue);
  if (!backend.moveTasks) {
    throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', `${queue} has no message move task (FIFO or Kafka); use redrive-batch.`, { context: { queue } });
  }
  return { backend, moves: backend.moveTasks };
};

export const startMoveTask = async (deps: QueueDeps, request: { queue: string; ratePerSecond: number | null; actor: string }): Promise<MoveTaskView> => {
  const { backend, moves } = backendWithMoves(deps, request.queue);
  if (request.ratePerSecond !== null && (request.ratePerSecond <= 0 || request.ratePerSecond > MAX_MOVE_RATE)) {
    throw new RedriveError('CLI_USAGE', `--rate must be between 1 and ${MAX_MOVE_RATE} messages a second.`);
  }
  return audited(deps, { action: 'redrive-all', queue: request.queue, actor: request.actor, details: { ratePerSecond: request.ratePerSecond } }, async (input) => {
    const depth = (await backend.dlq.status()).depth;
    const started = await moves.start({ ratePerSecond: request.ratePerSecond });
    const id = deps.newId?.() ?? crypto.randomUUID();
    input.jobId = id;
    const incident = await deps.store.findOpenIncident(backend.name);
    let job = await deps.store.createJob({
      id,
      kind: 'redrive-all',
      queue: backend.name,
      params: { taskHandle: started.taskHandle, destination: started.destination, ratePerSecond: request.ratePerSecond },
      createdBy: request.actor,
      createdAt: deps.clock.now(),
      incidentId: incident?.id ?? null,
      total: depth,
    });
    job = await deps.store.updateJob(id, { status: 'running', updatedAt: deps.clock.now() });
    deps.metrics.jobProgress(job, 0, depth);
    return { job, tasks: await moves.list() };
  }, (view) => ({ taskHandle: moveTaskOf(view.job)?.params.taskHandle ?? '', destination: moveTaskOf(view.job)?.params.destination ?? '' }));
};

// CANCELLING counts as cancelled: the job must not flip back to running after a cancel.
const JOB_STATUS: Record<string, Job['status']> = { RUNNING: 'running', COMPLETED: 'succeeded', CANCELLING: 'cancelled', CANCELLED: 'cancelled', FAILED: 'failed' };

/**
 * The job's task in ListMessageMoveTasks. SQS names the handle only while a task runs, so an
 * ended task is taken to be the newest one (a queue runs one move task at a time).
 */
const taskOf = (job: MoveTaskJob, tasks: MoveTaskInfo[]): MoveTaskInfo | null =>
  tasks.find((t) => t.taskHandle === job.params.taskHandle) ?? tasks.find((t) => t.taskHandle === null) ?? null;

/** Reads the task's progress and writes it into the job (the poller calls this to post progress). */
export const refreshMoveTask = async (deps: QueueDeps, jobId: string): Promise<MoveTaskView> => {
  const job = await deps.store.getJob(jobId);
  const moveTask = job && moveTaskOf(job);
  if (!job || !moveTask) throw new RedriveError('JOB_NOT_FOUND', `No redrive-all job ${jobId}.`, { context: { jobId } });
  const { moves } = backendWithMoves(deps, job.queue);
  const tasks = await moves.list();
  const task = taskOf(moveTask, tasks);
  if (!task) return { job, tasks, task: null };
  const total = task.toMove ?? job.progress.total;
  const updated = await deps.store.updateJob(jobId, {
    status: job.status === 'cancelled' ? 'cancelled' : (JOB_STATUS[task.status] ?? job.status),
    progress: { total: total === null ? null : Math.max(total, task.moved), done: task.moved, failed: 0 },
    error: task.failureReason ?? job.error,
    updatedAt: deps.clock.now(),
  });
  deps.metrics.jobProgress(updated, task.moved, total);
  if (updated.status !== 'running') deps.metrics.jobEnded(updated, updated.status);
  return { job: updated, tasks, task };
};

/**
 * CancelMessageMoveTask for a redrive-all job whose task still runs; `cancelled: false` when the
 * task had already ended (the job then shows how it ended). Not audited here: the caller's action is.
 */
export const cancelMoveTask = async (deps: QueueDeps, job: Job): Promise<MoveTaskView & { cancelled: boolean; moved: number | null }> => {
  const handle = moveTaskOf(job)?.params.taskHandle;
  if (handle === undefined) throw new RedriveError('JOB_NOT_FOUND', `Job ${job.id} is not a message move task.`, { context: { jobId: job.id } });
  const { moves } = backendWithMoves(deps, job.queue);
  const before = await refreshMoveTask(deps, job.id);
  if (before.task?.status !== 'RUNNING') return { ...before, cancelled: false, moved: null };
  const moved = await moves.cancel(handle);
  await deps.store.updateJob(job.id, { status: 'cancelled', progress: { ...before.job.progress, done: moved }, updatedAt: deps.clock.now() });
  return { ...(await refreshMoveTask(deps, job.id)), cancelled: true, moved };
};
