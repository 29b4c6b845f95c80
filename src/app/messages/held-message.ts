// Checking out the one message a person named (by key or trace id) for replay or resolve, and naming
// it in the audit record; no sending, archiving or deleting here.

import type { CheckedOutMessage, DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { ActionInput } from '../shared/audit-trail.ts';
import { traceIdOf } from '../shared/message-identity.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { findMessage, notFound } from './read-queue.use-case.ts';

export const checkoutOne = async (deps: QueueDeps, backend: QueueBackend, id: string): Promise<CheckedOutMessage> => {
  const indexed = await deps.store.findIndexedMessage(backend.name, id);
  let key = indexed?.messageKey ?? id;
  // Kafka reads are cheap and a trace id may have come back since it was indexed: always resolve it
  // (newest unresolved copy). SQS: only an id nobody peeked at yet, through a non-consuming scan.
  if (backend.dlq.findByTraceId || !indexed) key = (await findMessage(deps, backend, id))?.messageKey ?? id;
  // One message, asked for by a person: wait for it while a peek or a view holds it for a moment.
  const result = await backend.dlq.checkout([key], { timeoutMs: 15_000, waitWhileHeld: true });
  const held = result.found[0];
  if (!held) throw notFound(backend.name, id);
  return held;
};

export const describeMessage = (input: ActionInput, message: DlqMessage, backend: QueueBackend): void => {
  input.messageId = message.messageKey;
  input.traceId = traceIdOf(message, backend.mapping);
  input.partition = message.partition;
  input.offset = message.offset;
};
