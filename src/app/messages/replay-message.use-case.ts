// Replay of one message: send a copy, delete only after the destination accepted it; re-execute through
// Step Functions is the same with the state machine as destination. A failed step leaves the message in the DLQ.

import { RedriveError } from '../../errors.ts';
import type { JsonObject } from '../../core/model.ts';
import type { CheckedOutMessage, DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { ReplayTarget } from '../../ports/replay-target.port.ts';
import { audited, type ActionInput } from '../shared/audit-trail.ts';
import { indexEntryFor, replayFingerprints } from '../shared/message-identity.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { checkoutOne, describeMessage } from './held-message.ts';

export interface ReplayOutcome {
  message: DlqMessage;
  destination: string;
  destinationId: string | null;
  /** False when the copy was accepted but the DLQ delete failed (it may be replayed again later). */
  removed: boolean;
  removeError: string | null;
}

/** An edited body must be valid JSON before anything is sent. */
export const validateEditedBody = (body: string): string => {
  try {
    JSON.parse(body);
  } catch (error) {
    throw new RedriveError('DLQ_BODY_INVALID', `The edited body is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  return body;
};

/** Sends one held message to a target; releases it on any failure, removes it only after acceptance. */
export const sendHeld = async (
  deps: QueueDeps,
  backend: QueueBackend,
  held: CheckedOutMessage,
  target: ReplayTarget,
  options: { actor: string; body: string; jobId: string | null },
): Promise<ReplayOutcome> => {
  let sent;
  try {
    sent = await target.send([{ source: held.message, body: options.body, actor: options.actor, jobId: options.jobId }]);
  } catch (error) {
    await backend.dlq.release([held]);
    throw error;
  }
  // A per-message destination (the original topic) is named in the outcome and the replay record.
  const perMessage = target.destinationOf?.(held.message) ?? null;
  const destination = perMessage === null ? target.description : `${perMessage} (original topic)`;
  const accepted = sent.accepted[0];
  if (!accepted) {
    await backend.dlq.release([held]);
    const failure = sent.failed[0];
    throw new RedriveError('DLQ_REPLAY_FAILED', `${target.description} refused message ${held.message.messageKey}: ${failure?.error ?? 'no answer'}.`, {
      context: { queue: backend.name, messageId: held.message.messageKey },
      retriable: failure?.retriable ?? true,
    });
  }
  await deps.store.recordReplay({
    queue: backend.name,
    messageKey: held.message.messageKey,
    fingerprints: replayFingerprints(held.message, backend.mapping, accepted.destinationId),
    jobId: options.jobId,
    replayedBy: options.actor,
    replayedAt: deps.clock.now(),
    destination,
  });
  let removed = false;
  let removeError: string | null = null;
  if (backend.dlq.replayRemovesMessage) {
    const result = await backend.dlq.remove([held]);
    removed = result.removed.includes(held.message.messageKey);
    removeError = result.failed[0]?.error ?? null;
  } else {
    await backend.dlq.release([held]);
  }
  return { message: held.message, destination, destinationId: accepted.destinationId, removed, removeError };
};

const outcomeDetails = (outcome: ReplayOutcome): JsonObject => ({
  destination: outcome.destination,
  destinationId: outcome.destinationId,
  removed: outcome.removed,
  removeError: outcome.removeError,
});

/**
 * Where a message's replay goes when the queue picks the destination per message (Kafka without a
 * replay topic: the original topic); undefined when the queue has one fixed destination.
 */
export const replayDestinations = async (backend: QueueBackend): Promise<((message: DlqMessage) => string | null) | undefined> => {
  if (backend.kind !== 'kafka') return undefined;
  const target = await backend.replayTarget();
  return target.destinationOf ? (message) => target.destinationOf?.(message) ?? null : undefined;
};

export interface ReplayRequest {
  queue: string;
  id: string;
  actor: string;
  /** A replacement body (already read from a file or modal); must be valid JSON. */
  editedBody?: string | null;
  /** `reexecute` sends to the queue's Step Functions state machine instead of its replay target. */
  via?: 'replay' | 'reexecute';
  /**
   * The destination the operator confirmed. Required when the target picks it per message (Kafka with
   * no replayTopic: the original topic the headers name); must equal it, else nothing is sent.
   */
  confirmedDestination?: string | null;
}

/** A per-message destination must be named by the message and confirmed by the operator; releases the message otherwise. */
const checkDestination = async (backend: QueueBackend, held: CheckedOutMessage, target: ReplayTarget, confirmed: string | null): Promise<void> => {
  if (!target.destinationOf) {
    // A fixed destination needs no confirmation; one that names another place must not be ignored.
    if (confirmed === null || target.description.endsWith(`:${confirmed}`)) return;
    await backend.dlq.release([held]);
    throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', `${backend.name} replays to ${target.description}, not ${confirmed}: --to only confirms the original topic of a queue without a replay topic; leave it out.`, {
      context: { queue: backend.name, messageId: held.message.messageKey },
    });
  }
  const destination = target.destinationOf(held.message);
  const context = { queue: backend.name, messageId: held.message.messageKey, ...(destination === null ? {} : { destination }) };
  if (destination === null) {
    await backend.dlq.release([held]);
    throw new RedriveError('DLQ_REPLAY_NO_DESTINATION', `${backend.name} has no replay topic configured and message ${held.message.messageKey} names no original topic (no Kafka Connect or Spring Kafka headers).`, { context });
  }
  if (confirmed !== destination) {
    await backend.dlq.release([held]);
    const asked = confirmed ? ` (you confirmed ${confirmed})` : '';
    throw new RedriveError('DLQ_REPLAY_UNCONFIRMED', `${backend.name} has no replay topic configured: message ${held.message.messageKey} would go back to ${destination}, the original topic its headers name${asked}.`, { context });
  }
};

export const replayMessage = async (deps: QueueDeps, request: ReplayRequest): Promise<ReplayOutcome> => {
  const backend = deps.registry.get(request.queue);
  const via = request.via ?? 'replay';
  const action: ActionInput = { action: via, queue: request.queue, actor: request.actor, messageId: request.id, details: { edited: Boolean(request.editedBody) } };
  return audited(deps, action, async (input) => {
    const editedBody = request.editedBody === undefined || request.editedBody === null ? null : validateEditedBody(request.editedBody);
    const target = via === 'reexecute' ? await backend.reexecuteTarget() : await backend.replayTarget();
    if (!target) {
      const why = backend.kind === 'kafka' ? `${request.queue} is a Kafka topic: re-execute is for SQS queues behind Step Functions; use replay.` : `${request.queue} has no Step Functions state machine configured (stateMachineArn in the config).`;
      throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', why, { context: { queue: request.queue } });
    }
    const held = await checkoutOne(deps, backend, request.id);
    describeMessage(input, held.message, backend);
    await checkDestination(backend, held, target, request.confirmedDestination ?? null);
    await deps.store.upsertMessageIndex([indexEntryFor(held.message, deps.clock.now(), backend.mapping)]);
    return sendHeld(deps, backend, held, target, { actor: request.actor, body: editedBody ?? held.message.body, jobId: null });
  }, outcomeDetails);
};
