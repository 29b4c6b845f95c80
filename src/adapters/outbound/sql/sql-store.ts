// The Store port over any SqlDriver: the behaviour both SQLite and PostgreSQL adapters share. Each
// adapter supplies a driver (placeholders, type conversion, error translation) and its migrations;
// the SQL here is the common subset of both dialects (ON CONFLICT, RETURNING, NULLS FIRST).

import type { Clock } from '../../../ports/clock.port.ts';
import type { OpenIncidentResult, Store, UpdateResult } from '../../../ports/store.port.ts';
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
  Resolution,
  StoredMonitor,
} from '../../../core/model.ts';
import type { SqlDriver } from './sql-driver.ts';
import { runMigrations, type Migration, type MigrationDialect } from './sql-migrate.ts';
import * as incidents from './sql-incidents.ts';
import * as messages from './sql-messages.ts';
import * as jobs from './sql-jobs.ts';
import * as audit from './sql-audit.ts';
import * as monitors from './sql-monitors.ts';

/** Rows returned by list/search methods when the caller gives no limit. */
export const DEFAULT_LIST_LIMIT = 100;

export interface SqlStoreParts {
  driver: SqlDriver;
  migrations: readonly Migration[];
  dialect: MigrationDialect;
  clock: Clock;
}

export class SqlStore implements Store {
  readonly #db: SqlDriver;
  readonly #migrations: readonly Migration[];
  readonly #dialect: MigrationDialect;
  readonly #clock: Clock;

  constructor(parts: SqlStoreParts) {
    this.#db = parts.driver;
    this.#migrations = parts.migrations;
    this.#dialect = parts.dialect;
    this.#clock = parts.clock;
  }

  migrate(): Promise<number[]> {
    return runMigrations(this.#db, this.#migrations, this.#dialect, () => this.#clock.now());
  }
  async ping(): Promise<void> {
    await this.#db.all('SELECT 1 AS ok');
  }
  close(): Promise<void> {
    return this.#db.close();
  }

  openIncident(input: NewIncident): Promise<OpenIncidentResult> {
    return incidents.openIncident(this.#db, input);
  }
  getIncident(id: string): Promise<Incident | null> {
    return incidents.getIncident(this.#db, id);
  }
  findOpenIncident(queue: string): Promise<Incident | null> {
    return incidents.findOpenIncident(this.#db, queue);
  }
  listIncidents(filter: { queue?: string; status?: IncidentStatus; limit?: number } = {}): Promise<Incident[]> {
    return incidents.listIncidents(this.#db, filter, DEFAULT_LIST_LIMIT);
  }
  updateIncident(id: string, expectedVersion: number, patch: IncidentPatch): Promise<UpdateResult<Incident>> {
    return incidents.updateIncident(this.#db, id, expectedVersion, patch);
  }
  appendIncidentEvent(event: Omit<IncidentEvent, 'id'>): Promise<IncidentEvent> {
    return incidents.appendIncidentEvent(this.#db, event);
  }
  listIncidentEvents(incidentId: string): Promise<IncidentEvent[]> {
    return incidents.listIncidentEvents(this.#db, incidentId);
  }

  recordAlert(alert: AlertRecord): Promise<'recorded' | 'duplicate'> {
    return incidents.recordAlert(this.#db, alert);
  }
  listAlerts(filter: { queue?: string; since?: Date; limit?: number }): Promise<AlertRecord[]> {
    return incidents.listAlerts(this.#db, filter, DEFAULT_LIST_LIMIT);
  }

  addDepthSample(sample: DepthSample): Promise<void> {
    return incidents.addDepthSample(this.#db, sample);
  }
  listDepthSamples(queue: string, range: { since: Date; until?: Date }): Promise<DepthSample[]> {
    return incidents.listDepthSamples(this.#db, queue, range);
  }
  pruneDepthSamples(olderThan: Date): Promise<number> {
    return incidents.pruneDepthSamples(this.#db, olderThan);
  }

  upsertMessageIndex(entries: MessageIndexEntry[]): Promise<void> {
    return messages.upsertMessageIndex(this.#db, entries);
  }
  findIndexedMessage(queue: string, idOrTraceId: string): Promise<MessageIndexEntry | null> {
    return messages.findIndexedMessage(this.#db, queue, idOrTraceId);
  }
  listIndexedMessages(queue: string, range: { since: Date; until?: Date; limit?: number }): Promise<MessageIndexEntry[]> {
    return messages.listIndexedMessages(this.#db, queue, { ...range, limit: range.limit ?? 10_000 });
  }
  recordResolution(resolution: Resolution): Promise<'recorded' | 'already-resolved'> {
    return messages.recordResolution(this.#db, resolution);
  }
  getResolution(queue: string, messageKey: string): Promise<Resolution | null> {
    return messages.getResolution(this.#db, queue, messageKey);
  }
  listResolutions(queue: string, filter: { partition?: number; fromOffset?: string; since?: Date } = {}): Promise<Resolution[]> {
    return messages.listResolutions(this.#db, queue, filter);
  }
  recordReplay(replay: ReplayRecord): Promise<void> {
    return messages.recordReplay(this.#db, replay);
  }
  findReplays(queue: string, fingerprints: string[]): Promise<ReplayRecord[]> {
    return messages.findReplays(this.#db, queue, fingerprints);
  }
  listReplays(queue: string, filter: { since?: Date; jobId?: string } = {}): Promise<ReplayRecord[]> {
    return messages.listReplays(this.#db, queue, filter);
  }

  createJob(job: NewJob): Promise<Job> {
    return jobs.createJob(this.#db, job);
  }
  getJob(id: string): Promise<Job | null> {
    return jobs.getJob(this.#db, id);
  }
  listJobs(filter: { queue?: string; status?: JobStatus[]; limit?: number } = {}): Promise<Job[]> {
    return jobs.listJobs(this.#db, filter, DEFAULT_LIST_LIMIT);
  }
  updateJob(id: string, patch: JobPatch): Promise<Job> {
    return jobs.updateJob(this.#db, id, patch, this.#clock.now());
  }
  claimJobItem(jobId: string, itemKey: string, at: Date): Promise<boolean> {
    return jobs.claimJobItem(this.#db, jobId, itemKey, at);
  }
  setJobItemStatus(jobId: string, itemKey: string, status: JobItemStatus, at: Date, error: string | null = null): Promise<void> {
    return jobs.setJobItemStatus(this.#db, jobId, itemKey, status, at, error);
  }
  listJobItems(jobId: string, status?: JobItemStatus): Promise<JobItem[]> {
    return jobs.listJobItems(this.#db, jobId, status);
  }

  appendAudit(record: AuditRecordInput): Promise<AuditRecord> {
    return audit.appendAudit(this.#db, record);
  }
  searchAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return audit.searchAudit(this.#db, query, DEFAULT_LIST_LIMIT);
  }

  claimIdempotencyKey(key: string, at: Date, details?: JsonObject): Promise<boolean> {
    return audit.claimIdempotencyKey(this.#db, key, at, details);
  }
  readIdempotencyKey(key: string): Promise<{ claimedAt: Date; details: JsonObject } | null> {
    return audit.readIdempotencyKey(this.#db, key);
  }
  pruneIdempotencyKeys(olderThan: Date): Promise<number> {
    return audit.pruneIdempotencyKeys(this.#db, olderThan);
  }

  acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    return audit.acquireLease(this.#db, name, holder, now, ttlMs);
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return audit.releaseLease(this.#db, name, holder);
  }
  getLease(name: string): Promise<Lease | null> {
    return audit.getLease(this.#db, name);
  }

  addMonitor(monitor: StoredMonitor): Promise<boolean> {
    return monitors.addMonitor(this.#db, monitor);
  }
  getMonitor(queue: string): Promise<StoredMonitor | null> {
    return monitors.getMonitor(this.#db, queue);
  }
  listMonitors(): Promise<StoredMonitor[]> {
    return monitors.listMonitors(this.#db);
  }
  noteMonitorReading(queue: string, at: Date): Promise<boolean> {
    return monitors.noteMonitorReading(this.#db, queue, at);
  }
  removeMonitor(queue: string): Promise<boolean> {
    return monitors.removeMonitor(this.#db, queue);
  }
}
