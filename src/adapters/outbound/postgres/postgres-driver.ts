// SqlDriver over a pg Pool: rewrites `?` placeholders to $n, runs transactions on one pooled client,
// and translates PostgreSQL and connection errors into RedriveErrors. It must not hold a client
// longer than one call or one transaction.

import type pg from 'pg';
import { RedriveError } from '../../../errors.ts';
import type { SqlDriver, SqlParam, SqlRow, SqlSession } from '../sql/sql-driver.ts';

// https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
/** Connection exceptions, insufficient resources, operator intervention (shutdown, recovery). */
const UNAVAILABLE_CLASSES = ['08', '53', '57'];
/** Wrong password or database: retrying will not help until the configuration is fixed. */
const MISCONFIGURED = ['28000', '28P01', '3D000', '3F000'];
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN'];

export const translatePostgresError = (error: unknown): RedriveError => {
  if (error instanceof RedriveError) return error;
  const e = error as { code?: unknown; severity?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = typeof e.message === 'string' ? e.message : String(error);
  const fromServer = typeof e.severity === 'string';
  if (fromServer && code === UNIQUE_VIOLATION) {
    return new RedriveError('STORE_CONFLICT', `PostgreSQL unique key taken: ${detail}`, { cause: error });
  }
  if (fromServer && code === FOREIGN_KEY_VIOLATION) {
    return new RedriveError('STORE_NOT_FOUND', `PostgreSQL referenced record missing: ${detail}`, { cause: error });
  }
  if (fromServer && (code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED)) {
    return new RedriveError('STORE_CONFLICT', `PostgreSQL transaction collided with another: ${detail}`, { cause: error });
  }
  if (fromServer && MISCONFIGURED.includes(code)) {
    return new RedriveError('STORE_UNAVAILABLE', `PostgreSQL refused the connection settings: ${detail}`, { cause: error, retriable: false });
  }
  if ((fromServer && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) || NETWORK_CODES.includes(code)) {
    return new RedriveError('STORE_UNAVAILABLE', `PostgreSQL unavailable: ${detail}`, { cause: error });
  }
  // pg's own connection failures carry no SQLSTATE ("Connection terminated", "timeout exceeded when
  // trying to connect", "Cannot use a pool after calling end on the pool").
  if (!fromServer && /connect|terminated|timeout|pool|ended|socket/i.test(detail)) {
    return new RedriveError('STORE_UNAVAILABLE', `PostgreSQL unavailable: ${detail}`, { cause: error });
  }
  return new RedriveError('INTERNAL_ERROR', `PostgreSQL error${code ? ` ${code}` : ''}: ${detail}`, { cause: error });
};

/** `?` → `$1, $2, ...`, leaving quoted literals alone. The shared SQL never uses `?` as an operator. */
export const toPostgresPlaceholders = (sql: string): string => {
  let index = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    if (ch === '?' && !quoted) {
      index += 1;
      out += `$${index}`;
    } else {
      out += ch;
    }
  }
  return out;
};

const textCache = new Map<string, string>();
const TEXT_CACHE_SIZE = 512;
const pgText = (sql: string): string => {
  let text = textCache.get(sql);
  if (text === undefined) {
    if (textCache.size >= TEXT_CACHE_SIZE) textCache.clear();
    text = toPostgresPlaceholders(sql);
    textCache.set(sql, text);
  }
  return text;
};

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

const sessionOn = (target: Queryable): SqlSession => ({
  async all(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    try {
      return (await target.query(pgText(sql), [...params])).rows as SqlRow[];
    } catch (error) {
      throw translatePostgresError(error);
    }
  },
  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    try {
      return (await target.query(pgText(sql), [...params])).rowCount ?? 0;
    } catch (error) {
      throw translatePostgresError(error);
    }
  },
  async exec(script: string): Promise<void> {
    try {
      // No parameters: the simple query protocol, which accepts several statements.
      await target.query(script);
    } catch (error) {
      throw translatePostgresError(error);
    }
  },
});

export class PostgresDriver implements SqlDriver {
  readonly #pool: pg.Pool;
  readonly #session: SqlSession;
  #closed: Promise<void> | null = null;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#session = sessionOn(pool);
  }

  all(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]> {
    return this.#session.all(sql, params);
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.#session.run(sql, params);
  }

  exec(script: string): Promise<void> {
    return this.#session.exec(script);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw translatePostgresError(error);
    }
    const tx = sessionOn(client);
    let broken: Error | undefined;
    try {
      await tx.exec('BEGIN');
      const result = await fn(tx);
      await tx.exec('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A client that cannot roll back is discarded instead of going back to the pool.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.#closed ??= this.#pool.end();
    return this.#closed;
  }
}
