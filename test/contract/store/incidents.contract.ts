// Store contract, incidents part: one open incident per queue even under concurrent openers,
// optimistic versions, ordered events, idempotent alerts and depth sample ranges.

import { describe, expect, it } from 'vitest';
import { isRedriveError } from '../../../src/errors.ts';
import type { AlertRecord, IncidentPatch } from '../../../src/core/model.ts';
import { at, concurrently, newIncident, rejection, T0, unique, type StoreRef } from './store-fixtures.ts';

export const describeIncidentContract = (store: StoreRef): void => {
  describe('incidents', () => {
    it('opens an incident with version 1, levelSince = openedAt, and reads it back exactly', async () => {
      const input = newIncident(unique('q'));
      const opened = await store().openIncident(input);
      expect(opened.created).toBe(true);
      expect(opened.incident).toEqual({
        id: input.id,
        queue: input.queue,
        status: 'open',
        level: 'L1',
        levelSince: T0,
        openedAt: T0,
        resolvedAt: null,
        acknowledgedBy: null,
        acknowledgedAt: null,
        lastNotifiedAt: null,
        slackChannel: null,
        slackTs: null,
        peakDepth: 12,
        alertState: 'firing',
        data: { source: 'sns', counts: { replayed: 0 } },
        version: 1,
      });
      expect(await store().getIncident(input.id)).toEqual(opened.incident);
      expect(await store().findOpenIncident(input.queue)).toEqual(opened.incident);
    });

    it('returns the open incident instead of opening a second one for the same queue', async () => {
      const queue = unique('q');
      const first = await store().openIncident(newIncident(queue));
      const second = await store().openIncident(newIncident(queue, { level: 'L3' }));
      expect(second).toEqual({ created: false, incident: first.incident });
      expect(await store().getIncident(second.incident.id)).toEqual(first.incident);
    });

    it('opens exactly one incident when 10 callers race for the same queue', async () => {
      const queue = unique('q');
      const results = await concurrently(10, () => store().openIncident(newIncident(queue)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
      expect(await store().listIncidents({ queue, status: 'open' })).toHaveLength(1);
    });

    it('opens a new incident once the previous one is resolved', async () => {
      const queue = unique('q');
      const first = (await store().openIncident(newIncident(queue))).incident;
      const resolved = await store().updateIncident(first.id, 1, { status: 'resolved', resolvedAt: at(60_000) });
      expect(resolved.ok && resolved.value.status).toBe('resolved');
      expect(await store().findOpenIncident(queue)).toBeNull();
      const second = await store().openIncident(newIncident(queue, { openedAt: at(120_000) }));
      expect(second.created).toBe(true);
      expect(second.incident.id).not.toBe(first.id);
      expect(await store().findOpenIncident(queue)).toEqual(second.incident);
      const all = await store().listIncidents({ queue });
      expect(all.map((i) => i.id)).toEqual([second.incident.id, first.id]);
    });

    it('applies a patch at the expected version, bumps the version and round-trips every field', async () => {
      const { incident } = await store().openIncident(newIncident(unique('q')));
      const patch: Required<IncidentPatch> = {
        status: 'open',
        level: 'L2',
        levelSince: at(1_001),
        resolvedAt: null,
        acknowledgedBy: 'U777',
        acknowledgedAt: at(2_002),
        lastNotifiedAt: at(3_003),
        slackChannel: 'C0123',
        slackTs: '1711111111.000200',
        peakDepth: 250,
        alertState: 'ok',
        data: { replayed: 3, nested: { list: [1, 'two', null, true] } },
      };
      const result = await store().updateIncident(incident.id, 1, patch);
      expect(result).toEqual({ ok: true, value: { ...incident, ...patch, version: 2 } });
      expect(await store().getIncident(incident.id)).toEqual({ ...incident, ...patch, version: 2 });
      const partial = await store().updateIncident(incident.id, 2, { level: 'L3' });
      expect(partial.ok && partial.value).toMatchObject({ level: 'L3', acknowledgedBy: 'U777', version: 3 });
    });

    it('refuses a stale version with conflict and an unknown id with not-found', async () => {
      const { incident } = await store().openIncident(newIncident(unique('q')));
      expect((await store().updateIncident(incident.id, 1, { level: 'L2' })).ok).toBe(true);
      expect(await store().updateIncident(incident.id, 1, { level: 'L3' })).toEqual({ ok: false, reason: 'conflict' });
      expect(await store().updateIncident(unique('missing'), 1, { level: 'L3' })).toEqual({ ok: false, reason: 'not-found' });
      expect((await store().getIncident(incident.id))?.level).toBe('L2');
    });

    it('lets exactly one of several concurrent updates at the same version win', async () => {
      const { incident } = await store().openIncident(newIncident(unique('q')));
      const results = await concurrently(5, (i) => store().updateIncident(incident.id, 1, { peakDepth: 100 + i }));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'conflict')).toBe(true);
      expect((await store().getIncident(incident.id))?.version).toBe(2);
    });

    it('refuses to reopen an old incident while the queue has another open one', async () => {
      const queue = unique('q');
      const first = (await store().openIncident(newIncident(queue))).incident;
      await store().updateIncident(first.id, 1, { status: 'resolved', resolvedAt: at(1) });
      await store().openIncident(newIncident(queue));
      expect(await store().updateIncident(first.id, 2, { status: 'open', resolvedAt: null })).toEqual({ ok: false, reason: 'conflict' });
    });

    it('returns null for unknown incidents and filters lists by status with a limit, newest first', async () => {
      expect(await store().getIncident(unique('missing'))).toBeNull();
      expect(await store().findOpenIncident(unique('q'))).toBeNull();
      const queue = unique('q');
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const { incident } = await store().openIncident(newIncident(queue, { openedAt: at(i * 1000) }));
        await store().updateIncident(incident.id, 1, { status: 'resolved', resolvedAt: at(i * 1000 + 500) });
        ids.push(incident.id);
      }
      const open = (await store().openIncident(newIncident(queue, { openedAt: at(10_000) }))).incident;
      expect((await store().listIncidents({ queue, status: 'resolved' })).map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect((await store().listIncidents({ queue, limit: 2 })).map((i) => i.id)).toEqual([open.id, ids[2]]);
    });
  });

  describe('incident events', () => {
    it('appends events with increasing ids and lists them oldest first', async () => {
      const { incident } = await store().openIncident(newIncident(unique('q')));
      const late = await store().appendIncidentEvent({ incidentId: incident.id, at: at(5_000), kind: 'level-changed', data: { to: 'L2' } });
      const early = await store().appendIncidentEvent({ incidentId: incident.id, at: at(1_000), kind: 'alert', data: { state: 'firing' } });
      const tie = await store().appendIncidentEvent({ incidentId: incident.id, at: at(5_000), kind: 'action', data: {} });
      expect(early.id).toBeGreaterThan(late.id);
      expect(tie.id).toBeGreaterThan(early.id);
      expect(late).toEqual({ id: late.id, incidentId: incident.id, at: at(5_000), kind: 'level-changed', data: { to: 'L2' } });
      expect(await store().listIncidentEvents(incident.id)).toEqual([early, late, tie]);
      expect(await store().listIncidentEvents(unique('other'))).toEqual([]);
    });

    it('refuses an event for an unknown incident with STORE_NOT_FOUND', async () => {
      const error = await rejection(store().appendIncidentEvent({ incidentId: unique('missing'), at: T0, kind: 'alert', data: {} }));
      expect(isRedriveError(error) && error.code).toBe('STORE_NOT_FOUND');
    });
  });

  describe('alerts', () => {
    const alert = (queue: string, overrides: Partial<AlertRecord> = {}): AlertRecord => ({
      dedupKey: unique('sns'),
      source: 'sns',
      queue,
      name: 'orders-dlq-depth',
      state: 'firing',
      receivedAt: T0,
      details: { alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:orders' },
      ...overrides,
    });

    it('records an alert once; the same dedup key again is a duplicate, even under concurrency', async () => {
      const queue = unique('q');
      const first = alert(queue);
      expect(await store().recordAlert(first)).toBe('recorded');
      expect(await store().recordAlert({ ...first, state: 'ok', receivedAt: at(1) })).toBe('duplicate');
      const racing = alert(queue, { receivedAt: at(2) });
      const results = await concurrently(5, () => store().recordAlert(racing));
      expect(results.filter((r) => r === 'recorded')).toHaveLength(1);
      expect(await store().listAlerts({ queue })).toEqual([racing, first]);
    });

    it('lists alerts by queue and since, newest first, with a limit', async () => {
      const queue = unique('q');
      const alerts = [alert(queue, { receivedAt: at(0) }), alert(queue, { receivedAt: at(1_000), source: 'alertmanager' }), alert(queue, { receivedAt: at(2_000), state: 'ok' })];
      for (const a of alerts) await store().recordAlert(a);
      await store().recordAlert(alert(unique('other'), { receivedAt: at(1_500) }));
      expect(await store().listAlerts({ queue, since: at(1_000) })).toEqual([alerts[2], alerts[1]]);
      expect(await store().listAlerts({ queue, limit: 1 })).toEqual([alerts[2]]);
    });
  });

  describe('depth samples', () => {
    it('lists a queue’s samples in [since, until), oldest first, with optional fields as null', async () => {
      const queue = unique('q');
      for (let i = 4; i >= 0; i -= 1) {
        await store().addDepthSample({ queue, at: at(i * 60_000), depth: 10 * i, inFlight: i, delayed: null, oldestAgeSeconds: 30.5 * i });
      }
      await store().addDepthSample({ queue: unique('other'), at: at(60_000), depth: 99 });
      const ranged = await store().listDepthSamples(queue, { since: at(60_000), until: at(180_000) });
      expect(ranged).toEqual([
        { queue, at: at(60_000), depth: 10, inFlight: 1, delayed: null, oldestAgeSeconds: 30.5 },
        { queue, at: at(120_000), depth: 20, inFlight: 2, delayed: null, oldestAgeSeconds: 61 },
      ]);
      expect((await store().listDepthSamples(queue, { since: at(60_000) })).map((s) => s.depth)).toEqual([10, 20, 30, 40]);
      await store().addDepthSample({ queue, at: at(300_000), depth: 7 });
      expect((await store().listDepthSamples(queue, { since: at(300_000) }))[0]).toEqual({
        queue,
        at: at(300_000),
        depth: 7,
        inFlight: null,
        delayed: null,
        oldestAgeSeconds: null,
      });
    });

    it('prunes samples older than a date and says how many', async () => {
      const queue = unique('q');
      // Long before any other test's samples, so a shared database does not change the count.
      const old = new Date('2001-01-01T00:00:00.250Z');
      for (let i = 0; i < 4; i += 1) await store().addDepthSample({ queue, at: at(i * 1_000, old), depth: i });
      expect(await store().pruneDepthSamples(at(2_000, old))).toBe(2);
      expect((await store().listDepthSamples(queue, { since: old })).map((s) => s.depth)).toEqual([2, 3]);
      expect(await store().pruneDepthSamples(at(2_000, old))).toBe(0);
    });
  });
};
