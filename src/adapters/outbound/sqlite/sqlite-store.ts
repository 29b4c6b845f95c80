// SqliteStore: the Store port on an embedded SQLite file (node:sqlite, no native build), the default
// store for one replica. Behaviour lives in the shared SQL store; this file only opens the file and
// supplies the SQLite driver and migrations. Call migrate() before use.

import { systemClock, type Clock } from '../../../ports/clock.port.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { SqliteDriver } from './sqlite-driver.ts';
import { SQLITE_MIGRATION_DIALECT, SQLITE_MIGRATIONS } from './sqlite-migrations.ts';

export interface SqliteStoreOptions {
  clock?: Clock;
  /** How long a write waits for another process's lock before STORE_UNAVAILABLE. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export class SqliteStore extends SqlStore {
  /** Absolute path of the database file. */
  readonly path: string;

  private constructor(driver: SqliteDriver, clock: Clock) {
    super({ driver, migrations: SQLITE_MIGRATIONS, dialect: SQLITE_MIGRATION_DIALECT, clock });
    this.path = driver.path;
  }

  /** Opens or creates the file (and its directory); throws STORE_UNAVAILABLE when it cannot. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const driver = SqliteDriver.open(path, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    return new SqliteStore(driver, options.clock ?? systemClock);
  }
}
