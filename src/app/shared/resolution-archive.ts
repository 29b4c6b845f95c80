// The store's archive as the "destination" of a resolve: the record kept for a resolved message (body,
// attributes, who, why, when), and a ReplayTarget that archives instead of sending, so a bulk resolve
// (resolve-batch) runs on the manual redrive job's machine: checkpoint, rate, cancel, resume, takeover.
// It never touches the DLQ: the job deletes (SQS) or commits (Kafka) only after the archive accepted.

import type { JsonObject, Resolution } from '../../core/model.ts';
import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { ReplayTarget, SendResult } from '../../ports/replay-target.port.ts';
import { traceIdOf } from './message-identity.ts';
import type { QueueDeps } from './queue-deps.ts';

/** A binary (not UTF-8) key or value is archived as base64 beside its lossy text, so the archive keeps the bytes. */
const binaryArchive = (message: DlqMessage): JsonObject => {
  const out: JsonObject = {};
  if (message.bytes?.value) out.valueBase64 = Buffer.from(message.bytes.value).toString('base64');
  if (message.bytes?.key) out.keyBase64 = Buffer.from(message.bytes.key).toString('base64');
  return out;
};

/** What the archive keeps of a resolved message: enough to replay it by hand later (binary bytes too). */
export const resolutionOf = (
  backend: Pick<QueueBackend, 'name' | 'mapping'>,
  message: DlqMessage,
  who: { actor: string; reason: string | null; at: Date },
): Resolution => ({
  queue: backend.name,
  messageKey: message.messageKey,
  traceId: traceIdOf(message, backend.mapping),
  partition: message.partition,
  offset: message.offset,
  body: message.body,
  attributes: { attributes: message.attributes, messageAttributes: message.messageAttributes as unknown as JsonObject, groupId: message.groupId, ...binaryArchive(message) },
  resolvedBy: who.actor,
  reason: who.reason,
  resolvedAt: who.at,
});

/** Accepts a message once its resolution is in the store (recorded now, or already there). */
export const archiveTarget = (deps: Pick<QueueDeps, 'store' | 'clock'>, backend: Pick<QueueBackend, 'name' | 'mapping'>, reason: string | null): ReplayTarget => ({
  description: 'archive (Redrive store)',
  send: async (messages) => {
    const result: SendResult = { accepted: [], failed: [] };
    for (const outgoing of messages) {
      try {
        await deps.store.recordResolution(resolutionOf(backend, outgoing.source, { actor: outgoing.actor, reason, at: deps.clock.now() }));
        result.accepted.push({ messageKey: outgoing.source.messageKey, destinationId: null });
      } catch (error) {
        result.failed.push({ messageKey: outgoing.source.messageKey, error: `not archived: ${error instanceof Error ? error.message : String(error)}`, retriable: true });
      }
    }
    return result;
  },
});
