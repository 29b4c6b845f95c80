// Store contract, coordination part: the append-only audit log and its search, idempotency keys for
// Slack retries and double clicks, and the lease that elects one replica to run the poller.

import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/core/model.ts';
import { at, auditInput, concurrently, T0, unique, type StoreRef } from './store-fixtures.ts';

export const describeAuditContract = (store: StoreRef): void => {
  describe('audit log', () => {
    it('appends records with increasing ids and reads every field back', async () => {
      const queue = unique('q');
      const full = auditInput({
        queue,
        action: 'resolve',
        messageId: '0:42',
        traceId: unique('trace'),
        partition: 0,
        offset: '42',
        actor: 'cli:alice',
        result: 'failure',
        error: 'DLQ_MESSAGE_NOT_FOUND',
        incidentId: unique('inc'),
        jobId: unique('job'),
        details: { reason: 'duplicate', count: 1 },
      });
      const first = await store().appendAudit(full);
      const second = await store().appendAudit(auditInput({ queue }));
      expect(first).toEqual({ ...full, id: first.id });
      expect(second.id).toBeGreaterThan(first.id);
      expect(second).toMatchObject({ jobId: null, details: {} });
      expect(await store().searchAudit({ queue })).toEqual([second, first]);
    });

    it('searches by queue, actor, action and since, newest first, with a limit', async () => {
      const queue = unique('q');
      const actor = unique('U');
      const records: AuditRecord[] = [];
      const actions = ['peek', 'replay', 'resolve', 'replay'];
      for (const [i, action] of actions.entries()) {
        records.push(await store().appendAudit(auditInput({ queue, action, actor: i % 2 === 0 ? actor : 'system', at: at(i * 1_000) })));
      }
      await store().appendAudit(auditInput({ queue: unique('other'), actor, action: 'replay', at: at(10_000) }));
      const ids = (list: AuditRecord[]): number[] => list.map((r) => r.id);
      const [r0, r1, r2, r3] = records.map((r) => r.id);
      expect(ids(await store().searchAudit({ queue }))).toEqual([r3, r2, r1, r0]);
      expect(ids(await store().searchAudit({ queue, actor }))).toEqual([r2, r0]);
      expect(ids(await store().searchAudit({ queue, action: 'replay' }))).toEqual([r3, r1]);
      expect(ids(await store().searchAudit({ queue, since: at(1_000) }))).toEqual([r3, r2, r1]);
      expect(ids(await store().searchAudit({ queue, limit: 2 }))).toEqual([r3, r2]);
      expect((await store().searchAudit({ actor })).map((r) => r.queue)).toContain(queue);
    });

    it('searches by ref: message id, trace id, incident id or job id', async () => {
      const queue = unique('q');
      const refs = { messageId: unique('msg'), traceId: unique('trace'), incidentId: unique('inc'), jobId: unique('job') };
      const byMessage = await store().appendAudit(auditInput({ queue, messageId: refs.messageId, at: at(1) }));
      const byTrace = await store().appendAudit(auditInput({ queue, traceId: refs.traceId, at: at(2) }));
      const byIncident = await store().appendAudit(auditInput({ queue, incidentId: refs.incidentId, at: at(3) }));
      const byJob = await store().appendAudit(auditInput({ queue, jobId: refs.jobId, at: at(4) }));
      const all = await store().appendAudit(auditInput({ queue, ...refs, at: at(5) }));
      expect(await store().searchAudit({ ref: refs.messageId })).toEqual([all, byMessage]);
      expect(await store().searchAudit({ ref: refs.traceId })).toEqual([all, byTrace]);
      expect(await store().searchAudit({ ref: refs.incidentId })).toEqual([all, byIncident]);
      expect(await store().searchAudit({ ref: refs.jobId, queue })).toEqual([all, byJob]);
      expect(await store().searchAudit({ ref: unique('none') })).toEqual([]);
      expect(await store().searchAudit({ id: byTrace.id })).toEqual([byTrace]);
      expect(await store().searchAudit({ id: all.id + 1_000_000 })).toEqual([]);
    });

    it('exposes no method that changes or deletes audit records', () => {
      const methods = new Set<string>();
      for (let proto = Object.getPrototypeOf(store()); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const name of Object.getOwnPropertyNames(proto)) methods.add(name);
      }
      for (const name of Object.keys(store())) methods.add(name);
      expect([...methods].filter((name) => /audit/i.test(name)).sort()).toEqual(['appendAudit', 'searchAudit']);
    });
  });

  describe('idempotency keys', () => {
    it('claims a key the first time only, even under concurrency', async () => {
      const key = unique('slack-retry');
      expect(await store().claimIdempotencyKey(key, T0, { trigger: 'block_actions' })).toBe(true);
      expect(await store().claimIdempotencyKey(key, at(1))).toBe(false);
      const racing = unique('double-click');
      const results = await concurrently(10, (i) => store().claimIdempotencyKey(racing, at(i)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('reads a claimed key back: when, and the details of its claim', async () => {
      const key = unique('click');
      expect(await store().readIdempotencyKey(key)).toBeNull();
      await store().claimIdempotencyKey(key, T0, { actor: 'U_A', result: 'success' });
      await store().claimIdempotencyKey(key, at(1), { actor: 'U_B' });
      expect(await store().readIdempotencyKey(key)).toEqual({ claimedAt: T0, details: { actor: 'U_A', result: 'success' } });
    });

    it('prunes keys older than a date so they can be claimed again', async () => {
      const old = new Date('2001-01-01T00:00:00.500Z');
      const stale = unique('old');
      const fresh = unique('fresh');
      await store().claimIdempotencyKey(stale, old);
      await store().claimIdempotencyKey(fresh, at(10_000, old));
      expect(await store().pruneIdempotencyKeys(at(5_000, old))).toBe(1);
      expect(await store().claimIdempotencyKey(stale, T0)).toBe(true);
      expect(await store().claimIdempotencyKey(fresh, T0)).toBe(false);
    });
  });

  describe('leases', () => {
    it('acquires a free lease and renews it for its holder', async () => {
      const name = unique('poller');
      expect(await store().getLease(name)).toBeNull();
      expect(await store().acquireLease(name, 'replica-a', T0, 30_000)).toBe(true);
      expect(await store().getLease(name)).toEqual({ name, holder: 'replica-a', expiresAt: at(30_000) });
      expect(await store().acquireLease(name, 'replica-a', at(10_000), 30_000)).toBe(true);
      expect(await store().getLease(name)).toEqual({ name, holder: 'replica-a', expiresAt: at(40_000) });
    });

    it('refuses another holder while valid and lets it take over once expired', async () => {
      const name = unique('poller');
      await store().acquireLease(name, 'replica-a', T0, 30_000);
      expect(await store().acquireLease(name, 'replica-b', at(29_999), 30_000)).toBe(false);
      expect((await store().getLease(name))?.holder).toBe('replica-a');
      expect(await store().acquireLease(name, 'replica-b', at(30_000), 30_000)).toBe(true);
      expect(await store().getLease(name)).toEqual({ name, holder: 'replica-b', expiresAt: at(60_000) });
      expect(await store().acquireLease(name, 'replica-a', at(30_001), 30_000)).toBe(false);
    });

    it('releases only for its holder; a released lease is free', async () => {
      const name = unique('poller');
      await store().acquireLease(name, 'replica-a', T0, 30_000);
      await store().releaseLease(name, 'replica-b');
      expect((await store().getLease(name))?.holder).toBe('replica-a');
      await store().releaseLease(name, 'replica-a');
      expect(await store().getLease(name)).toBeNull();
      expect(await store().acquireLease(name, 'replica-b', at(1), 30_000)).toBe(true);
    });

    it('gives a contended lease to exactly one of 10 replicas', async () => {
      const name = unique('poller');
      const results = await concurrently(10, (i) => store().acquireLease(name, `replica-${i}`, T0, 30_000));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = `replica-${results.indexOf(true)}`;
      expect((await store().getLease(name))?.holder).toBe(winner);
    });
  });
};
