// Runs the Store contract against SqliteStore on a fresh file per test, then what only SQLite has:
// the file and pragmas, triggers refusing audit changes, restart semantics, two connections on one
// file, and error translation (busy, closed, unusable path, failed migration).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { SQLITE_MIGRATIONS } from '../../src/adapters/outbound/sqlite/sqlite-migrations.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { isRedriveError } from '../../src/errors.ts';
import { describeStoreContract } from '../contract/store.contract.ts';
import { auditInput, newIncident, rejection, T0 } from '../contract/store/store-fixtures.ts';
import { expectSurvivesRestart } from '../contract/store/store-restart.ts';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-sqlite-'));
  tempDirs.push(dir);
  return dir;
};
const removeTempDirs = (): void => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

describeStoreContract(
  'SqliteStore (file in a temp dir)',
  async () => SqliteStore.open(join(tempDir(), 'redrive.db')),
  async (store) => {
    await store.close();
    removeTempDirs();
  },
);

const errorCode = (error: unknown): string | undefined => (isRedriveError(error) ? error.code : undefined);

describe('SqliteStore specifics', () => {
  let dir: string;
  const opened: SqliteStore[] = [];
  const raw: DatabaseSync[] = [];
  const open = (path = join(dir, 'redrive.db'), options: Parameters<typeof SqliteStore.open>[1] = {}): SqliteStore => {
    const store = SqliteStore.open(path, options);
    opened.push(store);
    return store;
  };
  const rawDb = (path = join(dir, 'redrive.db')): DatabaseSync => {
    const db = new DatabaseSync(path);
    raw.push(db);
    return db;
  };

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const db of raw.splice(0)) if (db.isOpen) db.close();
    for (const store of opened.splice(0)) await store.close();
    removeTempDirs();
  });

  it('creates missing parent directories, applies migrations 1..n once, in WAL mode', async () => {
    const path = join(dir, 'nested', 'deeper', 'redrive.db');
    const store = open(path, { clock: fixedClock(T0) });
    expect(store.path).toBe(path);
    expect(await store.migrate()).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(SQLITE_MIGRATIONS.map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
    expect(await store.migrate()).toEqual([]);
    const db = rawDb(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual(expect.objectContaining({ journal_mode: 'wal' }));
    const recorded = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
    expect(recorded.map((r) => [r.version, r.applied_at])).toEqual(SQLITE_MIGRATIONS.map((m) => [m.version, T0.getTime()]));
  });

  it('refuses UPDATE and DELETE on the audit log, even through raw SQL', async () => {
    const store = open();
    await store.migrate();
    const record = await store.appendAudit(auditInput({ queue: 'orders-dlq' }));
    const db = rawDb();
    expect(() => db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = ?").run(record.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(record.id)).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_log')).toThrow(/append-only/);
    expect(await store.searchAudit({ queue: 'orders-dlq' })).toEqual([record]);
  });

  it('keeps everything across close and reopen (restart)', async () => {
    const path = join(dir, 'redrive.db');
    await expectSurvivesRestart(open(path), () => open(path));
  });

  it('shares one file between two connections (like two processes)', async () => {
    const a = open();
    const b = open();
    await Promise.all([a.migrate(), b.migrate()]);
    const opened = await Promise.all([a.openIncident(newIncident('shared-dlq')), b.openIncident(newIncident('shared-dlq'))]);
    expect(opened.filter((r) => r.created)).toHaveLength(1);
    expect(opened[0].incident.id).toBe(opened[1].incident.id);
    expect(await a.acquireLease('poller', 'a', T0, 1_000)).toBe(true);
    expect(await b.acquireLease('poller', 'b', T0, 1_000)).toBe(false);
  });

  it('reports a write blocked by another connection as retriable STORE_UNAVAILABLE', async () => {
    const store = open(undefined, { busyTimeoutMs: 50 });
    await store.migrate();
    const blocker = rawDb();
    blocker.exec('BEGIN IMMEDIATE');
    const error = await rejection(store.claimIdempotencyKey('k', T0));
    expect(errorCode(error)).toBe('STORE_UNAVAILABLE');
    expect(isRedriveError(error) && error.retriable).toBe(true);
    blocker.exec('ROLLBACK');
    expect(await store.claimIdempotencyKey('k', T0)).toBe(true);
  });

  it('reports a closed store and an unusable path as STORE_UNAVAILABLE', async () => {
    const store = open();
    await store.migrate();
    await store.close();
    await store.close();
    expect(errorCode(await rejection(store.ping()))).toBe('STORE_UNAVAILABLE');
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, 'x');
    let thrown: unknown;
    try {
      SqliteStore.open(join(notADirectory, 'redrive.db'));
    } catch (error) {
      thrown = error;
    }
    expect(errorCode(thrown)).toBe('STORE_UNAVAILABLE');
  });

  it('rolls a failing migration back and reports STORE_MIGRATION_FAILED', async () => {
    const path = join(dir, 'redrive.db');
    rawDb(path).exec('CREATE TABLE alerts (unrelated TEXT)');
    const store = open(path);
    const error = await rejection(store.migrate());
    expect(errorCode(error)).toBe('STORE_MIGRATION_FAILED');
    expect(isRedriveError(error) && error.context.version).toBe(1);
    const tables = rawDb(path).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((t) => t.name)).toEqual(['alerts']);
  });
});
