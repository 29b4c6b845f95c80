// The bulk /dlq operations: `redrive-all` (move task or manual job, a canary first if configured),
// `redrive-batch`, `resolve-batch` and `resume`. Each calls one use case and renders the job's end.

import type { OperationHandlers } from './dlq-router.ts';
import { resumeRedriveJob } from '../../../app/jobs/redrive-job.ts';
import { progressFor, redriveAll, runManualJob } from '../../../app/jobs/redrive.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { renderJobOutcome, renderMoveTaskStarted } from '../replies/job-summary-replies.ts';
import { jobListeners, manualJobSettings, type QueueOperationsOptions } from './command-options.ts';

export const createRedriveCommands = (deps: QueueDeps, options: QueueOperationsOptions): Pick<OperationHandlers, 'redrive-all' | 'redrive-batch' | 'resolve-batch' | 'resume'> => {
  const kindOf = (queue: string) => deps.registry.get(queue).kind;
  return {
    'redrive-all': async (command, ctx) => {
      const outcome = await redriveAll(deps, { queue: command.queue, ratePerSecond: command.rate, actor: ctx.actor, canary: command.canary }, manualJobSettings(options), jobListeners(options));
      if (outcome.kind === 'move-task') return renderMoveTaskStarted(command.queue, outcome.view);
      return renderJobOutcome(command.queue, outcome.result, kindOf(command.queue));
    },
    'redrive-batch': async (command, ctx) => {
      const request = { queue: command.queue, kind: 'redrive-batch' as const, actor: ctx.actor, count: command.count, ratePerSecond: command.rate, filter: command.filter ?? null, resolve: null, canary: command.canary };
      return renderJobOutcome(command.queue, await runManualJob(deps, request, manualJobSettings(options), jobListeners(options)), kindOf(command.queue));
    },
    'resolve-batch': async (command, ctx) => {
      const resolve = { reason: command.reason, replayedBefore: command.replayedBefore };
      const request = { queue: command.queue, kind: 'resolve-batch' as const, actor: ctx.actor, count: command.count, ratePerSecond: command.rate, filter: command.filter ?? null, resolve };
      return renderJobOutcome(command.queue, await runManualJob(deps, request, manualJobSettings(options), jobListeners(options)), kindOf(command.queue));
    },
    resume: async (command, ctx) => {
      const result = await resumeRedriveJob(deps, { queue: command.queue, jobId: command.jobId, actor: ctx.actor }, progressFor(options.jobProgress, command.jobId, command.queue));
      return renderJobOutcome(command.queue, result, kindOf(command.queue));
    },
  };
};
