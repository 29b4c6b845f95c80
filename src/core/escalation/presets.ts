// Escalation policies: the two runbooks' thresholds as presets, and per-queue overrides on top
// (config `queues[].escalation`). Pure data and arithmetic; the config schema validates the input.

import type { Level } from '../model.ts';

export type PresetName = 'sqs-runbook' | 'kafka-runbook';
export type PagedLevel = Exclude<Level, 'OK'>;

/** The thresholds decideLevel applies. A null threshold means "this rule is off". */
export interface EscalationPolicy {
  preset: PresetName;
  /** L1 when depth is above this. */
  l1Depth: number | null;
  /** L2 when depth is above this. */
  l2Depth: number | null;
  /** L3 when the measured level has been L2 or above for longer than this. */
  l3AfterL2Minutes: number | null;
  /** L1 when the depth grew by at least this much over the last 10 minutes. */
  l1GrowthPer10Min: number | null;
  /** L2 when growth over the last `l2GrowthWindowMinutes` is above this many messages a minute. */
  l2GrowthPerMinute: number | null;
  l2GrowthWindowMinutes: number;
  /** L3 when growth over the last `l3GrowthWindowMinutes` is above this many messages a minute. */
  l3GrowthPerMinute: number | null;
  l3GrowthWindowMinutes: number;
  /** L3 when one error signature is on more than this many messages (latest analysis). */
  l3SignatureCount: number | null;
  /** L3 when replayed messages came back to the DLQ (latest analysis). */
  l3OnReplayFailure: boolean;
  /** L3 when the DLQ holds an error category the runbook does not know (latest analysis). */
  l3OnUnknownCategory: boolean;
  /** A lower level must hold this long before the incident steps down (hysteresis). */
  holdMinutes: number;
  /** Unacknowledged incidents are re-notified, and escalated one level, at these intervals. */
  renotifyMinutes: Record<PagedLevel, number>;
  /** Analysis findings older than this no longer count. */
  analysisMaxAgeMinutes: number;
}

/** Per-queue overrides; the shape of config's `escalationSchema` (every field optional but preset). */
export interface EscalationOverrides {
  preset: PresetName;
  l1Depth?: number | undefined;
  l2Depth?: number | undefined;
  l3AfterL2Minutes?: number | undefined;
  l1GrowthPer10Min?: number | undefined;
  l2GrowthPerMinute?: number | undefined;
  l2GrowthWindowMinutes?: number | undefined;
  l3GrowthPerMinute?: number | undefined;
  l3SignatureCount?: number | undefined;
  holdMinutes?: number | undefined;
  renotifyMinutes?: { L1?: number | undefined; L2?: number | undefined; L3?: number | undefined } | undefined;
}

/** Runbook response times: warning within 4 h, critical (and a page) within 1 h. */
const RENOTIFY: Record<PagedLevel, number> = { L1: 240, L2: 60, L3: 60 };
export const DEFAULT_HOLD_MINUTES = 15;

export const PRESETS: Readonly<Record<PresetName, EscalationPolicy>> = {
  // sqs-stepfunctions runbook, "Escalation Procedures": L1 > 50 messages, L2 > 200, L3 an extended outage.
  'sqs-runbook': {
    preset: 'sqs-runbook',
    l1Depth: 50,
    l2Depth: 200,
    l3AfterL2Minutes: 60,
    l1GrowthPer10Min: null,
    l2GrowthPerMinute: null,
    l2GrowthWindowMinutes: 5,
    l3GrowthPerMinute: null,
    l3GrowthWindowMinutes: 1,
    l3SignatureCount: null,
    l3OnReplayFailure: false,
    l3OnUnknownCategory: false,
    holdMinutes: DEFAULT_HOLD_MINUTES,
    renotifyMinutes: RENOTIFY,
    analysisMaxAgeMinutes: 60,
  },
  // kafka runbook: severity table (5/10 min warning, > 10/min critical, > 1,000 total warning),
  // KafkaDLQGrowthRapid (> 10/min for 5 min) and "Escalation Criteria" for L3.
  'kafka-runbook': {
    preset: 'kafka-runbook',
    l1Depth: 1_000,
    l2Depth: null,
    l3AfterL2Minutes: null,
    l1GrowthPer10Min: 5,
    l2GrowthPerMinute: 10,
    l2GrowthWindowMinutes: 5,
    l3GrowthPerMinute: 50,
    l3GrowthWindowMinutes: 1,
    l3SignatureCount: 100,
    l3OnReplayFailure: true,
    l3OnUnknownCategory: true,
    holdMinutes: DEFAULT_HOLD_MINUTES,
    renotifyMinutes: RENOTIFY,
    analysisMaxAgeMinutes: 60,
  },
};

/** The preset with the queue's overrides applied. */
export const resolvePolicy = (overrides: EscalationOverrides): EscalationPolicy => {
  const base = PRESETS[overrides.preset];
  const pick = <K extends keyof EscalationOverrides & keyof EscalationPolicy>(key: K): EscalationPolicy[K] =>
    (overrides[key] ?? base[key]) as EscalationPolicy[K];
  return {
    ...base,
    l1Depth: pick('l1Depth'),
    l2Depth: pick('l2Depth'),
    l3AfterL2Minutes: pick('l3AfterL2Minutes'),
    l1GrowthPer10Min: pick('l1GrowthPer10Min'),
    l2GrowthPerMinute: pick('l2GrowthPerMinute'),
    l2GrowthWindowMinutes: pick('l2GrowthWindowMinutes'),
    l3GrowthPerMinute: pick('l3GrowthPerMinute'),
    l3SignatureCount: pick('l3SignatureCount'),
    holdMinutes: pick('holdMinutes'),
    renotifyMinutes: {
      L1: overrides.renotifyMinutes?.L1 ?? base.renotifyMinutes.L1,
      L2: overrides.renotifyMinutes?.L2 ?? base.renotifyMinutes.L2,
      L3: overrides.renotifyMinutes?.L3 ?? base.renotifyMinutes.L3,
    },
  };
};

/** How much sample history decideLevel needs to see every rule of the policy. */
export const lookbackMinutes = (policy: EscalationPolicy): number => {
  const windows = Math.max(10, policy.l2GrowthWindowMinutes, policy.l3GrowthWindowMinutes);
  return (policy.l3AfterL2Minutes ?? 0) + windows + 5;
};
