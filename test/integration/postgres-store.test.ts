// Runs the Store contract against PostgresStore, one fresh schema per test (dropped afterwards), then
// what only PostgreSQL has: concurrent migrations from two replicas, audit triggers refusing raw SQL,
// restart semantics, two pools sharing rows, and error translation for unreachable or misconfigured servers.

import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresStore } from '../../src/adapters/outbound/postgres/postgres-store.ts';
import { POSTGRES_MIGRATIONS } from '../../src/adapters/outbound/postgres/postgres-migrations.ts';
import { toPostgresPlaceholders } from '../../src/adapters/outbound/postgres/postgres-driver.ts';
import { isRedriveError } from '../../src/errors.ts';
import type { Store } from '../../src/ports/store.port.ts';
import { describeStoreContract } from '../contract/store.contract.ts';
import { requireServices, uniqueName } from '../support/services.ts';
import { auditInput, newIncident, rejection, T0 } from '../contract/store/store-fixtures.ts';
import { expectSurvivesRestart } from '../contract/store/store-restart.ts';

const services = inject('services');

// One prefix per run so parallel runs against the same server never share a schema.
const runPrefix = uniqueName('redrive_t', '_');
let schemaCount = 0;
const nextSchema = (): string => `${runPrefix}_${(schemaCount += 1)}`;

let url: string;
let admin: pg.Pool;
const storeSchemas = new WeakMap<Store, string>();

describe.skipIf(!services)('PostgresStore', () => {
  beforeAll(() => {
    url = requireServices(services).postgres.url;
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });

  afterAll(async () => {
    if (!admin) return;
    const { rows } = await admin.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [runPrefix]);
    for (const { nspname } of rows) await admin.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
    await admin.end();
  });

  describeStoreContract(
    'PostgresStore (fresh schema per test)',
    async () => {
      const schema = nextSchema();
      const store = PostgresStore.connect(url, { schema, maxConnections: 5 });
      storeSchemas.set(store, schema);
      return store;
    },
    async (store) => {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${storeSchemas.get(store)} CASCADE`);
    },
  );

  const errorOf = (error: unknown): { code?: string; retriable?: boolean } =>
    isRedriveError(error) ? { code: error.code, retriable: error.retriable } : {};

  describe('specifics', () => {
    const stores: PostgresStore[] = [];
    const connect = (schema: string, options: Parameters<typeof PostgresStore.connect>[1] = {}, target = url): PostgresStore => {
      const store = PostgresStore.connect(target, { schema, maxConnections: 3, ...options });
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
    });

    it('rewrites ? placeholders to $n outside quoted literals', () => {
      expect(toPostgresPlaceholders("SELECT '?' AS q, a FROM t WHERE a = ? AND b IN (?, ?)")).toBe(
        "SELECT '?' AS q, a FROM t WHERE a = $1 AND b IN ($2, $3)",
      );
    });

    it('applies migrations 1..n once even when two replicas migrate at the same time', async () => {
      const schema = nextSchema();
      const [a, b] = [connect(schema), connect(schema)];
      const applied = await Promise.all([a.migrate(), b.migrate()]);
      expect([...applied[0], ...applied[1]].sort((x, y) => x - y)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      expect(await a.migrate()).toEqual([]);
      const { rows } = await admin.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    });

    it('refuses UPDATE, DELETE and TRUNCATE on the audit log, even through raw SQL', async () => {
      const schema = nextSchema();
      const store = connect(schema);
      await store.migrate();
      const record = await store.appendAudit(auditInput({ queue: 'orders-dlq' }));
      await expect(admin.query(`UPDATE ${schema}.audit_log SET actor = 'mallory' WHERE id = $1`, [record.id])).rejects.toThrow(/append-only/);
      await expect(admin.query(`DELETE FROM ${schema}.audit_log WHERE id = $1`, [record.id])).rejects.toThrow(/append-only/);
      await expect(admin.query(`TRUNCATE ${schema}.audit_log`)).rejects.toThrow(/append-only/);
      expect(await store.searchAudit({ queue: 'orders-dlq' })).toEqual([record]);
    });

    it('keeps everything across close and reconnect (restart)', async () => {
      const schema = nextSchema();
      await expectSurvivesRestart(connect(schema), () => connect(schema));
    });

    it('lets two replicas (two pools) race on the same rows with one winner each time', async () => {
      const schema = nextSchema();
      const [a, b] = [connect(schema), connect(schema)];
      await a.migrate();
      const opened = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? a : b).openIncident(newIncident('shared-dlq'))));
      expect(opened.filter((r) => r.created)).toHaveLength(1);
      const leases = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? a : b).acquireLease('poller', `replica-${i}`, T0, 1_000)));
      expect(leases.filter(Boolean)).toHaveLength(1);
    });

    it('reports an unreachable server, a wrong password and a closed store as STORE_UNAVAILABLE', async () => {
      const unreachable = connect(nextSchema(), { connectTimeoutMs: 2_000 }, 'postgres://redrive:x@127.0.0.1:1/redrive');
      expect(errorOf(await rejection(unreachable.ping()))).toEqual({ code: 'STORE_UNAVAILABLE', retriable: true });
      const wrong = new URL(url);
      wrong.password = 'not-the-password';
      const refused = connect(nextSchema(), {}, wrong.toString());
      expect(errorOf(await rejection(refused.ping()))).toEqual({ code: 'STORE_UNAVAILABLE', retriable: false });
      const closed = connect(nextSchema());
      await closed.close();
      await closed.close();
      expect(errorOf(await rejection(closed.ping())).code).toBe('STORE_UNAVAILABLE');
    });

    it('checks its options eagerly', () => {
      const codeOf = (fn: () => unknown): string | undefined => {
        try {
          fn();
        } catch (error) {
          return errorOf(error).code;
        }
        return undefined;
      };
      expect(codeOf(() => PostgresStore.connect(''))).toBe('CONFIG_SECRET_MISSING');
      expect(codeOf(() => PostgresStore.connect(url, { schema: 'x; DROP TABLE y' }))).toBe('CONFIG_INVALID');
    });
  });
});
