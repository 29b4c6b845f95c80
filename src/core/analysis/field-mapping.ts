// Configurable mapping from arbitrary DLQ message bodies to the fields the runbooks talk about (trace
// id, error category, final error, retry count, URL, ...). Pure: a body that is not a JSON object
// or lacks fields never throws, it maps to nulls and is shown raw.

import { asCount, asText, hostOf, jsonShape, parseTimestamp, typeName } from './field-values.ts';
import { recogniseFramework, type FrameworkAttribute, type FrameworkMetadata } from './framework-metadata/recognise-framework.ts';
import { compilePath, getPath, hasPath, isRawJson, parsePreservingNumbers, setPath, stringifyPreservingNumbers, type CompiledPath } from './json-path.ts';

/** One dotted JSON path, or candidate paths tried in order (the first usable value wins). */
export type FieldPath = string | readonly string[];

export interface FieldMapping {
  traceId: FieldPath;
  errorCategory: FieldPath;
  /** The final error text shown as "Error Information". */
  errorText: FieldPath;
  /** Exception class / error code (Lambda `errorType`), used to tell code errors apart. */
  errorType: FieldPath;
  retryCount: FieldPath;
  url: FieldPath;
  eventType: FieldPath;
  destinationPath: FieldPath;
  failedAt: FieldPath;
  createdAt: FieldPath;
  jobId: FieldPath;
  /** Taken from the body when mapped, else derived from the URL's host. */
  domain: FieldPath;
}

export type FieldName = keyof FieldMapping;

/**
 * Defaults for the Kafka runbook's download pipeline (`FailedDownloadMessage`: trace_id,
 * attachment_url, original_task{event_type, destination_path, retry_count, original_timestamp},
 * final_error, error_category, retry_count, failed_at), with camelCase, snake_case and SQS/Lambda
 * alternates (`job_id`, `errorMessage`, `responsePayload.errorMessage`...).
 */
export const DEFAULT_FIELD_MAPPING: FieldMapping = {
  traceId: ['trace_id', 'traceId', 'original_task.trace_id', 'originalTask.traceId', 'correlation_id', 'correlationId', 'event_id', 'eventId', 'x-trace-id'],
  errorCategory: ['error_category', 'errorCategory', 'error.category', 'category', 'failure_category', 'failureCategory'],
  errorText: [
    'final_error', 'finalError', 'error_message', 'errorMessage', 'error.message', 'error.final_error', 'error.error_message',
    'error.detail', 'error', 'last_error', 'lastError', 'original_task.metadata.last_error', 'responsePayload.errorMessage',
    'failure_reason', 'failureReason', 'reason', 'exception', 'Cause', 'cause',
  ],
  errorType: ['error_type', 'errorType', 'error.type', 'error.name', 'error.code', 'responsePayload.errorType', 'exception_type', 'Error'],
  retryCount: [
    'retry_count', 'retryCount', 'error.retry_count', 'retries', 'retry_attempt', 'retryAttempt', 'attempts', 'attempt',
    'original_task.retry_count', 'originalTask.retryCount', 'metadata.retry_count',
  ],
  url: [
    'attachment_url', 'attachmentUrl', 'url', 'download_url', 'downloadUrl', 'source_url', 'sourceUrl', 'file_url', 'fileUrl',
    'original_task.attachment_url', 'original_task.url', 'originalTask.attachmentUrl', 'originalTask.url', 'task.url', 'payload.url',
  ],
  eventType: [
    'event_type', 'eventType', 'original_task.event_type', 'originalTask.eventType', 'job_type', 'jobType', 'task_type', 'taskType',
    'detail-type', 'type',
  ],
  destinationPath: [
    'destination_path', 'destinationPath', 'original_task.destination_path', 'originalTask.destinationPath', 'blob_path', 'blobPath',
    'original_task.blob_path', 'output_path', 'outputPath', 'destination',
  ],
  failedAt: ['failed_at', 'failedAt', 'error.failed_at', 'error.timestamp', 'dlq_timestamp', 'dlqTimestamp', 'failure_time', 'failureTime', 'original_failure_time', 'timestamp'],
  createdAt: [
    'original_task.original_timestamp', 'originalTask.originalTimestamp', 'original_timestamp', 'originalTimestamp', 'created_at', 'createdAt',
    'original_task.created_at', 'enqueued_at', 'submitted_at', 'event_time',
  ],
  jobId: ['job_id', 'jobId', 'original_task.job_id', 'task_id', 'taskId'],
  domain: ['domain', 'metadata.domain', 'original_task.metadata.domain', 'source_domain'],
};

export const FIELD_NAMES = Object.keys(DEFAULT_FIELD_MAPPING) as FieldName[];

/**
 * Applies a per-queue override (the config's `fieldMapping`) to the defaults: a configured field
 * replaces that field's candidates entirely. Unknown field names are returned for the config
 * loader to report; they are otherwise ignored.
 */
export const resolveFieldMapping = (
  overrides: Readonly<Record<string, FieldPath>> | null | undefined,
  base: FieldMapping = DEFAULT_FIELD_MAPPING,
): { mapping: FieldMapping; unknownFields: string[] } => {
  const mapping: FieldMapping = { ...base };
  const unknownFields: string[] = [];
  for (const [name, path] of Object.entries(overrides ?? {})) {
    if ((FIELD_NAMES as string[]).includes(name)) mapping[name as FieldName] = path;
    else unknownFields.push(name);
  }
  return { mapping, unknownFields };
};

export type ErrorCategory = 'permanent' | 'transient' | (string & {});
export type RetryCountSource = 'body' | 'header' | 'receive-count';

export interface MappedMessage {
  /** 'json' only for a JSON object; anything else (not JSON, an array, a string) is 'raw'. */
  parsed: 'json' | 'raw';
  json: Record<string, unknown> | null;
  traceId: string | null;
  /** Lower-cased and trimmed; the runbook's values are 'permanent' and 'transient'. */
  errorCategory: ErrorCategory | null;
  errorText: string | null;
  errorType: string | null;
  retryCount: number | null;
  retryCountSource: RetryCountSource | null;
  url: string | null;
  domain: string | null;
  eventType: string | null;
  destinationPath: string | null;
  /** From the body, else when the message entered the DLQ (fallback.enqueuedAt). */
  failedAt: Date | null;
  createdAt: Date | null;
  jobId: string | null;
  /** Stable JSON shape: `{error:object,retry_count:number,trace_id:string,url:string}`, or `raw`. */
  shape: string;
  /**
   * Failure metadata a framework wrote (Kafka Connect, Spring Kafka, Lambda, EventBridge, SNS envelope),
   * when `mapDlqMessage` recognised one; its error, type and retry count then take precedence over the body's.
   */
  framework?: FrameworkMetadata | null;
}

export interface MappingFallback {
  /** Not read by the mapping; accepted so a caller can pass a message's fields as they are. */
  messageKey?: string;
  enqueuedAt?: Date | null;
  receiveCount?: number | null;
  /** SQS system attributes or Kafka headers: consulted by each candidate path as a literal name. */
  attributes?: Readonly<Record<string, string>>;
}

const candidates = (path: FieldPath): readonly string[] => (typeof path === 'string' ? [path] : path);

type CompiledMapping = Record<FieldName, readonly CompiledPath[]>;
// Paths are split once per mapping object, not once per message (a scan maps millions).
const compiledMappings = new WeakMap<FieldMapping, CompiledMapping>();
const compileMapping = (mapping: FieldMapping): CompiledMapping => {
  let compiled = compiledMappings.get(mapping);
  if (!compiled) {
    const entries = FIELD_NAMES.map((field) => [field, candidates(mapping[field]).map(compilePath)] as const);
    compiled = Object.fromEntries(entries) as unknown as CompiledMapping;
    compiledMappings.set(mapping, compiled);
  }
  return compiled;
};

/**
 * Cap for id-like labels that are grouped and shown (error type, event type). Trace ids and job ids
 * are never cut: `view <id>` must match an id of any length exactly (the store indexes a digest).
 */
const MAX_ID_LENGTH = 256;

const parseBody = (body: string): { json: Record<string, unknown> | null; shape: string } => {
  const text = body.trimStart();
  if (!text.startsWith('{') && !text.startsWith('[') && !text.startsWith('"')) return { json: null, shape: 'raw' };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const json = value as Record<string, unknown>;
      return { json, shape: jsonShape(json) };
    }
    return { json: null, shape: `json:${typeName(value)}` };
  } catch {
    return { json: null, shape: 'raw' };
  }
};

/**
 * Maps a message body through `mapping`. Each field takes the first candidate path whose value is
 * usable (a string for text fields, a count for retryCount, a date for timestamps); a candidate
 * that is missing or of the wrong type is skipped. Fields absent from the body are then looked up
 * in `fallback.attributes` (Kafka headers) by the same candidate names; retryCount falls back to
 * the SQS receive count, failedAt to the time the message entered the DLQ. Never throws.
 */
export const mapMessage = (body: string, mapping: FieldMapping = DEFAULT_FIELD_MAPPING, fallback: MappingFallback = {}): MappedMessage => {
  const { json, shape } = parseBody(body);
  const attributes = fallback.attributes ?? {};
  const compiled = compileMapping(mapping);
  const hasAttributes = Object.keys(attributes).length > 0;

  const pick = <T>(field: FieldName, convert: (value: unknown) => T | null): { value: T | null; from: 'body' | 'header' | null } => {
    const paths = compiled[field];
    if (json) {
      for (const path of paths) {
        const value = convert(getPath(json, path));
        if (value !== null) return { value, from: 'body' };
      }
    }
    if (!hasAttributes) return { value: null, from: null };
    for (const { path } of paths) {
      if (!Object.hasOwn(attributes, path)) continue;
      const value = convert(attributes[path]);
      if (value !== null) return { value, from: 'header' };
    }
    return { value: null, from: null };
  };
  const text = (field: FieldName, max?: number): string | null => pick(field, (value) => asText(value, max)).value;

  const retry = pick('retryCount', asCount);
  let retryCount = retry.value;
  let retryCountSource: RetryCountSource | null = retry.from;
  if (retryCount === null) {
    const received = fallback.receiveCount ?? asCount(attributes.ApproximateReceiveCount);
    if (received !== null && received !== undefined) {
      retryCount = received;
      retryCountSource = 'receive-count';
    }
  }

  const url = text('url');
  const category = text('errorCategory', 64);
  return {
    parsed: json ? 'json' : 'raw',
    json,
    traceId: text('traceId'),
    errorCategory: category === null ? null : category.toLowerCase(),
    errorText: text('errorText'),
    errorType: text('errorType', MAX_ID_LENGTH),
    retryCount,
    retryCountSource,
    url,
    domain: text('domain', 253)?.toLowerCase() ?? (url === null ? null : hostOf(url)),
    eventType: text('eventType', MAX_ID_LENGTH),
    destinationPath: text('destinationPath'),
    failedAt: pick('failedAt', parseTimestamp).value ?? fallback.enqueuedAt ?? null,
    createdAt: pick('createdAt', parseTimestamp).value,
    jobId: text('jobId'),
    shape,
  };
};

/**
 * The parts of a DLQ message the mapping reads. The port's `DlqMessage` fits it; it is declared here
 * so the core does not import from the ports layer.
 */
export interface MessageEnvelope {
  messageKey: string;
  body: string;
  attributes: Readonly<Record<string, string>>;
  enqueuedAt: Date | null;
  receiveCount: number | null;
  /** SQS message attributes (the Lambda and EventBridge dead-letter shapes are recognised by them). */
  messageAttributes?: Readonly<Record<string, FrameworkAttribute>>;
}

/** The framework's account of the failure wins over the body's: the body is the original event or record. */
const withFramework = (mapped: MappedMessage, framework: FrameworkMetadata): MappedMessage => {
  const retryFromFramework = framework.retryCount !== null && mapped.retryCountSource !== 'body';
  return {
    ...mapped,
    errorText: framework.errorMessage ?? mapped.errorText,
    errorType: framework.errorType ?? mapped.errorType,
    retryCount: retryFromFramework ? framework.retryCount : mapped.retryCount,
    retryCountSource: retryFromFramework ? 'header' : mapped.retryCountSource,
    framework,
  };
};

/**
 * `mapMessage` with the message's own attributes, receive count and DLQ entry time as fallback. The
 * framework that wrote the message (core/analysis/framework-metadata: Kafka Connect and Spring Kafka
 * headers, AWS dead-letter shapes) is recognised first: an SNS envelope's inner Message is mapped
 * instead of the envelope, and the framework's exception or error fields fill the result.
 */
export const mapDlqMessage = (message: MessageEnvelope, mapping: FieldMapping = DEFAULT_FIELD_MAPPING): MappedMessage => {
  const framework = recogniseFramework(message);
  const mapped = mapMessage(framework?.payload ?? message.body, mapping, {
    messageKey: message.messageKey,
    enqueuedAt: message.enqueuedAt,
    receiveCount: message.receiveCount,
    attributes: message.attributes,
  });
  return framework ? withFramework(mapped, framework) : mapped;
};

/**
 * Returns the body with its retry count set to `value` (Kafka replay: "retry count reset to 0").
 * Every retry-count candidate present in the body is set (the envelope's `retry_count` and
 * `original_task.retry_count` alike); when none is present, the first candidate is created.
 * Raw bodies, non-object JSON and unwritable paths come back unchanged. Numbers keep their text.
 */
export const setRetryCount = (body: string, mapping: FieldMapping, value: number): string => {
  let root: unknown;
  try {
    root = parsePreservingNumbers(body);
  } catch {
    return body;
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return body;
  const object = root as Record<string, unknown>;
  const paths = candidates(mapping.retryCount);
  // Only paths holding a count: an `attempts` array of attempt records is not a retry count.
  const present = paths.filter((path) => {
    const current = getPath(object, path);
    return current === null || asCount(current) !== null || isRawJson(current);
  });
  const targets = present.length > 0 ? present : paths.filter((path) => !hasPath(object, path)).slice(0, 1);
  let changed = false;
  for (const path of targets) {
    const keepString = typeof getPath(object, path) === 'string';
    changed = setPath(object, path, keepString ? String(value) : value) || changed;
  }
  return changed ? stringifyPreservingNumbers(object) : body;
};
