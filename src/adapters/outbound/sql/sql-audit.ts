// The append-only audit log, idempotency keys and leases over a SqlDriver. There is no update or
// delete of audit records here; the schema also refuses them with triggers. Leases are taken, renewed
// and stolen-after-expiry by one conditional upsert, so two replicas can never both hold one.

import type { AuditQuery, AuditRecord, AuditRecordInput, JsonObject, Lease } from '../../../core/model.ts';
import type { SqlDriver, SqlParam } from './sql-driver.ts';
import { AUDIT_COLUMNS, jsonParam, offsetParam, toAuditRecord, toIdempotencyKey } from './sql-rows.ts';

export const appendAudit = async (db: SqlDriver, r: AuditRecordInput): Promise<AuditRecord> => {
  const [row] = await db.all(
    `INSERT INTO audit_log (at, action, queue, message_id, trace_id, kafka_partition, kafka_offset, actor, result, error, incident_id, job_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${AUDIT_COLUMNS}`,
    [
      r.at,
      r.action,
      r.queue,
      r.messageId,
      r.traceId,
      r.partition,
      offsetParam(r.offset),
      r.actor,
      r.result,
      r.error,
      r.incidentId,
      r.jobId ?? null,
      jsonParam(r.details),
    ],
  );
  return toAuditRecord(row!);
};

/** Newest first (by time, then by id). */
export const searchAudit = async (db: SqlDriver, query: AuditQuery, defaultLimit: number): Promise<AuditRecord[]> => {
  const where: string[] = [];
  const params: SqlParam[] = [];
  const add = (clause: string, ...values: SqlParam[]): void => {
    where.push(clause);
    params.push(...values);
  };
  if (query.id !== undefined) add('id = ?', query.id);
  if (query.queue !== undefined) add('queue = ?', query.queue);
  if (query.ref !== undefined) add('(message_id = ? OR trace_id = ? OR incident_id = ? OR job_id = ?)', query.ref, query.ref, query.ref, query.ref);
  if (query.actor !== undefined) add('actor = ?', query.actor);
  if (query.action !== undefined) add('action = ?', query.action);
  if (query.since !== undefined) add('at >= ?', query.since);
  params.push(query.limit ?? defaultLimit);
  const rows = await db.all(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
    params,
  );
  return rows.map(toAuditRecord);
};

export const claimIdempotencyKey = async (db: SqlDriver, key: string, at: Date, details?: JsonObject): Promise<boolean> => {
  const rows = await db.all(
    'INSERT INTO idempotency_keys (idempotency_key, claimed_at, details) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key',
    [key, at, jsonParam(details)],
  );
  return rows.length > 0;
};

export const readIdempotencyKey = async (db: SqlDriver, key: string): Promise<{ claimedAt: Date; details: JsonObject } | null> => {
  const [row] = await db.all('SELECT claimed_at, details FROM idempotency_keys WHERE idempotency_key = ?', [key]);
  return row ? toIdempotencyKey(row) : null;
};

export const pruneIdempotencyKeys = (db: SqlDriver, olderThan: Date): Promise<number> =>
  db.run('DELETE FROM idempotency_keys WHERE claimed_at < ?', [olderThan]);

/** Inserts a free lease, or updates it only when the caller holds it or it has expired (expiresAt <= now). */
export const acquireLease = async (db: SqlDriver, name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> => {
  const rows = await db.all(
    `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
     RETURNING holder`,
    [name, holder, new Date(now.getTime() + ttlMs), now],
  );
  return rows.length > 0;
};

export const releaseLease = async (db: SqlDriver, name: string, holder: string): Promise<void> => {
  await db.run('DELETE FROM leases WHERE name = ? AND holder = ?', [name, holder]);
};

/** The stored lease, expired or not; null when nobody took it or it was released. */
export const getLease = async (db: SqlDriver, name: string): Promise<Lease | null> => {
  const [row] = await db.all('SELECT name, holder, expires_at FROM leases WHERE name = ?', [name]);
  if (!row) return null;
  const expires = row.expires_at;
  return { name: String(row.name), holder: String(row.holder), expiresAt: expires instanceof Date ? expires : new Date(Number(expires)) };
};
