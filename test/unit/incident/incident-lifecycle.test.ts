import { describe, expect, it } from 'vitest';
import { decideLevel } from '../../../src/core/escalation/decide-level.ts';
import { PRESETS } from '../../../src/core/escalation/presets.ts';
import { emptyIncidentData, readIncidentData, writeIncidentData, type IncidentData } from '../../../src/core/incident/incident-data.ts';
import {
  acknowledge,
  alertStateOf,
  applyDecision,
  applyRenotification,
  dueRenotification,
  measurementsFor,
  newIncidentFor,
  summarize,
  withAlert,
} from '../../../src/core/incident/incident-lifecycle.ts';
import type { Incident } from '../../../src/core/model.ts';
import { at, series } from '../escalation/escalation-fixtures.ts';

const sqs = PRESETS['sqs-runbook'];

const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'inc-1',
  queue: 'orders-dlq',
  status: 'open',
  level: 'L1',
  levelSince: at(0),
  openedAt: at(0),
  resolvedAt: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  lastNotifiedAt: at(0),
  slackChannel: 'C_ALERTS',
  slackTs: '1.0001',
  peakDepth: 60,
  alertState: 'none',
  data: writeIncidentData(emptyIncidentData()),
  version: 1,
  ...overrides,
});

const reading = (minute: number, depth: number) => ({ at: at(minute), depth, growthPerMinute: null, oldestAgeSeconds: null });

describe('incident data', () => {
  it('round-trips through JSON and tolerates junk', () => {
    const data: IncidentData = {
      ...emptyIncidentData(),
      alerts: [{ name: 'dlq-depth', source: 'sns', state: 'firing', level: 'L1', at: at(1), reason: 'Threshold crossed' }],
      pendingDown: { since: at(2), level: 'L1' },
      floor: 'L2',
      reasons: ['depth 60 > 50 → L1'],
      holdUntil: at(17),
      reading: { ...reading(2, 60), inFlight: 45 },
      peakLevel: 'L2',
      page: { channel: 'C_L3', ts: '2.0001', at: at(3) },
      charts: ['L2'],
    };
    expect(readIncidentData(JSON.parse(JSON.stringify(writeIncidentData(data))))).toEqual(data);
    expect(readIncidentData({ alerts: [{ name: 3 }], floor: 'L9', reading: 'x', charts: ['L2', 'zz'] })).toEqual({ ...emptyIncidentData(), charts: ['L2'] });
  });
});

describe('lifecycle', () => {
  it('opens with the decision level and the reading', () => {
    const data = { ...emptyIncidentData(), reading: reading(0, 60) };
    const decision = decideLevel(measurementsFor(null, data, series([0, 60]), at(0)), sqs, at(0));
    const created = newIncidentFor('inc-9', 'orders-dlq', decision, data, at(0));
    expect(created).toMatchObject({ id: 'inc-9', level: 'L1', peakDepth: 60, alertState: 'none' });
    expect(readIncidentData(created.data!).reasons).toEqual(['depth 60 > 50 → L1']);
  });

  it('changes level, records the notification time, and resolves with OK', () => {
    const open = incident();
    const data = readIncidentData(open.data);
    const up = applyDecision(open, data, decideLevel(measurementsFor(open, data, series([5, 250]), at(5)), sqs, at(5)), reading(5, 250), at(5));
    expect(up).toMatchObject({ kind: 'level-changed', from: 'L1', to: 'L2', patch: { level: 'L2', levelSince: at(5), lastNotifiedAt: at(5), peakDepth: 250 } });
    const l2 = incident({ level: 'L2', levelSince: at(5), peakDepth: 250, data: up.patch.data! });
    const done = applyDecision(l2, up.data, { level: 'OK', measured: 'OK', reasons: ['below every threshold for 15 min (was L2)'], pendingDown: null }, reading(40, 0), at(40));
    expect(done).toMatchObject({ kind: 'resolved', from: 'L2', patch: { status: 'resolved', resolvedAt: at(40), level: 'OK' } });
    expect(done.data.peakLevel).toBe('L2');
  });

  it('keeps readings fresh without a change', () => {
    const open = incident();
    const same = applyDecision(open, readIncidentData(open.data), { level: 'L1', measured: 'L1', reasons: ['x'], pendingDown: null }, reading(1, 70), at(1));
    expect(same.kind).toBe('unchanged');
    expect(same.patch).toMatchObject({ peakDepth: 70 });
    expect(same.data.reading?.depth).toBe(70);
  });

  it('tracks alerts by name', () => {
    const firing = withAlert([], { name: 'a', source: 'sns', state: 'firing', level: 'L1', at: at(0), reason: null });
    expect(alertStateOf(firing)).toBe('firing');
    const ok = withAlert(firing, { name: 'a', source: 'sns', state: 'ok', level: null, at: at(1), reason: null });
    expect(ok).toHaveLength(1);
    expect(alertStateOf(ok)).toBe('ok');
    expect(alertStateOf([])).toBe('none');
  });

  it.each([
    ['L1', 239, null],
    ['L1', 240, 'L2'],
    ['L2', 59, null],
    ['L2', 60, 'L3'],
  ] as const)('unacknowledged at %s for %i min → escalate to %s', (level, minutes, to) => {
    const due = dueRenotification(incident({ level, lastNotifiedAt: at(0) }), sqs, at(minutes));
    expect(due?.escalateTo ?? null).toBe(to);
  });

  it('re-notifies at L3 without going higher, and not once acknowledged', () => {
    expect(dueRenotification(incident({ level: 'L3' }), sqs, at(60))).toEqual({ escalateTo: null, waitedMinutes: 60 });
    expect(dueRenotification(incident({ level: 'L3', acknowledgedBy: 'U1', acknowledgedAt: at(1) }), sqs, at(600))).toBeNull();
    expect(dueRenotification(incident({ status: 'resolved' }), sqs, at(600))).toBeNull();
  });

  it('escalation puts a floor that the measured level cannot undercut until acknowledged', () => {
    const open = incident({ level: 'L1' });
    const data = readIncidentData(open.data);
    const escalated = applyRenotification(open, data, { escalateTo: 'L2', waitedMinutes: 240 }, at(240));
    expect(escalated).toMatchObject({ from: 'L1', to: 'L2', patch: { level: 'L2', lastNotifiedAt: at(240) } });
    expect(escalated.data.floor).toBe('L2');
    const l2 = incident({ level: 'L2', levelSince: at(240), data: escalated.patch.data! });
    const decision = decideLevel(measurementsFor(l2, escalated.data, series([241, 60]), at(241)), sqs, at(241));
    expect(decision.level).toBe('L2');
    const acked = acknowledge(l2, escalated.data, 'U_ALICE', at(242));
    expect(acked).toMatchObject({ kind: 'acknowledged', patch: { acknowledgedBy: 'U_ALICE', acknowledgedAt: at(242) } });
    if (acked.kind !== 'acknowledged') throw new Error('expected an acknowledgement');
    expect(acked.data.floor).toBeNull();
  });

  it('acknowledges once', () => {
    const acked = incident({ acknowledgedBy: 'U_BOB', acknowledgedAt: at(3) });
    expect(acknowledge(acked, emptyIncidentData(), 'U_ALICE', at(4))).toEqual({ kind: 'already-acknowledged', by: 'U_BOB', at: at(3) });
    expect(acknowledge(incident({ status: 'resolved' }), emptyIncidentData(), 'U_ALICE', at(4))).toEqual({ kind: 'not-open' });
  });

  it('summarizes duration, peak depth, replayed, resolved and still failing', () => {
    const data = { ...emptyIncidentData(), reading: reading(95, 3), peakLevel: 'L3' as const };
    expect(summarize(incident({ peakDepth: 260 }), data, { replayed: 250, resolved: 7 }, at(95))).toEqual({
      durationMinutes: 95,
      peakDepth: 260,
      peakLevel: 'L3',
      replayed: 250,
      resolved: 7,
      stillFailing: 3,
      returnedAfterReplay: 0,
    });
  });
});
