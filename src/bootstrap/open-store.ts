// Opens the configured store (SQLite or PostgreSQL) and applies its migrations; it logs which one is
// ready. It does not close the store: the caller owns it.

import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { SqliteStore } from '../adapters/outbound/sqlite/sqlite-store.ts';
import type { Config } from '../config/config.schema.ts';
import type { Secrets } from '../config/load-config.ts';
import { systemClock, type Clock } from '../ports/clock.port.ts';
import type { Store } from '../ports/store.port.ts';

/** The store keeps its own timestamps (updated_at) on the app's clock, so a hand-moved test clock moves them too. */
export const openStore = async (config: Config, secrets: Secrets, logger: Logger, clock: Clock = systemClock): Promise<Store> => {
  if (config.store.kind === 'sqlite') {
    const store = SqliteStore.open(config.store.path, { clock });
    const applied = await store.migrate();
    logger.info({ component: 'store', path: config.store.path, applied }, 'SQLite store ready');
    return store;
  }
  const { PostgresStore } = await import('../adapters/outbound/postgres/postgres-store.ts');
  const store = PostgresStore.connect(secrets.databaseUrl ?? '', { clock });
  const applied = await store.migrate();
  logger.info({ component: 'store', applied }, 'PostgreSQL store ready');
  return store;
};
