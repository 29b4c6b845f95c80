// Escalation counts every message still in the DLQ: visible + in flight. A bulk replay that hides the
// messages it skips must not make an incident step down or resolve.
import { describe, expect, it } from 'vitest';
import { decideLevel } from '../../../src/core/escalation/decide-level.ts';
import { describeDepth, escalationPoints } from '../../../src/core/escalation/escalation-depth.ts';
import { resolvePolicy } from '../../../src/core/escalation/presets.ts';
import { at, measurements } from './escalation-fixtures.ts';

const policy = resolvePolicy({ preset: 'sqs-runbook', l1Depth: 5, l2Depth: 10, holdMinutes: 1 });

describe('escalation depth (visible + in flight)', () => {
  it('adds the messages not visible to the visible ones, and says so', () => {
    expect(escalationPoints([{ at: at(0), depth: 1, inFlight: 16 }, { at: at(1), depth: 7, inFlight: null }, { at: at(2), depth: 3 }])).toEqual([
      { at: at(0), depth: 17, inFlight: 16 },
      { at: at(1), depth: 7, inFlight: 0 },
      { at: at(2), depth: 3, inFlight: 0 },
    ]);
    expect(describeDepth({ depth: 17, inFlight: 16 })).toBe('17 (1 visible + 16 in flight)');
    expect(describeDepth({ depth: 1_250, inFlight: 0 })).toBe('1,250');
    expect(describeDepth({ depth: 4 })).toBe('4');
  });

  it('a filtered job hiding 16 of 17 messages keeps L2, past the hold time: no step-down, no resolve', () => {
    // 17 visible, then a job holds what it skips: visible falls to 1, 16 in flight.
    const stored = [{ at: at(0), depth: 17, inFlight: 0 }, { at: at(1), depth: 1, inFlight: 16 }, { at: at(3), depth: 1, inFlight: 16 }];
    const first = decideLevel(measurements({ level: 'L2', samples: escalationPoints(stored.slice(0, 2)) }), policy, at(1));
    expect(first).toMatchObject({ level: 'L2', measured: 'L2', pendingDown: null });
    expect(first.reasons[0]).toBe('depth 17 (1 visible + 16 in flight) > 10 → L2');
    const later = decideLevel(measurements({ level: 'L2', samples: escalationPoints(stored), pendingDown: first.pendingDown }), policy, at(3));
    expect(later).toMatchObject({ level: 'L2', measured: 'L2', pendingDown: null });
    // Visible only, the same samples would have let it go down to L1, then OK once the hold passed.
    const visibleOnly = stored.map((s) => ({ at: s.at, depth: s.depth }));
    const hidden = decideLevel(measurements({ level: 'L2', samples: visibleOnly.slice(0, 2) }), policy, at(1));
    expect(hidden.measured).toBe('OK');
    expect(decideLevel(measurements({ level: 'L2', samples: visibleOnly, pendingDown: hidden.pendingDown }), policy, at(3)).level).toBe('OK');
  });
});
