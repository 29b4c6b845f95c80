// `/dlq resolve <queue> <id> [reason]`: archives one message as handled and removes it from the DLQ
// (Kafka: commits the offset). Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { resolveMessage } from '../../../app/messages/resolve-message.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { renderResolved } from '../replies/resolve-replies.ts';

export const createResolveCommand = (deps: QueueDeps): Pick<OperationHandlers, 'resolve'> => ({
  resolve: async (command, ctx) => {
    const outcome = await resolveMessage(deps, { queue: command.queue, id: command.id, actor: ctx.actor, reason: command.reason });
    return renderResolved(outcome, command.reason, deps.registry.get(command.queue).kind);
  },
});
