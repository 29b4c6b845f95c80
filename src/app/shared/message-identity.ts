// How the app layer recognises a DLQ message again: body hash, replay fingerprints and the message
// index entry written whenever a message is seen (peek, view, replay), so `view <trace id>` works.
// The trace id comes from the queue's field mapping (core/analysis/field-mapping), the same one the
// analyzer and the replies read, so a configured `fieldMapping.traceId` applies everywhere.

import { createHash } from 'node:crypto';
import { DEFAULT_FIELD_MAPPING, mapDlqMessage, type FieldMapping } from '../../core/analysis/field-mapping.ts';
import type { JsonObject, MessageIndexEntry } from '../../core/model.ts';
import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';

export const bodyHash = (body: string): string => `sha256:${createHash('sha256').update(body).digest('hex')}`;

/**
 * The message's trace id through `mapping` (body first, then Kafka headers); without one, its job id
 * (the SQS runbook's bodies carry `job_id`). Null for raw bodies without either.
 */
export const traceIdOf = (message: DlqMessage, mapping: FieldMapping = DEFAULT_FIELD_MAPPING): string | null => {
  const mapped = mapDlqMessage(message, mapping);
  return mapped.traceId ?? mapped.jobId;
};

export const parseJsonObject = (text: string): JsonObject | null => {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
};

/** Trace ids longer than this are fingerprinted by their SHA-256: fingerprints are index keys. */
const FINGERPRINT_TRACE_MAX = 256;

/**
 * Message id, trace id and body hash, and the id the destination gave the copy (`copy:`, SQS: the
 * copy keeps that message id when the source's redrive policy moves it back to the DLQ): any one
 * matching later means "this message came back".
 */
export const replayFingerprints = (message: DlqMessage, mapping?: FieldMapping, copyId?: string | null): string[] => {
  const trace = traceIdOf(message, mapping);
  const traceKey = trace === null ? null : trace.length > FINGERPRINT_TRACE_MAX ? `sha256:${createHash('sha256').update(trace).digest('hex')}` : trace;
  return [`key:${message.messageKey}`, ...(traceKey ? [`trace:${traceKey}`] : []), bodyHash(message.body), ...(copyId ? [`copy:${copyId}`] : [])];
};

/** What a DLQ message is looked up by to find the replay it returns from: its fingerprints, and its key as a copy's id. */
export const returnFingerprints = (message: DlqMessage, mapping?: FieldMapping): string[] => [...replayFingerprints(message, mapping), `copy:${message.messageKey}`];

/** A URL without its query and fragment: presigned signatures and tokens never reach the store. */
const urlWithoutQuery = (url: string | null): string | null => {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return null;
  }
};

/**
 * The index entry, with the mapped fields the weekly report counts (error category, retry count,
 * domain, URL without query) so `/dlq report` never re-reads the queue.
 */
export const indexEntryFor = (message: DlqMessage, at: Date, mapping: FieldMapping = DEFAULT_FIELD_MAPPING): MessageIndexEntry => {
  const mapped = mapDlqMessage(message, mapping);
  return {
    queue: message.queue,
    messageKey: message.messageKey,
    traceId: mapped.traceId ?? mapped.jobId,
    partition: message.partition,
    offset: message.offset,
    bodyHash: bodyHash(message.body),
    firstSeenAt: message.enqueuedAt ?? at,
    lastSeenAt: at,
    summary: {
      receiveCount: message.receiveCount,
      groupId: message.groupId,
      bytes: Buffer.byteLength(message.body),
      errorCategory: mapped.errorCategory,
      retryCount: mapped.retryCount,
      domain: mapped.domain,
      url: urlWithoutQuery(mapped.url),
    },
  };
};
