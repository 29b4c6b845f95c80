// Resolve of one message: archive its body and attributes in the store, then delete it from the DLQ
// (Kafka: commit the offset up to the lowest unresolved). A failed archive leaves the message in the DLQ.

import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import { audited, type ActionInput } from '../shared/audit-trail.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { checkoutOne, describeMessage } from './held-message.ts';
import { resolutionOf } from '../shared/resolution-archive.ts';

export interface ResolveOutcome {
  message: DlqMessage;
  alreadyResolved: boolean;
  removed: boolean;
  removeError: string | null;
}

export const resolveMessage = async (deps: QueueDeps, request: { queue: string; id: string; actor: string; reason: string | null }): Promise<ResolveOutcome> => {
  const backend = deps.registry.get(request.queue);
  const action: ActionInput = { action: 'resolve', queue: request.queue, actor: request.actor, messageId: request.id, details: { reason: request.reason } };
  return audited(deps, action, async (input) => {
    const held = await checkoutOne(deps, backend, request.id);
    describeMessage(input, held.message, backend);
    const message = held.message;
    let recorded;
    try {
      recorded = await deps.store.recordResolution(resolutionOf(backend, message, { actor: request.actor, reason: request.reason, at: deps.clock.now() }));
    } catch (error) {
      await backend.dlq.release([held]);
      throw error;
    }
    const result = await backend.dlq.remove([held]);
    return {
      message,
      alreadyResolved: recorded === 'already-resolved',
      removed: result.removed.includes(message.messageKey),
      removeError: result.failed[0]?.error ?? null,
    };
  }, (outcome) => ({ removed: outcome.removed, removeError: outcome.removeError, alreadyResolved: outcome.alreadyResolved }));
};
