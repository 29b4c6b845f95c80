// The restart check both real stores run (SQLite: close and reopen the file; PostgreSQL: close the
// pool and connect again): what one store wrote, the next one on the same database still knows.

import { expect } from 'vitest';
import type { Store } from '../../../src/ports/store.port.ts';
import { auditInput, newIncident, newJob, T0 } from './store-fixtures.ts';

/**
 * Migrates `before`, writes an incident, a job with a claimed item, an audit record, the poller
 * lease and an idempotency key, closes it; then `reopen()` must migrate nothing and see them all.
 */
export const expectSurvivesRestart = async (before: Store, reopen: () => Store): Promise<void> => {
  await before.migrate();
  const { incident } = await before.openIncident(newIncident('orders-dlq'));
  const job = await before.createJob(newJob('orders-dlq'));
  await before.claimJobItem(job.id, 'm-1', T0);
  const audit = await before.appendAudit(auditInput({ queue: 'orders-dlq' }));
  await before.acquireLease('poller', 'replica-a', T0, 60_000);
  await before.claimIdempotencyKey('slack:1', T0);
  await before.close();

  const after = reopen();
  expect(await after.migrate()).toEqual([]);
  expect(await after.openIncident(newIncident('orders-dlq'))).toEqual({ created: false, incident });
  expect(await after.getJob(job.id)).toEqual(job);
  expect(await after.claimJobItem(job.id, 'm-1', T0)).toBe(false);
  expect(await after.searchAudit({ queue: 'orders-dlq' })).toEqual([audit]);
  expect(await after.acquireLease('poller', 'replica-b', T0, 60_000)).toBe(false);
  expect(await after.claimIdempotencyKey('slack:1', T0)).toBe(false);
  expect((await after.appendAudit(auditInput())).id).toBeGreaterThan(audit.id);
};
