// The Store port's guarantees as one suite every adapter runs (SQLite file, PostgreSQL): idempotent
// migrations, unique keys under concurrency, optimistic versions, orderings, the append-only audit
// log and leases. It uses the port only, never an adapter's internals or raw SQL.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.port.ts';
import { describeIncidentContract } from './store/incidents.contract.ts';
import { describeMessageContract } from './store/messages.contract.ts';
import { describeJobContract } from './store/jobs.contract.ts';
import { describeAuditContract } from './store/audit.contract.ts';
import { describeMonitorContract } from './store/monitors.contract.ts';
import type { StoreRef } from './store/store-fixtures.ts';

/**
 * @param make returns a store for one test: fresh or shared (tests use unique names either way);
 *   the suite calls migrate() on it before each test.
 * @param cleanup releases it after the test; defaults to store.close().
 */
export function describeStoreContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (store: Store) => Promise<void> = (store) => store.close(),
): void {
  describe(`Store contract: ${name}`, () => {
    let current: Store | undefined;
    const store: StoreRef = () => {
      if (!current) throw new Error('store not ready');
      return current;
    };
    beforeEach(async () => {
      current = await make();
      await current.migrate();
    });
    afterEach(async () => {
      if (current) await cleanup(current);
      current = undefined;
    });

    describe('lifecycle', () => {
      it('migrate is idempotent: a second run applies nothing', async () => {
        expect(await store().migrate()).toEqual([]);
        expect(await store().migrate()).toEqual([]);
      });

      it('ping answers', async () => {
        await expect(store().ping()).resolves.toBeUndefined();
      });
    });

    describeIncidentContract(store);
    describeMessageContract(store);
    describeJobContract(store);
    describeAuditContract(store);
    describeMonitorContract(store);
  });
}
