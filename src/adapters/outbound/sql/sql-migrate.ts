// Applies numbered migrations (1..n) in order, each in its own transaction, and records them in
// schema_migrations so a second run applies nothing. Dialect details (the bootstrap of the
// schema_migrations table and a cross-replica lock) come from the adapter.

import { RedriveError, isRedriveError } from '../../../errors.ts';
import type { SqlDriver } from './sql-driver.ts';

export interface Migration {
  version: number;
  name: string;
  /** Parameterless script in the adapter's dialect. */
  sql: string;
}

export interface MigrationDialect {
  /**
   * Runs first in every migration transaction: takes whatever lock serialises migrating replicas
   * and creates schema_migrations (version, name, applied_at) when missing.
   */
  prelude: string;
}

/** Throws at load time when a migration list is not numbered 1..n in order. */
export const checkMigrationList = (migrations: readonly Migration[]): readonly Migration[] => {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new RedriveError('STORE_MIGRATION_FAILED', `Migration "${migration.name}" has version ${migration.version}, expected ${index + 1}.`);
    }
  });
  return migrations;
};

export const runMigrations = async (
  db: SqlDriver,
  migrations: readonly Migration[],
  dialect: MigrationDialect,
  now: () => Date,
): Promise<number[]> => {
  const applied: number[] = [];
  for (const migration of migrations) {
    try {
      const didApply = await db.transaction(async (tx) => {
        await tx.exec(dialect.prelude);
        const done = await tx.all('SELECT version FROM schema_migrations WHERE version = ?', [migration.version]);
        if (done.length > 0) return false;
        await tx.exec(migration.sql);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          migration.version,
          migration.name,
          now(),
        ]);
        return true;
      });
      if (didApply) applied.push(migration.version);
    } catch (error) {
      if (isRedriveError(error) && error.code === 'STORE_UNAVAILABLE') throw error;
      throw new RedriveError('STORE_MIGRATION_FAILED', `Migration ${migration.version} (${migration.name}) failed.`, {
        context: { version: migration.version },
        cause: error,
      });
    }
  }
  return applied;
};
