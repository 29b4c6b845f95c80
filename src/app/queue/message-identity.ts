// How the app layer recognises a DLQ message again: body hash, replay fingerprints and the message
// index entry written whenever a message is seen (peek, view, replay), so `view <trace id>` works.

import { createHash } from 'node:crypto';
import type { JsonObject, MessageIndexEntry } from '../../core/model.ts';
import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';

export const bodyHash = (body: string): string => `sha256:${createHash('sha256').update(body).digest('hex')}`;

/** A trace id pulled from a JSON body's usual fields; null for non-JSON bodies. */
export const traceIdOf = (message: DlqMessage, fields: readonly string[] = ['trace_id', 'traceId', 'job_id', 'jobId', 'id']): string | null => {
  const parsed = parseJsonObject(message.body);
  if (!parsed) return null;
  for (const field of fields) {
    const value = parsed[field];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return null;
};

export const parseJsonObject = (text: string): JsonObject | null => {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
};

/** Message id, trace id and body hash: any one matching later means "this message came back". */
export const replayFingerprints = (message: DlqMessage): string[] => {
  const trace = traceIdOf(message);
  return [`key:${message.messageKey}`, ...(trace ? [`trace:${trace}`] : []), bodyHash(message.body)];
};

export const indexEntryFor = (message: DlqMessage, at: Date): MessageIndexEntry => ({
  queue: message.queue,
  messageKey: message.messageKey,
  traceId: traceIdOf(message),
  partition: message.partition,
  offset: message.offset,
  bodyHash: bodyHash(message.body),
  firstSeenAt: message.enqueuedAt ?? at,
  lastSeenAt: at,
  summary: { receiveCount: message.receiveCount, groupId: message.groupId, bytes: Buffer.byteLength(message.body) },
});
