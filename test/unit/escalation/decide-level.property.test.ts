import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLevel, type PendingDown } from '../../../src/core/escalation/decide-level.ts';
import type { DepthPoint } from '../../../src/core/escalation/growth.ts';
import { PRESETS, resolvePolicy, type EscalationPolicy } from '../../../src/core/escalation/presets.ts';
import { levelRank, LEVELS, type Level } from '../../../src/core/model.ts';
import { at, findings, measurements } from './escalation-fixtures.ts';

const level = fc.constantFrom<Level>(...LEVELS);
const policyArb: fc.Arbitrary<EscalationPolicy> = fc
  .record({
    preset: fc.constantFrom('sqs-runbook' as const, 'kafka-runbook' as const),
    holdMinutes: fc.integer({ min: 0, max: 30 }),
    l1Depth: fc.integer({ min: 1, max: 100 }),
    l2Depth: fc.integer({ min: 100, max: 300 }),
  })
  .map((o) => resolvePolicy(o));

/** One poll: minutes since the previous, the depth read, and which alert is firing. */
const stepArb = fc.record({
  dt: fc.integer({ min: 0, max: 8 }),
  depth: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(0, 50, 51, 200, 201, 1_001)),
  alert: fc.option(fc.constantFrom<Level>('L1', 'L2', 'L3'), { freq: 3 }),
});

interface Evaluation {
  time: number;
  before: Level;
  after: Level;
  measured: Level;
}

/** Runs decideLevel over a sequence of polls the way the incident service does, carrying its state. */
const simulate = (policy: EscalationPolicy, steps: { dt: number; depth: number; alert: Level | null }[]): Evaluation[] => {
  let minute = 0;
  let current: Level = 'OK';
  let since = at(0);
  let pendingDown: PendingDown | null = null;
  const samples: DepthPoint[] = [];
  const out: Evaluation[] = [];
  for (const step of steps) {
    minute += step.dt;
    samples.push({ at: at(minute), depth: step.depth });
    const m = measurements({
      samples: samples.filter((s) => s.at.getTime() >= at(minute - 80).getTime()),
      firingAlerts: step.alert ? [{ name: 'alarm', level: step.alert }] : [],
      current: { level: current, since },
      pendingDown,
    });
    const decision = decideLevel(m, policy, at(minute));
    out.push({ time: minute, before: current, after: decision.level, measured: decision.measured });
    if (decision.level !== current) since = at(minute);
    current = decision.level;
    pendingDown = decision.pendingDown;
  }
  return out;
};

describe('decideLevel properties', () => {
  it('never steps down before the lower level held for the hold time', () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { minLength: 1, maxLength: 80 }), (policy, steps) => {
        const evaluations = simulate(policy, steps);
        evaluations.forEach((e, i) => {
          if (levelRank(e.after) >= levelRank(e.before)) return;
          // The trailing run of evaluations measured below the level left, ending here.
          let start = i;
          while (start > 0 && levelRank(evaluations[start - 1]!.measured) < levelRank(e.before) && evaluations[start - 1]!.before === e.before) start -= 1;
          expect(e.time - evaluations[start]!.time).toBeGreaterThanOrEqual(policy.holdMinutes);
          for (let j = start; j <= i; j += 1) expect(levelRank(evaluations[j]!.measured)).toBeLessThan(levelRank(e.before));
          // And never below what was measured during the hold.
          for (let j = start; j <= i; j += 1) expect(levelRank(e.after)).toBeGreaterThanOrEqual(levelRank(evaluations[j]!.measured));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('goes up at once: the level is never below what is measured', () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { minLength: 1, maxLength: 60 }), (policy, steps) => {
        for (const e of simulate(policy, steps)) expect(levelRank(e.after)).toBeGreaterThanOrEqual(levelRank(e.measured));
      }),
      { numRuns: 200 },
    );
  });

  const l3Trigger = fc.oneof(
    fc.integer({ min: 101, max: 10_000 }).map((count) => ({ analysis: findings({ topSignatureCount: count }) })),
    fc.integer({ min: 1, max: 50 }).map((n) => ({ analysis: findings({ replayFailures: n }) })),
    fc.constantFrom('quota', 'weird', 'unknown').map((c) => ({ analysis: findings({ unknownCategories: [c] }) })),
    fc.integer({ min: 51, max: 500 }).map((perMinute) => ({ growth: perMinute })),
    fc.constant({ alert: 'L3' as const }),
  );

  it('never skips an L3 trigger of the Kafka runbook, whatever the state', () => {
    fc.assert(
      fc.property(
        l3Trigger,
        level,
        fc.option(fc.record({ since: fc.integer({ min: 0, max: 30 }).map(at), level }), { nil: null }),
        fc.option(level, { nil: null }),
        fc.integer({ min: 1, max: 5_000 }),
        (trigger, current, pending, floor, depth) => {
          const samples: DepthPoint[] = 'growth' in trigger
            ? [{ at: at(29), depth }, { at: at(30), depth: depth + trigger.growth }]
            : [{ at: at(30), depth }];
          const m = measurements({
            samples,
            analysis: 'analysis' in trigger ? { ...trigger.analysis, at: at(20) } : null,
            firingAlerts: 'alert' in trigger ? [{ name: 'page', level: trigger.alert }] : [],
            current: { level: current, since: at(0) },
            pendingDown: pending,
            floor,
          });
          const decision = decideLevel(m, PRESETS['kafka-runbook'], at(30));
          expect(decision.level).toBe('L3');
          expect(decision.reasons.some((r) => r.endsWith('→ L3'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never skips the SQS runbook L3: L2 lasting longer than 60 minutes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 201, max: 5_000 }), { minLength: 2, maxLength: 20 }), level, (depths, current) => {
        const step = 61 / (depths.length - 1) + 0.01;
        const samples = depths.map((depth, i) => ({ at: at(i * step), depth }));
        const now = samples[samples.length - 1]!.at;
        const decision = decideLevel(measurements({ samples, current: { level: current, since: at(0) } }), PRESETS['sqs-runbook'], now);
        expect(decision.level).toBe('L3');
      }),
    );
  });
});
