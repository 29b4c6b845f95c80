// Renders the outcome of resolving one message (`resolve`): archived or recorded, then deleted (SQS)
// or its offset committed (Kafka), with the outcome as the reply's data. Pure.

import type { ResolveOutcome } from '../../../app/messages/resolve-message.use-case.ts';
import { withData, type Reply } from '../block-kit/blocks.ts';
import { renderDone } from './queue-replies.ts';

export const renderResolved = (outcome: ResolveOutcome, reason: string | null, kind: 'sqs' | 'kafka'): Reply => {
  const kafka = kind === 'kafka';
  const effect = kafka
    ? outcome.removed ? "the consumer group's offset committed up to the lowest unresolved one" : `offset not committed yet (${outcome.removeError ?? 'unknown'}); the next resolve retries`
    : outcome.removed ? 'deleted from the DLQ' : `not deleted (${outcome.removeError ?? 'unknown'})`;
  return withData(renderDone(`Resolved ${outcome.message.messageKey}: ${kafka ? 'recorded as resolved' : 'archived'}, ${effect}`, [
    ['message', outcome.message.messageKey],
    ['reason', reason],
    ['archived before', outcome.alreadyResolved ? 'yes' : 'no'],
  ]), { messageKey: outcome.message.messageKey, reason, alreadyResolved: outcome.alreadyResolved, removed: outcome.removed, removeError: outcome.removeError });
};
