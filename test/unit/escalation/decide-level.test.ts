import { describe, expect, it } from 'vitest';
import { decideLevel, measureLevel } from '../../../src/core/escalation/decide-level.ts';
import { displayGrowthPerMinute, growthOverWindow } from '../../../src/core/escalation/growth.ts';
import { lookbackMinutes, PRESETS, resolvePolicy } from '../../../src/core/escalation/presets.ts';
import { at, everyMinute, findings, measurements, series } from './escalation-fixtures.ts';

const sqs = PRESETS['sqs-runbook'];
const kafka = PRESETS['kafka-runbook'];

describe('sqs-runbook preset (Escalation Procedures: L1 > 50, L2 > 200, L3 extended outage)', () => {
  it.each([
    [0, 'OK'],
    [50, 'OK'],
    [51, 'L1'],
    [200, 'L1'],
    [201, 'L2'],
    [5_000, 'L2'],
  ] as const)('depth %i → %s', (depth, level) => {
    const m = measurements({ samples: series([0, depth]) });
    expect(decideLevel(m, sqs, at(0)).level).toBe(level);
  });

  it('L3 only when L2 lasts longer than 60 minutes', () => {
    const exactly60 = measurements({ samples: everyMinute(0, 60, () => 250), level: 'L2' });
    expect(decideLevel(exactly60, sqs, at(60)).level).toBe('L2');
    const over60 = measurements({ samples: everyMinute(0, 61, () => 250), level: 'L2' });
    const decision = decideLevel(over60, sqs, at(61));
    expect(decision.level).toBe('L3');
    expect(decision.reasons[0]).toBe('L2 for 61 min (> 60 min) → L3');
  });

  it('a dip below L2 restarts the 60 minutes', () => {
    const samples = everyMinute(0, 70, (m) => (m === 30 ? 150 : 250));
    expect(decideLevel(measurements({ samples, level: 'L2' }), sqs, at(70)).level).toBe('L2');
    const later = everyMinute(0, 92, (m) => (m === 30 ? 150 : 250));
    expect(decideLevel(measurements({ samples: later, level: 'L2' }), sqs, at(92)).level).toBe('L3');
  });

  it('sparse samples count the streak from the first L2 sample', () => {
    const samples = series([0, 300], [30, 300], [60, 300], [70, 300]);
    expect(decideLevel(measurements({ samples, level: 'L2' }), sqs, at(70)).level).toBe('L3');
  });

  it('growth alone does nothing for the SQS preset', () => {
    const samples = everyMinute(0, 10, (m) => m * 4);
    expect(decideLevel(measurements({ samples }), sqs, at(10)).level).toBe('OK');
  });
});

describe('kafka-runbook preset (severity table, alert thresholds, L3 escalation criteria)', () => {
  it.each([
    [1_000, 'OK'],
    [1_001, 'L1'],
  ] as const)('total %i messages → %s', (depth, level) => {
    expect(decideLevel(measurements({ samples: series([0, depth]) }), kafka, at(0)).level).toBe(level);
  });

  it.each([
    [4, 'OK'],
    [5, 'L1'],
    [10, 'L1'],
  ] as const)('%i messages in 10 min → %s', (grew, level) => {
    const samples = series([0, 100], [5, 100], [10, 100 + grew]);
    expect(decideLevel(measurements({ samples }), kafka, at(10)).level).toBe(level);
  });

  it('growth needs 10 minutes of history for L1', () => {
    const samples = series([1, 100], [10, 110]);
    expect(decideLevel(measurements({ samples }), kafka, at(10)).level).toBe('OK');
  });

  it.each([
    [10, 'L1'],
    [11, 'L2'],
    [50, 'L2'],
  ] as const)('%i messages a minute for 5 min (of 10 min of history) → %s', (perMinute, level) => {
    const samples = everyMinute(0, 10, (m) => (m < 5 ? 0 : (m - 5) * perMinute));
    const decision = decideLevel(measurements({ samples }), kafka, at(10));
    expect(decision.level).toBe(level);
  });

  it('> 10/min for less than 5 min is not L2 yet', () => {
    const samples = everyMinute(0, 4, (m) => m * 20);
    expect(decideLevel(measurements({ samples }), kafka, at(4)).level).toBe('OK');
  });

  it.each([
    [50, 'L2'],
    [51, 'L3'],
  ] as const)('%i messages in the last minute → %s', (perMinute, level) => {
    const samples = [...everyMinute(0, 4, (m) => m * 20), { at: at(5), depth: 80 + perMinute }];
    expect(decideLevel(measurements({ samples }), kafka, at(5)).level).toBe(level);
  });

  it.each([
    [100, 'OK'],
    [101, 'L3'],
  ] as const)('one error signature on %i messages → %s', (count, level) => {
    const m = measurements({ samples: series([0, 150]), analysis: findings({ topSignatureCount: count }) });
    const decision = decideLevel(m, kafka, at(0));
    expect(decision.level).toBe(level);
    if (level === 'L3') expect(decision.reasons[0]).toMatch(/^one error on 101 messages \(> 100\): ssl certificate/);
  });

  it('a replay failure → L3', () => {
    const m = measurements({ samples: series([0, 3]), analysis: findings({ replayFailures: 1 }) });
    expect(decideLevel(m, kafka, at(0))).toMatchObject({ level: 'L3', reasons: ['1 replayed message(s) came back to the DLQ → L3'] });
  });

  it('an unknown error category → L3', () => {
    const m = measurements({ samples: series([0, 3]), analysis: findings({ unknownCategories: ['quota'] }) });
    expect(decideLevel(m, kafka, at(0))).toMatchObject({ level: 'L3', reasons: ['unknown error category: quota → L3'] });
  });

  it('analysis findings expire after an hour and do not count once the DLQ is empty', () => {
    const stale = measurements({ samples: series([61, 3]), analysis: findings({ replayFailures: 2 }) });
    expect(decideLevel(stale, kafka, at(61)).level).toBe('OK');
    const drained = measurements({ samples: series([5, 0]), analysis: findings({ replayFailures: 2 }) });
    expect(measureLevel(drained, kafka, at(5)).level).toBe('OK');
  });

  it('the SQS preset ignores analysis findings', () => {
    const m = measurements({ samples: series([0, 3]), analysis: findings({ replayFailures: 1, unknownCategories: ['x'], topSignatureCount: 500 }) });
    expect(decideLevel(m, sqs, at(0)).level).toBe('OK');
  });
});

describe('alert-implied levels', () => {
  it('the incident takes the higher of the alert and the measured level', () => {
    const alertOnly = measurements({ firingAlerts: [{ name: 'KafkaDLQGrowthRapid', level: 'L2' }] });
    expect(decideLevel(alertOnly, kafka, at(0))).toMatchObject({ level: 'L2', reasons: ['alert KafkaDLQGrowthRapid firing (L2) → L2'] });
    const higherDepth = measurements({ samples: series([0, 250]), firingAlerts: [{ name: 'dlq-depth', level: 'L1' }] });
    expect(decideLevel(higherDepth, sqs, at(0)).level).toBe('L2');
    const higherAlert = measurements({ samples: series([0, 60]), firingAlerts: [{ name: 'KafkaDLQGrowthRapid', level: 'L2' }] });
    expect(decideLevel(higherAlert, sqs, at(0)).level).toBe('L2');
  });
});

describe('hysteresis', () => {
  it('goes up at once, down only after the lower level held for holdMinutes', () => {
    const up = decideLevel(measurements({ samples: series([0, 250]), level: 'L1' }), sqs, at(0));
    expect(up).toMatchObject({ level: 'L2', pendingDown: null });
    const first = decideLevel(measurements({ samples: series([1, 100]), level: 'L2' }), sqs, at(1));
    expect(first.level).toBe('L2');
    expect(first.measured).toBe('L1');
    expect(first.holdUntil).toEqual(at(16));
    expect(first.pendingDown).toEqual({ since: at(1), level: 'L1' });
    expect(first.reasons[0]).toBe('at most L1 for 0 min; stays L2 for 15 more min unless it comes back');
    const during = decideLevel(measurements({ samples: series([10, 0]), level: 'L2', pendingDown: first.pendingDown }), sqs, at(10));
    expect(during).toMatchObject({ level: 'L2', pendingDown: { since: at(1), level: 'L1' } });
    const after = decideLevel(measurements({ samples: series([16, 0]), level: 'L2', pendingDown: during.pendingDown }), sqs, at(16));
    expect(after).toMatchObject({ level: 'L1', pendingDown: null });
    expect(after.reasons[0]).toBe('below every threshold for 15 min (was L2)');
  });

  it('coming back during the hold cancels the step down', () => {
    const pending = { since: at(0), level: 'L1' as const };
    const back = decideLevel(measurements({ samples: series([5, 300]), level: 'L2', pendingDown: pending }), sqs, at(5));
    expect(back).toMatchObject({ level: 'L2', pendingDown: null });
  });

  it('resolves (OK) only after the hold', () => {
    const m = (minute: number, pending: { since: Date; level: 'OK' } | null) =>
      measurements({ samples: series([minute, 0]), level: 'L1', pendingDown: pending });
    const start = decideLevel(m(0, null), sqs, at(0));
    expect(start.level).toBe('L1');
    expect(decideLevel(m(14, { since: at(0), level: 'OK' }), sqs, at(14)).level).toBe('L1');
    expect(decideLevel(m(15, { since: at(0), level: 'OK' }), sqs, at(15)).level).toBe('OK');
  });

  it('a firing alert keeps the incident up even when the queue is empty', () => {
    const m = measurements({ samples: series([30, 0]), level: 'L1', firingAlerts: [{ name: 'dlq-depth', level: 'L1' }], pendingDown: null });
    expect(decideLevel(m, sqs, at(30))).toMatchObject({ level: 'L1', pendingDown: null });
  });

  it('an escalation floor holds while anything is still wrong, not once all is clear', () => {
    const held = measurements({ samples: series([0, 60]), level: 'L2', floor: 'L2' });
    expect(decideLevel(held, sqs, at(0)).level).toBe('L2');
    const clear = measurements({ samples: series([0, 0]), level: 'L2', floor: 'L2' });
    expect(decideLevel(clear, sqs, at(0)).measured).toBe('OK');
  });
});

describe('policies', () => {
  it('per-queue overrides replace preset thresholds', () => {
    const policy = resolvePolicy({ preset: 'sqs-runbook', l1Depth: 10, l2Depth: 20, holdMinutes: 5, renotifyMinutes: { L1: 30 } });
    expect(policy).toMatchObject({ l1Depth: 10, l2Depth: 20, l3AfterL2Minutes: 60, holdMinutes: 5, renotifyMinutes: { L1: 30, L2: 60, L3: 60 } });
    expect(decideLevel(measurements({ samples: series([0, 11]) }), policy, at(0)).level).toBe('L1');
    expect(decideLevel(measurements({ samples: series([0, 21]) }), policy, at(0)).level).toBe('L2');
    const kafkaQuiet = resolvePolicy({ preset: 'kafka-runbook', l3SignatureCount: 1_000 });
    const m = measurements({ samples: series([0, 500]), analysis: findings({ topSignatureCount: 500 }) });
    expect(decideLevel(m, kafkaQuiet, at(0)).level).toBe('OK');
  });

  it('renotifies at the runbook response times: warning 4 h, critical 1 h', () => {
    expect(PRESETS['kafka-runbook'].renotifyMinutes).toEqual({ L1: 240, L2: 60, L3: 60 });
    expect(PRESETS['sqs-runbook'].renotifyMinutes).toEqual({ L1: 240, L2: 60, L3: 60 });
  });

  it('knows how much history it needs', () => {
    expect(lookbackMinutes(sqs)).toBe(75);
    expect(lookbackMinutes(kafka)).toBe(15);
  });
});

describe('growth', () => {
  it('measures over the window, never guessing a missing window', () => {
    const samples = series([0, 0], [5, 50], [10, 100]);
    expect(growthOverWindow(samples, 2, 10)).toBe(10);
    expect(growthOverWindow(samples, 2, 5)).toBe(10);
    expect(growthOverWindow(samples, 2, 11)).toBeNull();
    expect(growthOverWindow(samples, 5, 1)).toBeNull();
  });

  it('shows growth over the history there is', () => {
    expect(displayGrowthPerMinute(series([0, 0], [2, 10]))).toBe(5);
    expect(displayGrowthPerMinute(series([0, 0]))).toBeNull();
    expect(displayGrowthPerMinute(series([0, 0], [20, 10], [30, 30]))).toBe(2);
  });
});
