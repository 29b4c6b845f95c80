// An in-memory Store for app-layer tests that do not need a database. It keeps the port's unique-key
// rules (one claim per job item, one resolution per message, append-only audit); run it against
// test/contract/store.contract.ts before relying on it anywhere else.

import type {
  AlertRecord,
  AuditQuery,
  AuditRecord,
  AuditRecordInput,
  DepthSample,
  Incident,
  IncidentEvent,
  IncidentPatch,
  Job,
  JobItem,
  JobItemStatus,
  JobPatch,
  JsonObject,
  Lease,
  MessageIndexEntry,
  NewIncident,
  NewJob,
  ReplayRecord,
  Resolution,
} from '../../src/core/model.ts';
import type { OpenIncidentResult, Store, UpdateResult } from '../../src/ports/store.port.ts';
import { RedriveError } from '../../src/errors.ts';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements Store {
  readonly incidents = new Map<string, Incident>();
  readonly events: IncidentEvent[] = [];
  readonly alerts = new Map<string, AlertRecord>();
  readonly samples: DepthSample[] = [];
  readonly index = new Map<string, MessageIndexEntry>();
  readonly resolutions = new Map<string, Resolution>();
  readonly replays: ReplayRecord[] = [];
  readonly jobs = new Map<string, Job>();
  readonly items = new Map<string, JobItem>();
  readonly audit: AuditRecord[] = [];
  readonly keys = new Map<string, Date>();
  readonly leases = new Map<string, Lease>();

  async migrate(): Promise<number[]> {
    return [];
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}

  async openIncident(input: NewIncident): Promise<OpenIncidentResult> {
    const open = await this.findOpenIncident(input.queue);
    if (open) return { created: false, incident: open };
    const incident: Incident = {
      id: input.id, queue: input.queue, status: 'open', level: input.level, levelSince: input.openedAt, openedAt: input.openedAt,
      resolvedAt: null, acknowledgedBy: null, acknowledgedAt: null, lastNotifiedAt: null, slackChannel: null, slackTs: null,
      peakDepth: input.peakDepth, alertState: input.alertState, data: input.data ?? {}, version: 1,
    };
    this.incidents.set(incident.id, incident);
    return { created: true, incident: clone(incident) };
  }
  async getIncident(id: string): Promise<Incident | null> {
    const found = this.incidents.get(id);
    return found ? clone(found) : null;
  }
  async findOpenIncident(queue: string): Promise<Incident | null> {
    const found = [...this.incidents.values()].find((i) => i.queue === queue && i.status === 'open');
    return found ? clone(found) : null;
  }
  async listIncidents(filter: { queue?: string; status?: Incident['status']; limit?: number } = {}): Promise<Incident[]> {
    return [...this.incidents.values()]
      .filter((i) => (!filter.queue || i.queue === filter.queue) && (!filter.status || i.status === filter.status))
      .slice(0, filter.limit ?? 1000)
      .map(clone);
  }
  async updateIncident(id: string, expectedVersion: number, patch: IncidentPatch): Promise<UpdateResult<Incident>> {
    const found = this.incidents.get(id);
    if (!found) return { ok: false, reason: 'not-found' };
    if (found.version !== expectedVersion) return { ok: false, reason: 'conflict' };
    const next = { ...found, ...patch, version: found.version + 1 };
    this.incidents.set(id, next);
    return { ok: true, value: clone(next) };
  }
  async appendIncidentEvent(event: Omit<IncidentEvent, 'id'>): Promise<IncidentEvent> {
    const stored = { ...event, id: this.events.length + 1 };
    this.events.push(stored);
    return clone(stored);
  }
  async listIncidentEvents(incidentId: string): Promise<IncidentEvent[]> {
    return this.events.filter((e) => e.incidentId === incidentId).map(clone);
  }

  async recordAlert(alert: AlertRecord): Promise<'recorded' | 'duplicate'> {
    if (this.alerts.has(alert.dedupKey)) return 'duplicate';
    this.alerts.set(alert.dedupKey, clone(alert));
    return 'recorded';
  }
  async listAlerts(filter: { queue?: string; since?: Date; limit?: number }): Promise<AlertRecord[]> {
    return [...this.alerts.values()].filter((a) => (!filter.queue || a.queue === filter.queue) && (!filter.since || a.receivedAt >= filter.since)).slice(0, filter.limit ?? 1000);
  }

  async addDepthSample(sample: DepthSample): Promise<void> {
    this.samples.push(clone(sample));
  }
  async listDepthSamples(queue: string, range: { since: Date; until?: Date }): Promise<DepthSample[]> {
    return this.samples
      .filter((s) => s.queue === queue && s.at >= range.since && (!range.until || s.at < range.until))
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(clone);
  }
  async pruneDepthSamples(olderThan: Date): Promise<number> {
    const before = this.samples.length;
    const keep = this.samples.filter((s) => s.at >= olderThan);
    this.samples.splice(0, this.samples.length, ...keep);
    return before - keep.length;
  }

  async upsertMessageIndex(entries: MessageIndexEntry[]): Promise<void> {
    for (const entry of entries) {
      const key = `${entry.queue}\u0000${entry.messageKey}`;
      const existing = this.index.get(key);
      this.index.set(key, { ...clone(entry), firstSeenAt: existing?.firstSeenAt ?? entry.firstSeenAt });
    }
  }
  async findIndexedMessage(queue: string, idOrTraceId: string): Promise<MessageIndexEntry | null> {
    const found = [...this.index.values()].find((e) => e.queue === queue && (e.messageKey === idOrTraceId || e.traceId === idOrTraceId));
    return found ? clone(found) : null;
  }
  async recordResolution(resolution: Resolution): Promise<'recorded' | 'already-resolved'> {
    const key = `${resolution.queue}\u0000${resolution.messageKey}`;
    if (this.resolutions.has(key)) return 'already-resolved';
    this.resolutions.set(key, clone(resolution));
    return 'recorded';
  }
  async getResolution(queue: string, messageKey: string): Promise<Resolution | null> {
    const found = this.resolutions.get(`${queue}\u0000${messageKey}`);
    return found ? clone(found) : null;
  }
  async listResolutions(queue: string, filter: { partition?: number; fromOffset?: string; since?: Date } = {}): Promise<Resolution[]> {
    return [...this.resolutions.values()].filter(
      (r) => r.queue === queue && (filter.partition === undefined || r.partition === filter.partition) && (!filter.since || r.resolvedAt >= filter.since) && (filter.fromOffset === undefined || BigInt(r.offset ?? '0') >= BigInt(filter.fromOffset)),
    );
  }
  async recordReplay(replay: ReplayRecord): Promise<void> {
    this.replays.push(clone(replay));
  }
  async findReplays(queue: string, fingerprints: string[]): Promise<ReplayRecord[]> {
    return this.replays.filter((r) => r.queue === queue && r.fingerprints.some((f) => fingerprints.includes(f))).map(clone);
  }
  async listReplays(queue: string, filter: { since?: Date; jobId?: string } = {}): Promise<ReplayRecord[]> {
    return this.replays.filter((r) => r.queue === queue && (!filter.since || r.replayedAt >= filter.since) && (!filter.jobId || r.jobId === filter.jobId)).map(clone);
  }

  async createJob(job: NewJob): Promise<Job> {
    const stored: Job = {
      id: job.id, kind: job.kind, queue: job.queue, status: 'pending', params: clone(job.params), progress: { total: job.total ?? null, done: 0, failed: 0 },
      checkpoint: {}, createdBy: job.createdBy, createdAt: job.createdAt, updatedAt: job.createdAt, incidentId: job.incidentId ?? null, error: null,
    };
    this.jobs.set(job.id, stored);
    return clone(stored);
  }
  async getJob(id: string): Promise<Job | null> {
    const found = this.jobs.get(id);
    return found ? clone(found) : null;
  }
  async listJobs(filter: { queue?: string; status?: Job['status'][]; limit?: number } = {}): Promise<Job[]> {
    return [...this.jobs.values()].filter((j) => (!filter.queue || j.queue === filter.queue) && (!filter.status || filter.status.includes(j.status))).map(clone);
  }
  async updateJob(id: string, patch: JobPatch): Promise<Job> {
    const found = this.jobs.get(id);
    if (!found) throw new RedriveError('STORE_NOT_FOUND', `No job ${id}.`);
    const next = { ...found, ...clone(patch) };
    this.jobs.set(id, next);
    return clone(next);
  }
  async claimJobItem(jobId: string, itemKey: string, at: Date): Promise<boolean> {
    const key = `${jobId}\u0000${itemKey}`;
    if (this.items.has(key)) return false;
    this.items.set(key, { jobId, itemKey, status: 'claimed', error: null, updatedAt: at });
    return true;
  }
  async setJobItemStatus(jobId: string, itemKey: string, status: JobItemStatus, at: Date, error: string | null = null): Promise<void> {
    this.items.set(`${jobId}\u0000${itemKey}`, { jobId, itemKey, status, error, updatedAt: at });
  }
  async listJobItems(jobId: string, status?: JobItemStatus): Promise<JobItem[]> {
    return [...this.items.values()].filter((i) => i.jobId === jobId && (!status || i.status === status)).map(clone);
  }

  async appendAudit(record: AuditRecordInput): Promise<AuditRecord> {
    const stored: AuditRecord = { ...clone(record), id: this.audit.length + 1, jobId: record.jobId ?? null, details: clone(record.details ?? {}) };
    this.audit.push(stored);
    return clone(stored);
  }
  async searchAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.audit
      .filter(
        (r) =>
          (!query.queue || r.queue === query.queue) &&
          (!query.actor || r.actor === query.actor) &&
          (!query.action || r.action === query.action) &&
          (!query.since || r.at >= query.since) &&
          (!query.ref || [r.messageId, r.traceId, r.incidentId, r.jobId].includes(query.ref)),
      )
      .reverse()
      .slice(0, query.limit ?? 100)
      .map(clone);
  }

  async claimIdempotencyKey(key: string, at: Date, _details?: JsonObject): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.set(key, at);
    return true;
  }
  async pruneIdempotencyKeys(olderThan: Date): Promise<number> {
    let n = 0;
    for (const [key, at] of this.keys) if (at < olderThan && this.keys.delete(key)) n += 1;
    return n;
  }
  async acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const lease = this.leases.get(name);
    if (lease && lease.holder !== holder && lease.expiresAt > now) return false;
    this.leases.set(name, { name, holder, expiresAt: new Date(now.getTime() + ttlMs) });
    return true;
  }
  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }
  async getLease(name: string): Promise<Lease | null> {
    return this.leases.get(name) ?? null;
  }
}
