// `/dlq re-execute <queue> <id>`: starts the queue's Step Functions state machine with one message,
// deleting it only after StartExecution succeeded. Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { replayMessage } from '../../../app/messages/replay-message.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { renderReexecuted } from '../replies/replay-replies.ts';

export const createReExecuteCommand = (deps: QueueDeps): Pick<OperationHandlers, 're-execute'> => ({
  're-execute': async (command, ctx) => renderReexecuted(await replayMessage(deps, { queue: command.queue, id: command.id, actor: ctx.actor, via: 'reexecute' })),
});
