// Smoke test: the PostgreSQL cluster from scripts/services.sh is real — a password login over TCP,
// DDL, a parameterised insert and a read back through `pg`.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requireServices, uniqueName } from '../../support/services.ts';

const services = inject('services');

describe.skipIf(!services)('PostgreSQL (real server)', () => {
  let client: pg.Client;
  const table = uniqueName('smoke_pg', '_');

  beforeAll(async () => {
    client = new pg.Client({ connectionString: requireServices(services).postgres.url });
    await client.connect();
  });

  afterAll(async () => {
    if (client) {
      await client.query(`drop table if exists ${table}`);
      await client.end();
    }
  });

  it('round-trips a row', async () => {
    await client.query(`create table ${table} (id bigserial primary key, queue text not null, payload jsonb not null)`);
    const inserted = await client.query<{ id: string }>(
      `insert into ${table} (queue, payload) values ($1, $2) returning id`,
      ['orders-dlq', { attempts: 3, error: 'timeout' }],
    );
    const rows = await client.query<{ queue: string; payload: unknown }>(
      `select queue, payload from ${table} where id = $1`,
      [inserted.rows[0]!.id],
    );
    expect(rows.rows).toEqual([{ queue: 'orders-dlq', payload: { attempts: 3, error: 'timeout' } }]);

    const who = await client.query<{ db: string; version: string }>('select current_database() as db, version()');
    expect(who.rows[0]?.db).toBe('redrive');
    expect(who.rows[0]?.version).toMatch(/^PostgreSQL \d+/);
  });
});
