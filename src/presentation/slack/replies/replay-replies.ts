// Renders the outcome of replaying one message (`replay`) or re-executing it through Step Functions
// (`re-execute`), with the outcome as the reply's data. Pure; the confirmation asked before a replay to
// the original topic is framework-replies' renderReplayConfirmation.

import type { ReplayOutcome } from '../../../app/messages/replay-message.use-case.ts';
import { withData, type Reply } from '../block-kit/blocks.ts';
import { renderDone } from './queue-replies.ts';

const outcomeData = (outcome: ReplayOutcome) => ({
  messageKey: outcome.message.messageKey,
  destination: outcome.destination,
  destinationId: outcome.destinationId,
  removed: outcome.removed,
  removeError: outcome.removeError,
});

const removedText = (outcome: ReplayOutcome): string => (outcome.removed ? 'yes' : `no${outcome.removeError ? ` (${outcome.removeError})` : ''}`);

export const renderReplayed = (queue: string, outcome: ReplayOutcome, kind: 'sqs' | 'kafka'): Reply => {
  const kafka = kind === 'kafka';
  const rows: [string, string | null][] = [
    ['message', outcome.message.messageKey],
    ['destination', outcome.destination],
    ['destination id', outcome.destinationId],
    // Kafka keeps a replayed record in the DLQ topic until it is resolved (the runbook's rule).
    kafka ? ['in the DLQ', 'yes, until resolved'] : ['removed from DLQ', removedText(outcome)],
  ];
  return withData(renderDone(`Replayed ${outcome.message.messageKey} to ${outcome.destination}`, rows, kafka ? `Resolve it once it was processed: \`resolve ${queue} ${outcome.message.messageKey}\`.` : undefined), outcomeData(outcome));
};

export const renderReexecuted = (outcome: ReplayOutcome): Reply =>
  withData(renderDone(`Re-executed ${outcome.message.messageKey} in ${outcome.destination}`, [
    ['message', outcome.message.messageKey],
    ['execution', outcome.destinationId],
    ['removed from DLQ', removedText(outcome)],
  ], 'Input: the body plus reprocessed: true and original_failure_time. The message was deleted only after StartExecution succeeded.'), outcomeData(outcome));
