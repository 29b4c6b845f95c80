// Builders for escalation tests: depth series on a fixed clock and measurement records. Tests only.
import type { AnalysisFindings, Measurements } from '../../../src/core/escalation/decide-level.ts';
import type { DepthPoint } from '../../../src/core/escalation/growth.ts';
import type { Level } from '../../../src/core/model.ts';

export const T0 = new Date('2025-03-01T10:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

/** Samples from `[minute, depth]` pairs. */
export const series = (...points: [number, number][]): DepthPoint[] => points.map(([m, depth]) => ({ at: at(m), depth }));

/** One sample a minute from `from` to `to` (inclusive) with depth = f(minute). */
export const everyMinute = (from: number, to: number, f: (minute: number) => number): DepthPoint[] => {
  const out: DepthPoint[] = [];
  for (let m = from; m <= to; m += 1) out.push({ at: at(m), depth: f(m) });
  return out;
};

export const findings = (overrides: Partial<AnalysisFindings> = {}): AnalysisFindings => ({
  at: T0,
  topSignature: 'ssl certificate verification failed',
  topSignatureCount: 0,
  unknownCategories: [],
  replayFailures: 0,
  ...overrides,
});

export const measurements = (overrides: Partial<Measurements> & { level?: Level } = {}): Measurements => {
  const { level, ...rest } = overrides;
  return {
    samples: [],
    firingAlerts: [],
    analysis: null,
    floor: null,
    current: { level: level ?? 'OK', since: T0 },
    pendingDown: null,
    ...rest,
  };
};
