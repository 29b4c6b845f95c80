// `/dlq replay <queue> <id> [--to topic]`: sends one message back (an edited body if given), or, for a
// Kafka queue without a replay topic, first asks to confirm the original topic. Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { replayMessage, type ReplayOutcome } from '../../../app/messages/replay-message.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { RedriveError } from '../../../errors.ts';
import { renderReplayConfirmation } from '../replies/framework-replies.ts';
import { renderReplayed } from '../replies/replay-replies.ts';
import { textOptions, type QueueOperationsOptions } from './command-options.ts';

export const createReplayCommand = (deps: QueueDeps, options: QueueOperationsOptions): Pick<OperationHandlers, 'replay'> => ({
  replay: async (command, ctx) => {
    const editedBody = command.body ?? options.bodyEdit ?? null;
    let outcome: ReplayOutcome;
    try {
      outcome = await replayMessage(deps, { queue: command.queue, id: command.id, actor: ctx.actor, editedBody, confirmedDestination: command.to ?? null });
    } catch (error) {
      // No replay topic and not (or wrongly) confirmed: nothing was sent; ask, naming the original topic.
      if (!(error instanceof RedriveError) || error.code !== 'DLQ_REPLAY_UNCONFIRMED' || typeof error.context.destination !== 'string') throw error;
      return renderReplayConfirmation(command.queue, String(error.context.messageId ?? command.id), error.context.destination, {
        edited: editedBody !== null,
        inTerminal: ctx.transport === 'cli',
        keys: textOptions(deps).redactKeys,
      });
    }
    return renderReplayed(command.queue, outcome, deps.registry.get(command.queue).kind);
  },
});
