// PostgresStore: the Store port on PostgreSQL through a pg Pool, for several replicas sharing one
// database. Behaviour lives in the shared SQL store; this file only builds the pool (optionally
// pinned to one schema) and supplies the PostgreSQL driver and migrations. Call migrate() before use.

import pg from 'pg';
import { RedriveError } from '../../../errors.ts';
import { systemClock, type Clock } from '../../../ports/clock.port.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { PostgresDriver } from './postgres-driver.ts';
import { POSTGRES_MIGRATIONS, checkSchemaName, postgresMigrationDialect } from './postgres-migrations.ts';

export interface PostgresStoreOptions {
  clock?: Clock;
  /** Keep every table in this schema (created by migrate) instead of the user's search_path. */
  schema?: string;
  /** Pool size per replica. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before STORE_UNAVAILABLE. Default 10000 ms. */
  connectTimeoutMs?: number;
}

export class PostgresStore extends SqlStore {
  private constructor(driver: PostgresDriver, schema: string | null, clock: Clock) {
    super({ driver, migrations: POSTGRES_MIGRATIONS, dialect: postgresMigrationDialect(schema), clock });
  }

  /** Creates the pool; connections are opened on first use, so this does not touch the network. */
  static connect(url: string, options: PostgresStoreOptions = {}): PostgresStore {
    // Security: the URL holds the password; it goes to pg only, never into errors or logs.
    if (!url) throw new RedriveError('CONFIG_SECRET_MISSING', 'DATABASE_URL is not set for the PostgreSQL store.');
    const schema = options.schema === undefined ? null : checkSchemaName(options.schema);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'redrive',
      ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
    });
    // An idle client losing its connection emits here; without a listener it would crash the process.
    // The next query fails on its own and is translated to STORE_UNAVAILABLE.
    pool.on('error', () => undefined);
    return new PostgresStore(new PostgresDriver(pool), schema, options.clock ?? systemClock);
  }
}
