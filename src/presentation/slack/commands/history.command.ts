// `/dlq history <queue> [--hours N]`: the queue's depth over time and what was done to it.
// Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { queueHistory } from '../../../app/messages/history.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderHistory } from '../replies/history-replies.ts';

export const createHistoryCommand = (deps: QueueDeps): Pick<OperationHandlers, 'history'> => ({
  history: async (command, ctx) => {
    const history = await queueHistory(deps, { queue: command.queue, hours: command.hours, actor: ctx.actor });
    return withData(renderHistory(history), history);
  },
});
