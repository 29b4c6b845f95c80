// The small surface the shared SQL store needs from a database driver (node:sqlite, pg). A driver
// binds `?` placeholders, converts Dates to its column type, and translates its errors into
// RedriveErrors at the boundary; it knows nothing about incidents, jobs or audit records.

/** Values the store binds. Dates become epoch ms (SQLite) or timestamptz (PostgreSQL). */
export type SqlParam = string | number | null | Date;

/** One result row, column name to raw value (driver-specific types; see sql-rows.ts). */
export type SqlRow = Record<string, unknown>;

export interface SqlSession {
  /** Runs one statement with `?` placeholders and returns its rows (RETURNING included). */
  all(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Runs one statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Runs a parameterless script of one or more statements (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDriver extends SqlSession {
  /**
   * Runs fn in one write transaction on one connection; commits when it resolves, rolls back when it
   * throws. Nothing else runs on that connection meanwhile.
   */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
