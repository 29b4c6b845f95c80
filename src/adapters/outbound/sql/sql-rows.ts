// Row mappers and column lists shared by the SQL store's modules. They accept both drivers' raw
// types: SQLite gives epoch ms numbers and JSON text, PostgreSQL gives Dates, parsed JSONB and
// int8 as strings. Kafka offsets are read back through CAST(... AS TEXT) so int64 stays exact.

import { RedriveError } from '../../../errors.ts';
import type {
  AlertRecord,
  AuditRecord,
  DepthSample,
  Incident,
  IncidentEvent,
  Job,
  JobItem,
  JsonObject,
  MessageIndexEntry,
  ReplayRecord,
  Resolution,
} from '../../../core/model.ts';
import type { SqlParam, SqlRow } from './sql-driver.ts';

const date = (value: unknown): Date => (value instanceof Date ? new Date(value.getTime()) : new Date(Number(value)));
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const str = (value: unknown): string => String(value);
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const json = <T = JsonObject>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/** JSON columns are bound as text; PostgreSQL casts it to jsonb, SQLite keeps it. */
export const jsonParam = (value: unknown): string => JSON.stringify(value ?? {});

/** Kafka offsets are int64 decimal strings; bound as text, stored as integers so they sort numerically. */
export const offsetParam = (offset: string | null | undefined): string | null => {
  if (offset === null || offset === undefined) return null;
  if (!/^(0|[1-9][0-9]{0,18})$/.test(offset)) {
    throw new RedriveError('INTERNAL_ERROR', `Kafka offset "${offset.slice(0, 32)}" is not a non-negative integer.`);
  }
  return offset;
};

export const nullable = <T extends SqlParam>(value: T | null | undefined): T | null => value ?? null;

/** `?, ?, ?` for an IN list. */
export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

export const INCIDENT_COLUMNS =
  'id, queue, status, level, level_since, opened_at, resolved_at, acknowledged_by, acknowledged_at, last_notified_at, ' +
  'slack_channel, slack_ts, peak_depth, alert_state, data, version';

export const toIncident = (row: SqlRow): Incident => ({
  id: str(row.id),
  queue: str(row.queue),
  status: str(row.status) as Incident['status'],
  level: str(row.level) as Incident['level'],
  levelSince: date(row.level_since),
  openedAt: date(row.opened_at),
  resolvedAt: dateOrNull(row.resolved_at),
  acknowledgedBy: strOrNull(row.acknowledged_by),
  acknowledgedAt: dateOrNull(row.acknowledged_at),
  lastNotifiedAt: dateOrNull(row.last_notified_at),
  slackChannel: strOrNull(row.slack_channel),
  slackTs: strOrNull(row.slack_ts),
  peakDepth: num(row.peak_depth),
  alertState: str(row.alert_state) as Incident['alertState'],
  data: json(row.data),
  version: num(row.version),
});

export const EVENT_COLUMNS = 'id, incident_id, at, kind, data';

export const toIncidentEvent = (row: SqlRow): IncidentEvent => ({
  id: num(row.id),
  incidentId: str(row.incident_id),
  at: date(row.at),
  kind: str(row.kind),
  data: json(row.data),
});

export const ALERT_COLUMNS = 'dedup_key, source, queue, name, state, received_at, details';

export const toAlert = (row: SqlRow): AlertRecord => ({
  dedupKey: str(row.dedup_key),
  source: str(row.source) as AlertRecord['source'],
  queue: str(row.queue),
  name: str(row.name),
  state: str(row.state) as AlertRecord['state'],
  receivedAt: date(row.received_at),
  details: json(row.details),
});

export const DEPTH_COLUMNS = 'queue, at, depth, in_flight, delayed, oldest_age_seconds';

export const toDepthSample = (row: SqlRow): DepthSample => ({
  queue: str(row.queue),
  at: date(row.at),
  depth: num(row.depth),
  inFlight: numOrNull(row.in_flight),
  delayed: numOrNull(row.delayed),
  oldestAgeSeconds: numOrNull(row.oldest_age_seconds),
});

export const MESSAGE_COLUMNS =
  'queue, message_key, trace_id, kafka_partition, CAST(kafka_offset AS TEXT) AS offset_text, body_hash, first_seen_at, last_seen_at, summary';

export const toMessageIndexEntry = (row: SqlRow): MessageIndexEntry => ({
  queue: str(row.queue),
  messageKey: str(row.message_key),
  traceId: strOrNull(row.trace_id),
  partition: numOrNull(row.kafka_partition),
  offset: strOrNull(row.offset_text),
  bodyHash: str(row.body_hash),
  firstSeenAt: date(row.first_seen_at),
  lastSeenAt: date(row.last_seen_at),
  summary: json(row.summary),
});

export const RESOLUTION_COLUMNS =
  'queue, message_key, trace_id, kafka_partition, CAST(kafka_offset AS TEXT) AS offset_text, body, attributes, resolved_by, reason, resolved_at';

export const toResolution = (row: SqlRow): Resolution => ({
  queue: str(row.queue),
  messageKey: str(row.message_key),
  traceId: strOrNull(row.trace_id),
  partition: numOrNull(row.kafka_partition),
  offset: strOrNull(row.offset_text),
  body: strOrNull(row.body),
  attributes: json(row.attributes),
  resolvedBy: str(row.resolved_by),
  reason: strOrNull(row.reason),
  resolvedAt: date(row.resolved_at),
});

export const REPLAY_COLUMNS = 'id, queue, message_key, fingerprints, job_id, replayed_by, replayed_at, destination';

export const toReplay = (row: SqlRow): ReplayRecord => ({
  queue: str(row.queue),
  messageKey: str(row.message_key),
  fingerprints: json<string[]>(row.fingerprints),
  jobId: strOrNull(row.job_id),
  replayedBy: str(row.replayed_by),
  replayedAt: date(row.replayed_at),
  destination: str(row.destination),
});

export const JOB_COLUMNS =
  'id, kind, queue, status, params, progress_total, progress_done, progress_failed, checkpoint, created_by, created_at, updated_at, incident_id, error, slack_thread';

export const toJob = (row: SqlRow): Job => ({
  id: str(row.id),
  kind: str(row.kind) as Job['kind'],
  queue: str(row.queue),
  status: str(row.status) as Job['status'],
  params: json(row.params),
  progress: { total: numOrNull(row.progress_total), done: num(row.progress_done), failed: num(row.progress_failed) },
  checkpoint: json(row.checkpoint),
  createdBy: str(row.created_by),
  createdAt: date(row.created_at),
  updatedAt: date(row.updated_at),
  incidentId: strOrNull(row.incident_id),
  error: strOrNull(row.error),
  thread: row.slack_thread === null || row.slack_thread === undefined ? null : json<Job['thread']>(row.slack_thread),
});

export const JOB_ITEM_COLUMNS = 'job_id, item_key, status, error, updated_at';

export const toJobItem = (row: SqlRow): JobItem => ({
  jobId: str(row.job_id),
  itemKey: str(row.item_key),
  status: str(row.status) as JobItem['status'],
  error: strOrNull(row.error),
  updatedAt: date(row.updated_at),
});

export const AUDIT_COLUMNS =
  'id, at, action, queue, message_id, trace_id, kafka_partition, CAST(kafka_offset AS TEXT) AS offset_text, actor, result, error, incident_id, job_id, details';

export const toAuditRecord = (row: SqlRow): AuditRecord => ({
  id: num(row.id),
  at: date(row.at),
  action: str(row.action),
  queue: strOrNull(row.queue),
  messageId: strOrNull(row.message_id),
  traceId: strOrNull(row.trace_id),
  partition: numOrNull(row.kafka_partition),
  offset: strOrNull(row.offset_text),
  actor: str(row.actor),
  result: str(row.result) as AuditRecord['result'],
  error: strOrNull(row.error),
  incidentId: strOrNull(row.incident_id),
  jobId: strOrNull(row.job_id),
  details: json(row.details),
});

export const toIdempotencyKey = (row: SqlRow): { claimedAt: Date; details: JsonObject } => ({ claimedAt: date(row.claimed_at), details: json(row.details) });
