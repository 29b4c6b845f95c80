// The message index, resolutions (the archive of messages taken out of service) and replays over a
// SqlDriver. Replays are found by fingerprint through a lookup table (queue, fingerprint) so "did
// this message come back?" is one indexed query whatever the number of replays.

import { createHash } from 'node:crypto';
import type { MessageIndexEntry, ReplayRecord, Resolution } from '../../../core/model.ts';
import type { SqlDriver, SqlParam, SqlSession } from './sql-driver.ts';
import {
  MESSAGE_COLUMNS,
  REPLAY_COLUMNS,
  RESOLUTION_COLUMNS,
  jsonParam,
  offsetParam,
  placeholders,
  toMessageIndexEntry,
  toReplay,
  toResolution,
} from './sql-rows.ts';

/** Keeps IN lists well under both databases' bound-parameter limits. */
const IN_CHUNK = 500;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * The fixed-size key trace ids are looked up by (SHA-256, hex): an id of any length is found exactly,
 * and no index holds the id itself (PostgreSQL's btree refuses index rows past about 2.7 KB).
 */
export const traceDigest = (traceId: string): string => createHash('sha256').update(traceId, 'utf8').digest('hex');

const upsertOne = (tx: SqlSession, e: MessageIndexEntry): Promise<number> =>
  tx.run(
    `INSERT INTO message_index (queue, message_key, trace_id, trace_digest, kafka_partition, kafka_offset, body_hash, first_seen_at, last_seen_at, summary)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (queue, message_key) DO UPDATE SET
       trace_id = excluded.trace_id, trace_digest = excluded.trace_digest, kafka_partition = excluded.kafka_partition, kafka_offset = excluded.kafka_offset,
       body_hash = excluded.body_hash, last_seen_at = excluded.last_seen_at, summary = excluded.summary`,
    [e.queue, e.messageKey, e.traceId, e.traceId === null ? null : traceDigest(e.traceId), e.partition, offsetParam(e.offset), e.bodyHash, e.firstSeenAt, e.lastSeenAt, jsonParam(e.summary)],
  );

/** Inserts new entries, refreshes known ones (keeping their firstSeenAt), all in one transaction. */
export const upsertMessageIndex = async (db: SqlDriver, entries: MessageIndexEntry[]): Promise<void> => {
  if (entries.length === 0) return;
  await db.transaction(async (tx) => {
    for (const entry of entries) await upsertOne(tx, entry);
  });
};

/** An exact message key wins; otherwise the most recently seen message with that trace id. */
export const findIndexedMessage = async (db: SqlDriver, queue: string, idOrTraceId: string): Promise<MessageIndexEntry | null> => {
  const [byKey] = await db.all(`SELECT ${MESSAGE_COLUMNS} FROM message_index WHERE queue = ? AND message_key = ?`, [queue, idOrTraceId]);
  if (byKey) return toMessageIndexEntry(byKey);
  // By digest (indexed), then the id itself (exact whatever a digest does); rows written before the
  // digest column existed match on the id alone until they are seen again.
  const [byTrace] = await db.all(
    `SELECT ${MESSAGE_COLUMNS} FROM message_index
     WHERE queue = ? AND (trace_digest = ? OR trace_digest IS NULL) AND trace_id = ?
     ORDER BY last_seen_at DESC, message_key LIMIT 1`,
    [queue, traceDigest(idOrTraceId), idOrTraceId],
  );
  return byTrace ? toMessageIndexEntry(byTrace) : null;
};

/** Entries that entered the DLQ (firstSeenAt) in [since, until), oldest first, at most `limit`. */
export const listIndexedMessages = async (
  db: SqlDriver,
  queue: string,
  range: { since: Date; until?: Date; limit: number },
): Promise<MessageIndexEntry[]> => {
  const params: SqlParam[] = [queue, range.since];
  if (range.until !== undefined) params.push(range.until);
  params.push(range.limit);
  const rows = await db.all(
    `SELECT ${MESSAGE_COLUMNS} FROM message_index WHERE queue = ? AND first_seen_at >= ?${range.until !== undefined ? ' AND first_seen_at < ?' : ''}
     ORDER BY first_seen_at, message_key LIMIT ?`,
    params,
  );
  return rows.map(toMessageIndexEntry);
};

export const recordResolution = async (db: SqlDriver, r: Resolution): Promise<'recorded' | 'already-resolved'> => {
  const rows = await db.all(
    `INSERT INTO resolutions (queue, message_key, trace_id, kafka_partition, kafka_offset, body, attributes, resolved_by, reason, resolved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (queue, message_key) DO NOTHING RETURNING message_key`,
    [r.queue, r.messageKey, r.traceId, r.partition, offsetParam(r.offset), r.body, jsonParam(r.attributes), r.resolvedBy, r.reason, r.resolvedAt],
  );
  return rows.length > 0 ? 'recorded' : 'already-resolved';
};

export const getResolution = async (db: SqlDriver, queue: string, messageKey: string): Promise<Resolution | null> => {
  const [row] = await db.all(`SELECT ${RESOLUTION_COLUMNS} FROM resolutions WHERE queue = ? AND message_key = ?`, [queue, messageKey]);
  return row ? toResolution(row) : null;
};

/** Ascending by partition, then numerically by offset, then by time (SQS rows have no partition). */
export const listResolutions = async (
  db: SqlDriver,
  queue: string,
  filter: { partition?: number; fromOffset?: string; since?: Date },
): Promise<Resolution[]> => {
  const where = ['queue = ?'];
  const params: SqlParam[] = [queue];
  if (filter.partition !== undefined) {
    where.push('kafka_partition = ?');
    params.push(filter.partition);
  }
  if (filter.fromOffset !== undefined) {
    where.push('kafka_offset >= ?');
    params.push(offsetParam(filter.fromOffset));
  }
  if (filter.since !== undefined) {
    where.push('resolved_at >= ?');
    params.push(filter.since);
  }
  const rows = await db.all(
    `SELECT ${RESOLUTION_COLUMNS} FROM resolutions WHERE ${where.join(' AND ')}
     ORDER BY kafka_partition NULLS FIRST, kafka_offset NULLS FIRST, resolved_at, message_key`,
    params,
  );
  return rows.map(toResolution);
};

/** Stores the replay and one lookup row per distinct fingerprint, atomically. */
export const recordReplay = async (db: SqlDriver, replay: ReplayRecord): Promise<void> => {
  await db.transaction(async (tx) => {
    const [row] = await tx.all(
      `INSERT INTO replays (queue, message_key, fingerprints, job_id, replayed_by, replayed_at, destination)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [replay.queue, replay.messageKey, JSON.stringify(replay.fingerprints), replay.jobId, replay.replayedBy, replay.replayedAt, replay.destination],
    );
    const replayId = Number(row!.id);
    for (const fingerprint of new Set(replay.fingerprints)) {
      await tx.run('INSERT INTO replay_fingerprints (queue, fingerprint, replay_id) VALUES (?, ?, ?)', [replay.queue, fingerprint, replayId]);
    }
  });
};

/** Oldest first, each replay once even when several of its fingerprints match. */
export const findReplays = async (db: SqlDriver, queue: string, fingerprints: string[]): Promise<ReplayRecord[]> => {
  const byId = new Map<number, ReplayRecord & { order: [number, number] }>();
  for (const chunk of chunks([...new Set(fingerprints)], IN_CHUNK)) {
    const rows = await db.all(
      `SELECT ${REPLAY_COLUMNS} FROM replays WHERE id IN (
         SELECT replay_id FROM replay_fingerprints WHERE queue = ? AND fingerprint IN (${placeholders(chunk.length)}))`,
      [queue, ...chunk],
    );
    for (const row of rows) {
      const replay = toReplay(row);
      byId.set(Number(row.id), { ...replay, order: [replay.replayedAt.getTime(), Number(row.id)] });
    }
  }
  return [...byId.values()]
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
    .map(({ order: _order, ...replay }) => replay);
};

/** Oldest first. */
export const listReplays = async (db: SqlDriver, queue: string, filter: { since?: Date; jobId?: string }): Promise<ReplayRecord[]> => {
  const where = ['queue = ?'];
  const params: SqlParam[] = [queue];
  if (filter.since !== undefined) {
    where.push('replayed_at >= ?');
    params.push(filter.since);
  }
  if (filter.jobId !== undefined) {
    where.push('job_id = ?');
    params.push(filter.jobId);
  }
  const rows = await db.all(`SELECT ${REPLAY_COLUMNS} FROM replays WHERE ${where.join(' AND ')} ORDER BY replayed_at, id`, params);
  return rows.map(toReplay);
};
