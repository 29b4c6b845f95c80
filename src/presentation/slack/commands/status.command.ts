// `/dlq status [queue]`: every visible queue's depth and age (or one queue's), with Kafka partition lag.
// Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { queueStatus } from '../../../app/messages/read-queue.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { ALL_QUEUES } from '../../../app/shared/queue-visibility.ts';
import { withData } from '../block-kit/blocks.ts';
import { withPartitionLag } from '../replies/partition-lag-replies.ts';
import { renderStatus } from '../replies/queue-replies.ts';
import { visibilityOf, withHiddenQueues, type QueueOperationsOptions } from './command-options.ts';

export const createStatusCommand = (deps: QueueDeps, options: QueueOperationsOptions): Pick<OperationHandlers, 'status'> => ({
  status: async (command, ctx) => {
    const scope = command.queue === null ? await visibilityOf(options).scopeFor(ctx.actor) : ALL_QUEUES;
    const views = await queueStatus(deps, command.queue, ctx.actor, scope);
    return withData(withHiddenQueues(withPartitionLag(renderStatus(views), views), deps, scope), { queues: views });
  },
});
