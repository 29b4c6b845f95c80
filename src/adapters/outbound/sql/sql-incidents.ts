// Incidents, their events, alert deliveries and depth samples over a SqlDriver. Uniqueness (one open
// incident per queue, one alert per dedup key) is enforced by the database, not by read-then-write,
// so it holds across connections and replicas.

import { RedriveError, isRedriveError } from '../../../errors.ts';
import type { AlertRecord, DepthSample, Incident, IncidentEvent, IncidentPatch, IncidentStatus, NewIncident } from '../../../core/model.ts';
import type { OpenIncidentResult, UpdateResult } from '../../../ports/store.port.ts';
import type { SqlDriver, SqlParam } from './sql-driver.ts';
import {
  ALERT_COLUMNS,
  DEPTH_COLUMNS,
  EVENT_COLUMNS,
  INCIDENT_COLUMNS,
  jsonParam,
  nullable,
  toAlert,
  toDepthSample,
  toIncident,
  toIncidentEvent,
} from './sql-rows.ts';

/** A row can be resolved between our failed insert and our read; a few rounds settle it. */
const OPEN_ATTEMPTS = 5;

export const openIncident = async (db: SqlDriver, input: NewIncident): Promise<OpenIncidentResult> => {
  for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt += 1) {
    const inserted = await db.all(
      `INSERT INTO incidents (${INCIDENT_COLUMNS})
       VALUES (?, ?, 'open', ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, ?, ?, 1)
       ON CONFLICT (queue) WHERE status = 'open' DO NOTHING
       RETURNING ${INCIDENT_COLUMNS}`,
      [input.id, input.queue, input.level, input.openedAt, input.openedAt, input.peakDepth, input.alertState, jsonParam(input.data)],
    );
    if (inserted[0]) return { created: true, incident: toIncident(inserted[0]) };
    const existing = await findOpenIncident(db, input.queue);
    if (existing) return { created: false, incident: existing };
  }
  throw new RedriveError('STORE_CONFLICT', `Could not open an incident for queue ${input.queue}: it kept changing.`, {
    context: { queue: input.queue, incidentId: input.id },
  });
};

export const getIncident = async (db: SqlDriver, id: string): Promise<Incident | null> => {
  const [row] = await db.all(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ?`, [id]);
  return row ? toIncident(row) : null;
};

export const findOpenIncident = async (db: SqlDriver, queue: string): Promise<Incident | null> => {
  const [row] = await db.all(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE queue = ? AND status = 'open'`, [queue]);
  return row ? toIncident(row) : null;
};

/** Newest first. */
export const listIncidents = async (
  db: SqlDriver,
  filter: { queue?: string; status?: IncidentStatus; limit?: number },
  defaultLimit: number,
): Promise<Incident[]> => {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.queue !== undefined) {
    where.push('queue = ?');
    params.push(filter.queue);
  }
  if (filter.status !== undefined) {
    where.push('status = ?');
    params.push(filter.status);
  }
  params.push(filter.limit ?? defaultLimit);
  const rows = await db.all(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY opened_at DESC, id DESC LIMIT ?`,
    params,
  );
  return rows.map(toIncident);
};

const PATCH_COLUMNS: { [K in keyof Required<IncidentPatch>]: { column: string; param: (value: IncidentPatch[K]) => SqlParam } } = {
  status: { column: 'status', param: (v) => v ?? null },
  level: { column: 'level', param: (v) => v ?? null },
  levelSince: { column: 'level_since', param: (v) => nullable(v) },
  resolvedAt: { column: 'resolved_at', param: (v) => nullable(v) },
  acknowledgedBy: { column: 'acknowledged_by', param: (v) => nullable(v) },
  acknowledgedAt: { column: 'acknowledged_at', param: (v) => nullable(v) },
  lastNotifiedAt: { column: 'last_notified_at', param: (v) => nullable(v) },
  slackChannel: { column: 'slack_channel', param: (v) => nullable(v) },
  slackTs: { column: 'slack_ts', param: (v) => nullable(v) },
  peakDepth: { column: 'peak_depth', param: (v) => nullable(v) },
  alertState: { column: 'alert_state', param: (v) => v ?? null },
  data: { column: 'data', param: (v) => jsonParam(v) },
};

export const updateIncident = async (
  db: SqlDriver,
  id: string,
  expectedVersion: number,
  patch: IncidentPatch,
): Promise<UpdateResult<Incident>> => {
  const sets: string[] = [];
  const params: SqlParam[] = [];
  for (const key of Object.keys(PATCH_COLUMNS) as (keyof IncidentPatch)[]) {
    if (patch[key] === undefined) continue;
    const spec = PATCH_COLUMNS[key] as { column: string; param: (value: unknown) => SqlParam };
    sets.push(`${spec.column} = ?`);
    params.push(spec.param(patch[key]));
  }
  sets.push('version = version + 1');
  try {
    const [row] = await db.all(
      `UPDATE incidents SET ${sets.join(', ')} WHERE id = ? AND version = ? RETURNING ${INCIDENT_COLUMNS}`,
      [...params, id, expectedVersion],
    );
    if (row) return { ok: true, value: toIncident(row) };
  } catch (error) {
    // Reopening while the queue already has another open incident breaks the one-open-per-queue index.
    if (isRedriveError(error) && error.code === 'STORE_CONFLICT') return { ok: false, reason: 'conflict' };
    throw error;
  }
  const exists = await db.all('SELECT version FROM incidents WHERE id = ?', [id]);
  return { ok: false, reason: exists.length > 0 ? 'conflict' : 'not-found' };
};

export const appendIncidentEvent = async (db: SqlDriver, event: Omit<IncidentEvent, 'id'>): Promise<IncidentEvent> => {
  try {
    const [row] = await db.all(
      `INSERT INTO incident_events (incident_id, at, kind, data) VALUES (?, ?, ?, ?) RETURNING ${EVENT_COLUMNS}`,
      [event.incidentId, event.at, event.kind, jsonParam(event.data)],
    );
    return toIncidentEvent(row!);
  } catch (error) {
    if (isRedriveError(error) && error.code === 'STORE_NOT_FOUND') {
      throw new RedriveError('STORE_NOT_FOUND', `Incident ${event.incidentId} does not exist.`, {
        context: { incidentId: event.incidentId },
        cause: error,
      });
    }
    throw error;
  }
};

/** Oldest first; events at the same instant keep their insertion order. */
export const listIncidentEvents = async (db: SqlDriver, incidentId: string): Promise<IncidentEvent[]> => {
  const rows = await db.all(`SELECT ${EVENT_COLUMNS} FROM incident_events WHERE incident_id = ? ORDER BY at, id`, [incidentId]);
  return rows.map(toIncidentEvent);
};

export const recordAlert = async (db: SqlDriver, alert: AlertRecord): Promise<'recorded' | 'duplicate'> => {
  const rows = await db.all(
    `INSERT INTO alerts (${ALERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dedup_key) DO NOTHING RETURNING dedup_key`,
    [alert.dedupKey, alert.source, alert.queue, alert.name, alert.state, alert.receivedAt, jsonParam(alert.details)],
  );
  return rows.length > 0 ? 'recorded' : 'duplicate';
};

/** Newest first. */
export const listAlerts = async (
  db: SqlDriver,
  filter: { queue?: string; since?: Date; limit?: number },
  defaultLimit: number,
): Promise<AlertRecord[]> => {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.queue !== undefined) {
    where.push('queue = ?');
    params.push(filter.queue);
  }
  if (filter.since !== undefined) {
    where.push('received_at >= ?');
    params.push(filter.since);
  }
  params.push(filter.limit ?? defaultLimit);
  const rows = await db.all(
    `SELECT ${ALERT_COLUMNS} FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY received_at DESC, dedup_key DESC LIMIT ?`,
    params,
  );
  return rows.map(toAlert);
};

export const addDepthSample = async (db: SqlDriver, sample: DepthSample): Promise<void> => {
  await db.run(`INSERT INTO depth_samples (${DEPTH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
    sample.queue,
    sample.at,
    sample.depth,
    nullable(sample.inFlight),
    nullable(sample.delayed),
    nullable(sample.oldestAgeSeconds),
  ]);
};

/** Oldest first, at >= since and < until. */
export const listDepthSamples = async (db: SqlDriver, queue: string, range: { since: Date; until?: Date }): Promise<DepthSample[]> => {
  const params: SqlParam[] = [queue, range.since];
  if (range.until !== undefined) params.push(range.until);
  const rows = await db.all(
    `SELECT ${DEPTH_COLUMNS} FROM depth_samples WHERE queue = ? AND at >= ? ${range.until === undefined ? '' : 'AND at < ?'}
     ORDER BY at, id`,
    params,
  );
  return rows.map(toDepthSample);
};

export const pruneDepthSamples = (db: SqlDriver, olderThan: Date): Promise<number> =>
  db.run('DELETE FROM depth_samples WHERE at < ?', [olderThan]);
