// `/dlq jobs [queue]` (the redrive jobs of every visible queue, or one queue's) and `/dlq cancel <job>`.
// Each calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { cancelJob, listJobViews } from '../../../app/jobs/jobs.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { ALL_QUEUES } from '../../../app/shared/queue-visibility.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderCancel, renderJobs } from '../replies/job-replies.ts';
import { jobData } from '../replies/reply-data.ts';
import { visibilityOf, withHiddenQueues, type QueueOperationsOptions } from './command-options.ts';

export const createJobsCommands = (deps: QueueDeps, options: QueueOperationsOptions): Pick<OperationHandlers, 'jobs' | 'cancel'> => ({
  jobs: async (command, ctx) => {
    const scope = command.queue === null ? await visibilityOf(options).scopeFor(ctx.actor) : ALL_QUEUES;
    const views = await listJobViews(deps, { queue: command.queue, actor: ctx.actor, scope });
    const data = { jobs: views.map((v) => ({ ...v, job: jobData(v.job) })) };
    return withData(withHiddenQueues(renderJobs(command.queue, views, deps.clock.now()), deps, scope), data);
  },
  cancel: async (command, ctx) => {
    const outcome = await cancelJob(deps, { jobId: command.jobId, actor: ctx.actor });
    return withData(renderCancel(outcome), { ...outcome, job: jobData(outcome.job) });
  },
});
