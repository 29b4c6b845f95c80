// SqlDriver over node:sqlite's DatabaseSync: one connection, WAL, busy timeout, foreign keys, cached
// statements. SQLite errors become RedriveErrors here and nowhere else. It must not let a transaction
// that spans awaits interleave with other work on the same file in this process (see fileQueues).

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { RedriveError } from '../../../errors.ts';
import type { SqlDriver, SqlParam, SqlRow, SqlSession } from '../sql/sql-driver.ts';

type Bindable = string | number | null;

const STATEMENT_CACHE_SIZE = 256;

// https://www.sqlite.org/rescode.html
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;
const SQLITE_CONSTRAINT = 19;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/** Maps a node:sqlite error to the catalogue: busy/IO → unavailable, unique → conflict, FK → not found. */
export const translateSqliteError = (error: unknown, context: Record<string, string> = {}): RedriveError => {
  if (error instanceof RedriveError) return error;
  const e = error as { code?: string; errcode?: number; message?: string };
  const detail = e.message ?? String(error);
  if (e.code === 'ERR_INVALID_STATE') {
    return new RedriveError('STORE_UNAVAILABLE', `SQLite store is closed: ${detail}`, { context, cause: error, retriable: false });
  }
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const primary = e.errcode & 0xff;
    if ([SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY].includes(primary)) {
      return new RedriveError('STORE_UNAVAILABLE', `SQLite store unavailable: ${detail}`, { context, cause: error });
    }
    if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB) {
      return new RedriveError('STORE_UNAVAILABLE', `SQLite file is not a usable database: ${detail}`, { context, cause: error, retriable: false });
    }
    if (e.errcode === SQLITE_CONSTRAINT_UNIQUE || e.errcode === SQLITE_CONSTRAINT_PRIMARYKEY) {
      return new RedriveError('STORE_CONFLICT', `SQLite unique key taken: ${detail}`, { context, cause: error });
    }
    if (e.errcode === SQLITE_CONSTRAINT_FOREIGNKEY) {
      return new RedriveError('STORE_NOT_FOUND', `SQLite referenced record missing: ${detail}`, { context, cause: error });
    }
    if (primary === SQLITE_CONSTRAINT) {
      return new RedriveError('INTERNAL_ERROR', `SQLite refused the write: ${detail}`, { context, cause: error });
    }
  }
  return new RedriveError('INTERNAL_ERROR', `SQLite error: ${detail}`, { context, cause: error });
};

/**
 * One queue per database file in this process, shared by every connection to it. A transaction holds
 * SQLite's write lock across awaits; a second connection in the same thread that tried to write
 * meanwhile would busy-wait synchronously and starve the first one until the timeout. Other processes
 * are handled by busy_timeout.
 */
const fileQueues = new Map<string, Promise<unknown>>();

const bind = (params: readonly SqlParam[]): Bindable[] => params.map((p) => (p instanceof Date ? p.getTime() : p));

export interface SqliteDriverOptions {
  /** How long a writer waits for another connection's lock before STORE_UNAVAILABLE. Default 5000. */
  busyTimeoutMs?: number;
}

export class SqliteDriver implements SqlDriver {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #closed = false;
  readonly #session: SqlSession;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#session = {
      all: async (sql, params = []) => this.#allNow(sql, params),
      run: async (sql, params = []) => this.#runNow(sql, params),
      exec: async (script) => this.#execNow(script),
    };
  }

  /** Opens (creating the file and its directory when missing) and sets the connection pragmas. */
  static open(path: string, options: SqliteDriverOptions = {}): SqliteDriver {
    const memory = path === ':memory:';
    const location = memory ? path : resolve(path);
    try {
      if (!memory) mkdirSync(dirname(location), { recursive: true });
      const db = new DatabaseSync(location, { enableForeignKeyConstraints: true });
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      if (!memory) db.exec('PRAGMA journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA foreign_keys = ON');
      return new SqliteDriver(location, db);
    } catch (error) {
      const fsError = error as { code?: unknown; syscall?: unknown };
      if (typeof fsError.syscall === 'string') {
        throw new RedriveError('STORE_UNAVAILABLE', `Cannot create the directory of the SQLite file (${String(fsError.code)}).`, {
          context: { path: location },
          cause: error,
          retriable: false,
        });
      }
      throw translateSqliteError(error, { path: location });
    }
  }

  all(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    return this.#exclusive(() => this.#allNow(sql, params));
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.#exclusive(() => this.#runNow(sql, params));
  }

  exec(script: string): Promise<void> {
    return this.#exclusive(() => this.#execNow(script));
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      // IMMEDIATE takes the write lock up front, so two connections never deadlock upgrading a read lock.
      this.#execNow('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.#session);
        this.#execNow('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.#exclusive(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.#statements.clear();
      this.#db.close();
    });
  }

  /** Runs work after everything queued before it on this file; a failure does not block what follows. */
  #exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const key = this.path;
    const result = (fileQueues.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    fileQueues.set(key, tail);
    void tail.then(() => {
      if (fileQueues.get(key) === tail) fileQueues.delete(key);
    });
    return result;
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #allNow(sql: string, params: readonly SqlParam[]): SqlRow[] {
    try {
      return this.#statement(sql).all(...bind(params)) as SqlRow[];
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  #runNow(sql: string, params: readonly SqlParam[]): number {
    try {
      return Number(this.#statement(sql).run(...bind(params)).changes);
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  #execNow(script: string): void {
    try {
      this.#db.exec(script);
    } catch (error) {
      throw translateSqliteError(error);
    }
  }
}
