// The Store port: everything Redrive remembers. SQLite (embedded) and PostgreSQL adapters must pass
// the same contract suite (test/contract/store.contract.ts). Adapters hold no business rules.

import type {
  AlertRecord,
  AuditQuery,
  AuditRecord,
  AuditRecordInput,
  DepthSample,
  Incident,
  IncidentEvent,
  IncidentPatch,
  IncidentStatus,
  Job,
  JobItem,
  JobItemStatus,
  JobPatch,
  JobStatus,
  JsonObject,
  Lease,
  MessageIndexEntry,
  NewIncident,
  NewJob,
  ReplayRecord,
  StoredMonitor,
  Resolution,
} from '../core/model.ts';

export type OpenIncidentResult = { created: true; incident: Incident } | { created: false; incident: Incident };
export type UpdateResult<T> = { ok: true; value: T } | { ok: false; reason: 'not-found' | 'conflict' };

/**
 * Guarantees every adapter gives:
 * - All methods are safe to call from several processes sharing one database (PostgreSQL replicas).
 * - Unique keys make idempotent writes: at most one open incident per queue, one alert per dedup key,
 *   one resolution per message, one claim per job item, one holder per lease.
 * - The audit log is append-only: there is no method to change or delete a record.
 * - Dates round-trip with millisecond precision.
 */
export interface Store {
  /** Applies pending migrations in order; returns the versions it applied (empty when up to date). */
  migrate(): Promise<number[]>;
  /** Cheap round trip used by /readyz; throws STORE_UNAVAILABLE when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Incidents
  /** Opens an incident unless the queue already has an open one, which is returned instead. */
  openIncident(input: NewIncident): Promise<OpenIncidentResult>;
  getIncident(id: string): Promise<Incident | null>;
  findOpenIncident(queue: string): Promise<Incident | null>;
  listIncidents(filter?: { queue?: string; status?: IncidentStatus; limit?: number }): Promise<Incident[]>;
  /** Applies the patch only if the stored version equals expectedVersion; bumps the version. */
  updateIncident(id: string, expectedVersion: number, patch: IncidentPatch): Promise<UpdateResult<Incident>>;
  appendIncidentEvent(event: Omit<IncidentEvent, 'id'>): Promise<IncidentEvent>;
  listIncidentEvents(incidentId: string): Promise<IncidentEvent[]>;

  // Alerts
  /** Records an alert delivery; 'duplicate' when its dedupKey was already recorded. */
  recordAlert(alert: AlertRecord): Promise<'recorded' | 'duplicate'>;
  listAlerts(filter: { queue?: string; since?: Date; limit?: number }): Promise<AlertRecord[]>;

  // Depth samples
  addDepthSample(sample: DepthSample): Promise<void>;
  /** Samples of a queue with at >= since (and < until when given), oldest first. */
  listDepthSamples(queue: string, range: { since: Date; until?: Date }): Promise<DepthSample[]>;
  /** Deletes samples older than the date; returns how many. */
  pruneDepthSamples(olderThan: Date): Promise<number>;

  // Message index, resolutions (archive) and replays
  upsertMessageIndex(entries: MessageIndexEntry[]): Promise<void>;
  /** By messageKey or traceId. */
  findIndexedMessage(queue: string, idOrTraceId: string): Promise<MessageIndexEntry | null>;
  /** Entries whose firstSeenAt (when the message entered the DLQ) is in [since, until), oldest first (default limit 10,000). */
  listIndexedMessages(queue: string, range: { since: Date; until?: Date; limit?: number }): Promise<MessageIndexEntry[]>;
  recordResolution(resolution: Resolution): Promise<'recorded' | 'already-resolved'>;
  getResolution(queue: string, messageKey: string): Promise<Resolution | null>;
  /** Kafka: resolutions of one partition at or after an offset, ascending by offset. */
  listResolutions(queue: string, filter?: { partition?: number; fromOffset?: string; since?: Date }): Promise<Resolution[]>;
  recordReplay(replay: ReplayRecord): Promise<void>;
  /** Replays of the queue any of whose fingerprints is in the list. */
  findReplays(queue: string, fingerprints: string[]): Promise<ReplayRecord[]>;
  listReplays(queue: string, filter?: { since?: Date; jobId?: string }): Promise<ReplayRecord[]>;

  // Jobs with checkpoints
  createJob(job: NewJob): Promise<Job>;
  getJob(id: string): Promise<Job | null>;
  listJobs(filter?: { queue?: string; status?: JobStatus[]; limit?: number }): Promise<Job[]>;
  updateJob(id: string, patch: JobPatch): Promise<Job>;
  /** True when this call claimed the item; false when the job already had it (in any status). */
  claimJobItem(jobId: string, itemKey: string, at: Date): Promise<boolean>;
  setJobItemStatus(jobId: string, itemKey: string, status: JobItemStatus, at: Date, error?: string | null): Promise<void>;
  listJobItems(jobId: string, status?: JobItemStatus): Promise<JobItem[]>;

  // Audit (append-only)
  appendAudit(record: AuditRecordInput): Promise<AuditRecord>;
  /** Newest first. */
  searchAudit(query: AuditQuery): Promise<AuditRecord[]>;

  // Idempotency keys (Slack retries, double clicks)
  /** True the first time a key is seen; false afterwards until it is pruned. */
  claimIdempotencyKey(key: string, at: Date, details?: JsonObject): Promise<boolean>;
  /** A claimed key: when, and the details its claim stored; null when never claimed (or pruned). */
  readIdempotencyKey(key: string): Promise<{ claimedAt: Date; details: JsonObject } | null>;
  pruneIdempotencyKeys(olderThan: Date): Promise<number>;

  // Leases (one replica runs the poller and timers)
  /** Takes the lease when free or expired, or renews it for its holder; false when another holds it. */
  acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  getLease(name: string): Promise<Lease | null>;

  // Monitors (`/dlq monitor`): at most one per queue
  /** Stores a monitor; false (nothing changed) when the queue already has one. */
  addMonitor(monitor: StoredMonitor): Promise<boolean>;
  getMonitor(queue: string): Promise<StoredMonitor | null>;
  /** Every stored monitor, by queue. */
  listMonitors(): Promise<StoredMonitor[]>;
  /** Records a reading; false when the monitor is gone (stopped). */
  noteMonitorReading(queue: string, at: Date): Promise<boolean>;
  /** Removes the queue's monitor; false when it had none. */
  removeMonitor(queue: string): Promise<boolean>;
}
