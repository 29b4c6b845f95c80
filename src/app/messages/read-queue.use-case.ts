// Read-only queue use cases: status (with growth from stored depth samples), peek (indexing what it
// saw) and view (index first, then a scan). None of them consumes or deletes a message.

import { ALL_QUEUES, type QueueScope } from '../shared/queue-visibility.ts';
import { RedriveError } from '../../errors.ts';
import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import { audited } from '../shared/audit-trail.ts';
import { indexEntryFor, traceIdOf } from '../shared/message-identity.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { readStatus, type StatusView } from '../shared/queue-status.ts';

/** One queue, or (queue null) every queue `scope` lets the actor view. */
export const queueStatus = async (deps: QueueDeps, queue: string | null, actor: string, scope: QueueScope = ALL_QUEUES): Promise<StatusView[]> => {
  const backends = queue === null ? deps.registry.list().filter((b) => scope.mayView(b.name)) : [deps.registry.get(queue)];
  return audited(deps, { action: 'status', queue, actor }, async () => {
    const views: StatusView[] = [];
    for (const backend of backends) views.push(await readStatus(deps, backend));
    return views;
  }, (views) => ({ depths: Object.fromEntries(views.map((v) => [v.status.queue, v.status.depth])) }));
};

const byAge = (a: DlqMessage, b: DlqMessage): number => (a.enqueuedAt?.getTime() ?? 0) - (b.enqueuedAt?.getTime() ?? 0);

export const peekMessages = async (deps: QueueDeps, queue: string, count: number, actor: string): Promise<DlqMessage[]> => {
  const backend = deps.registry.get(queue);
  return audited(deps, { action: 'peek', queue, actor, details: { count } }, async () => {
    const messages = (await backend.dlq.peek({ limit: count, timeoutMs: 10_000 })).sort(byAge);
    const now = deps.clock.now();
    if (messages.length > 0) await deps.store.upsertMessageIndex(messages.map((m) => indexEntryFor(m, now, backend.mapping)));
    return messages;
  }, (messages) => ({ returned: messages.length }));
};

/**
 * Finds one message by message key or trace id: the index first; then, where the DLQ can look a
 * trace id up itself (Kafka: the whole retained topic), the key and that lookup; else a scan. Trace
 * ids are read through the queue's field mapping. When a trace id is in the topic more than once
 * (a replayed message that came back), the newest unresolved copy is the one returned, else the newest.
 */
export const findMessage = async (deps: QueueDeps, backend: QueueBackend, id: string): Promise<DlqMessage | null> => {
  const indexed = await deps.store.findIndexedMessage(backend.name, id);
  if (indexed) {
    const direct = await backend.dlq.get(indexed.messageKey, { timeoutMs: 10_000 });
    // A trace id indexed to a copy since resolved may have come back: ask the DLQ again (Kafka).
    const stale = direct !== null && backend.dlq.findByTraceId !== undefined && indexed.traceId === id && (await deps.store.getResolution(backend.name, direct.messageKey)) !== null;
    if (direct && !stale) return direct;
  }
  const traceOf = (message: DlqMessage) => traceIdOf(message, backend.mapping);
  if (backend.dlq.findByTraceId) {
    const byKey = await backend.dlq.get(id, { timeoutMs: 10_000 });
    if (byKey) return byKey;
    const matches = await backend.dlq.findByTraceId(id, { traceIdOf: traceOf, timeoutMs: 30_000, limit: 100 });
    for (const message of [...matches].reverse()) {
      if (!(await deps.store.getResolution(backend.name, message.messageKey))) return message;
    }
    return matches[matches.length - 1] ?? null;
  }
  for await (const message of backend.dlq.scan({ timeoutMs: 30_000 })) {
    if (message.messageKey === id || traceOf(message) === id) return message;
  }
  return null;
};

export const notFound = (queue: string, id: string): RedriveError =>
  new RedriveError('DLQ_MESSAGE_NOT_FOUND', `No message "${id}" in ${queue}.`, { context: { queue, messageId: id } });

export const viewMessage = async (deps: QueueDeps, queue: string, id: string, actor: string): Promise<DlqMessage> => {
  const backend = deps.registry.get(queue);
  return audited(deps, { action: 'view', queue, actor, messageId: id }, async () => {
    const message = await findMessage(deps, backend, id);
    if (!message) throw notFound(queue, id);
    await deps.store.upsertMessageIndex([indexEntryFor(message, deps.clock.now(), backend.mapping)]);
    return message;
  });
};
