// Stored `/dlq monitor`s over a SqlDriver: one row per queue (the primary key makes a second monitor
// of a queue a no-op), the thread its readings go to and when the last one was taken. It decides
// nothing about when a reading is due; app/monitors/stored-monitors.ts does.

import type { StoredMonitor } from '../../../core/model.ts';
import type { SqlDriver, SqlRow } from './sql-driver.ts';

const COLUMNS = 'queue, interval_seconds, channel, thread_ts, started_by, started_at, last_reading_at';

const toMonitor = (row: SqlRow): StoredMonitor => ({
  queue: String(row.queue),
  intervalSeconds: Number(row.interval_seconds),
  channel: row.channel === null || row.channel === undefined ? null : String(row.channel),
  threadTs: row.thread_ts === null || row.thread_ts === undefined ? null : String(row.thread_ts),
  startedBy: String(row.started_by),
  startedAt: row.started_at instanceof Date ? new Date(row.started_at.getTime()) : new Date(Number(row.started_at)),
  lastReadingAt:
    row.last_reading_at === null || row.last_reading_at === undefined
      ? null
      : row.last_reading_at instanceof Date
        ? new Date(row.last_reading_at.getTime())
        : new Date(Number(row.last_reading_at)),
});

export const addMonitor = async (db: SqlDriver, m: StoredMonitor): Promise<boolean> => {
  const rows = await db.all(
    `INSERT INTO monitors (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (queue) DO NOTHING RETURNING queue`,
    [m.queue, m.intervalSeconds, m.channel, m.threadTs, m.startedBy, m.startedAt, m.lastReadingAt],
  );
  return rows.length > 0;
};

export const getMonitor = async (db: SqlDriver, queue: string): Promise<StoredMonitor | null> => {
  const [row] = await db.all(`SELECT ${COLUMNS} FROM monitors WHERE queue = ?`, [queue]);
  return row ? toMonitor(row) : null;
};

export const listMonitors = async (db: SqlDriver): Promise<StoredMonitor[]> => (await db.all(`SELECT ${COLUMNS} FROM monitors ORDER BY queue`)).map(toMonitor);

export const noteMonitorReading = async (db: SqlDriver, queue: string, at: Date): Promise<boolean> =>
  (await db.run('UPDATE monitors SET last_reading_at = ? WHERE queue = ?', [at, queue])) > 0;

export const removeMonitor = async (db: SqlDriver, queue: string): Promise<boolean> => (await db.run('DELETE FROM monitors WHERE queue = ?', [queue])) > 0;
