// Domain types shared by the core, the ports and the adapters. Plain data only: no behaviour, no I/O.

export type QueueKind = 'sqs' | 'kafka';

/** Incident levels, ordered: OK < L1 warning < L2 critical < L3 page. */
export type Level = 'OK' | 'L1' | 'L2' | 'L3';
export const LEVELS: readonly Level[] = ['OK', 'L1', 'L2', 'L3'];
export const levelRank = (level: Level): number => LEVELS.indexOf(level);
export const maxLevel = (a: Level, b: Level): Level => (levelRank(a) >= levelRank(b) ? a : b);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type IncidentStatus = 'open' | 'resolved';
export type AlertState = 'firing' | 'ok' | 'none';

export interface Incident {
  id: string;
  queue: string;
  status: IncidentStatus;
  level: Level;
  /** When the current level was entered. */
  levelSince: Date;
  openedAt: Date;
  resolvedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  lastNotifiedAt: Date | null;
  /** Parent message in the queue's alert channel, once posted. */
  slackChannel: string | null;
  slackTs: string | null;
  peakDepth: number;
  alertState: AlertState;
  /** Free-form counters and details (source alarm, replayed/resolved counts...). */
  data: JsonObject;
  /** Optimistic-concurrency version, incremented on every update. */
  version: number;
}

export interface NewIncident {
  id: string;
  queue: string;
  level: Level;
  openedAt: Date;
  alertState: AlertState;
  peakDepth: number;
  data?: JsonObject;
}

export type IncidentPatch = Partial<
  Pick<
    Incident,
    | 'status'
    | 'level'
    | 'levelSince'
    | 'resolvedAt'
    | 'acknowledgedBy'
    | 'acknowledgedAt'
    | 'lastNotifiedAt'
    | 'slackChannel'
    | 'slackTs'
    | 'peakDepth'
    | 'alertState'
    | 'data'
  >
>;

export interface IncidentEvent {
  id: number;
  incidentId: string;
  at: Date;
  /** e.g. 'opened', 'level-changed', 'alert', 'action', 'job-result', 'acknowledged', 'resolved'. */
  kind: string;
  data: JsonObject;
}

export interface DepthSample {
  queue: string;
  at: Date;
  /** Messages waiting (SQS ApproximateNumberOfMessages; Kafka lag minus resolved). */
  depth: number;
  inFlight?: number | null;
  delayed?: number | null;
  oldestAgeSeconds?: number | null;
}

/** What Redrive knows about a DLQ message it has seen, to find it again by id or trace id. */
export interface MessageIndexEntry {
  queue: string;
  /** SQS MessageId, or `<partition>:<offset>` for Kafka. */
  messageKey: string;
  traceId: string | null;
  partition: number | null;
  offset: string | null;
  bodyHash: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Mapped fields (error category, URL, ...) for reports without re-reading the queue. */
  summary: JsonObject;
}

/**
 * A message taken out of service: SQS resolve keeps body and attributes here before deleting it;
 * Kafka resolve marks partition/offset here before committing.
 */
export interface Resolution {
  queue: string;
  messageKey: string;
  traceId: string | null;
  partition: number | null;
  offset: string | null;
  body: string | null;
  attributes: JsonObject;
  resolvedBy: string;
  reason: string | null;
  resolvedAt: Date;
}

/** A copy sent downstream, remembered so a message coming back to the DLQ is recognised. */
export interface ReplayRecord {
  queue: string;
  messageKey: string;
  /** Trace id, message id and body hash: any of them matching means "came back". */
  fingerprints: string[];
  jobId: string | null;
  replayedBy: string;
  replayedAt: Date;
  destination: string;
}

/** `redrive-approval`: a bulk replay awaiting a second person's Approve (issue 14); it runs nothing itself. */
export type JobKind = 'redrive-all' | 'redrive-batch' | 'resolve-batch' | 'bulk-replay' | 'monitor' | 're-execute' | 'redrive-approval' | 'replay-watch';
export type JobStatus = 'pending' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  total: number | null;
  done: number;
  failed: number;
}

export interface Job {
  id: string;
  kind: JobKind;
  queue: string;
  status: JobStatus;
  params: JsonObject;
  progress: JobProgress;
  checkpoint: JsonObject;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  incidentId: string | null;
  error: string | null;
  /** The Slack thread a job started from Slack reports in, so whichever replica runs it posts there. */
  thread: JobThread | null;
}

/** Where a job reports in Slack: the thread, its start message (with Cancel) and its progress reply. */
export interface JobThread {
  channel: string;
  threadTs: string;
  startTs: string | null;
  progressTs: string | null;
}

export type NewJob = Pick<Job, 'id' | 'kind' | 'queue' | 'params' | 'createdBy' | 'createdAt'> & {
  incidentId?: string | null;
  total?: number | null;
};

export type JobPatch = Partial<Pick<Job, 'status' | 'progress' | 'checkpoint' | 'error' | 'updatedAt' | 'thread'>>;

/** Per-message state inside one job, so a resumed job never replays a message twice. */
export type JobItemStatus = 'claimed' | 'sent' | 'done' | 'failed';

export interface JobItem {
  jobId: string;
  itemKey: string;
  status: JobItemStatus;
  error: string | null;
  updatedAt: Date;
}

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditRecordInput {
  at: Date;
  action: string;
  queue: string | null;
  messageId: string | null;
  traceId: string | null;
  partition: number | null;
  offset: string | null;
  /** Slack user id, or `cli:<os user>` for the terminal, or `system`. */
  actor: string;
  result: AuditResult;
  error: string | null;
  incidentId: string | null;
  jobId?: string | null;
  details?: JsonObject;
}

export interface AuditRecord extends AuditRecordInput {
  id: number;
  jobId: string | null;
  details: JsonObject;
}

export interface AuditQuery {
  /** One record by its id. */
  id?: number;
  queue?: string;
  /** Matches message id, trace id, incident id or job id exactly. */
  ref?: string;
  actor?: string;
  action?: string;
  since?: Date;
  limit?: number;
}

export type AlertSource = 'sns' | 'alertmanager' | 'poller';

export interface AlertRecord {
  /** Stable identity of one delivery's content (SNS MessageId; Alertmanager fingerprint+status+startsAt). */
  dedupKey: string;
  source: AlertSource;
  queue: string;
  name: string;
  state: 'firing' | 'ok';
  receivedAt: Date;
  details: JsonObject;
}

export interface Lease {
  name: string;
  holder: string;
  expiresAt: Date;
}

/** A `/dlq monitor` kept in the store, so the poller's replica runs it and a restart carries it on. */
export interface StoredMonitor {
  queue: string;
  intervalSeconds: number;
  /** Where the readings go: a Slack channel and the thread under which they are posted (null: nowhere). */
  channel: string | null;
  threadTs: string | null;
  startedBy: string;
  startedAt: Date;
  /** When the last reading was taken; the next one is due an interval later. */
  lastReadingAt: Date | null;
}
