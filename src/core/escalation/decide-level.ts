// decideLevel: the level an incident should be at, from stored measurements, a policy and the time.
// Up is immediate; down only once the lower level has held for the policy's hold time, so a level
// never flaps. Pure: the caller loads the measurements and persists `pendingDown` for the next call.

import { levelRank, maxLevel, type Level } from '../model.ts';
import { describeDepth } from './escalation-depth.ts';
import { growthOverWindow, type DepthPoint } from './growth.ts';
import type { EscalationPolicy } from './presets.ts';

/** Findings of the latest analysis of the DLQ (error signatures, categories, replays that came back). */
export interface AnalysisFindings {
  at: Date;
  topSignature: string | null;
  topSignatureCount: number;
  /** Error categories the runbook does not know (neither permanent nor transient). */
  unknownCategories: readonly string[];
  /** Replayed messages that came back to the DLQ. */
  replayFailures: number;
}

/** The raw level was below the incident's level since `since`; `level` is the highest raw level seen since. */
export interface PendingDown {
  since: Date;
  level: Level;
}

export interface Measurements {
  /**
   * Depth samples, oldest first, reaching back `lookbackMinutes(policy)` when the history exists.
   * Their depth is what escalation counts: visible + in flight (escalation-depth.ts).
   */
  samples: readonly DepthPoint[];
  /** Levels implied by the alerts currently firing (ok alerts are left out). */
  firingAlerts: readonly { name: string; level: Level }[];
  analysis: AnalysisFindings | null;
  /** A level the incident was escalated to because nobody acknowledged it; null when none. */
  floor: Level | null;
  /** The incident's level and since when; OK when no incident is open. */
  current: { level: Level; since: Date };
  pendingDown: PendingDown | null;
}

export interface LevelDecision {
  level: Level;
  /** What the measurements alone call for now, before hysteresis. */
  measured: Level;
  /** Why `level`: the rules that fired, or why a lower level is not taken yet. */
  reasons: string[];
  /** Set while a lower level is pending: the time it will be taken if it keeps holding. */
  holdUntil?: Date;
  /** To store with the incident and pass back next time. */
  pendingDown: PendingDown | null;
}

interface Finding {
  level: Level;
  reason: string;
}

const MINUTE_MS = 60_000;
const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1));

/** The levels depth and growth call for at sample `end` (no duration rule). */
const sampleFindings = (samples: readonly DepthPoint[], end: number, policy: EscalationPolicy): Finding[] => {
  const sample = samples[end];
  if (!sample) return [];
  const found: Finding[] = [];
  const { depth } = sample;
  const shown = describeDepth(sample);
  if (policy.l2Depth !== null && depth > policy.l2Depth) found.push({ level: 'L2', reason: `depth ${shown} > ${fmt(policy.l2Depth)}` });
  else if (policy.l1Depth !== null && depth > policy.l1Depth) found.push({ level: 'L1', reason: `depth ${shown} > ${fmt(policy.l1Depth)}` });
  if (policy.l3GrowthPerMinute !== null) {
    const growth = growthOverWindow(samples, end, policy.l3GrowthWindowMinutes);
    if (growth !== null && growth > policy.l3GrowthPerMinute) {
      found.push({ level: 'L3', reason: `growing ${fmt(growth)}/min > ${fmt(policy.l3GrowthPerMinute)}/min` });
    }
  }
  if (policy.l2GrowthPerMinute !== null) {
    const growth = growthOverWindow(samples, end, policy.l2GrowthWindowMinutes);
    if (growth !== null && growth > policy.l2GrowthPerMinute) {
      found.push({ level: 'L2', reason: `growing ${fmt(growth)}/min > ${fmt(policy.l2GrowthPerMinute)}/min for ${fmt(policy.l2GrowthWindowMinutes)} min` });
    }
  }
  if (policy.l1GrowthPer10Min !== null) {
    const growth = growthOverWindow(samples, end, 10);
    if (growth !== null && growth * 10 >= policy.l1GrowthPer10Min) {
      found.push({ level: 'L1', reason: `grew ${fmt(growth * 10)} in 10 min (≥ ${fmt(policy.l1GrowthPer10Min)})` });
    }
  }
  return found;
};

const highest = (findings: readonly Finding[]): Level => findings.reduce<Level>((level, f) => maxLevel(level, f.level), 'OK');

/** L3 when the sample level has been L2 or above, without a break, for longer than the policy allows. */
const durationFinding = (samples: readonly DepthPoint[], policy: EscalationPolicy): Finding | null => {
  if (policy.l3AfterL2Minutes === null || samples.length === 0) return null;
  const last = samples.length - 1;
  let start = -1;
  for (let i = last; i >= 0; i -= 1) {
    if (levelRank(highest(sampleFindings(samples, i, policy))) < levelRank('L2')) break;
    start = i;
  }
  if (start < 0) return null;
  const minutes = (samples[last]!.at.getTime() - samples[start]!.at.getTime()) / MINUTE_MS;
  if (minutes <= policy.l3AfterL2Minutes) return null;
  return { level: 'L3', reason: `L2 for ${fmt(Math.floor(minutes))} min (> ${fmt(policy.l3AfterL2Minutes)} min)` };
};

/** Analysis findings count while fresh and while the DLQ still holds messages. */
const analysisFindings = (measurements: Measurements, policy: EscalationPolicy, now: Date): Finding[] => {
  const analysis = measurements.analysis;
  if (!analysis) return [];
  if (now.getTime() - analysis.at.getTime() > policy.analysisMaxAgeMinutes * MINUTE_MS) return [];
  const latest = measurements.samples[measurements.samples.length - 1];
  if (latest && latest.at.getTime() >= analysis.at.getTime() && latest.depth === 0) return [];
  const found: Finding[] = [];
  if (policy.l3SignatureCount !== null && analysis.topSignatureCount > policy.l3SignatureCount) {
    found.push({ level: 'L3', reason: `one error on ${fmt(analysis.topSignatureCount)} messages (> ${fmt(policy.l3SignatureCount)})${analysis.topSignature ? `: ${analysis.topSignature}` : ''}` });
  }
  if (policy.l3OnReplayFailure && analysis.replayFailures > 0) {
    found.push({ level: 'L3', reason: `${fmt(analysis.replayFailures)} replayed message(s) came back to the DLQ` });
  }
  if (policy.l3OnUnknownCategory && analysis.unknownCategories.length > 0) {
    found.push({ level: 'L3', reason: `unknown error category: ${analysis.unknownCategories.slice(0, 3).join(', ')}` });
  }
  return found;
};

/** The level the measurements call for right now, with the reasons, before hysteresis. */
export const measureLevel = (measurements: Measurements, policy: EscalationPolicy, now: Date): { level: Level; reasons: string[] } => {
  const { samples } = measurements;
  const findings: Finding[] = [...sampleFindings(samples, samples.length - 1, policy)];
  const duration = durationFinding(samples, policy);
  if (duration) findings.push(duration);
  findings.push(...analysisFindings(measurements, policy, now));
  for (const alert of measurements.firingAlerts) findings.push({ level: alert.level, reason: `alert ${alert.name} firing (${alert.level})` });
  let level = highest(findings);
  if (level !== 'OK' && measurements.floor !== null && levelRank(measurements.floor) > levelRank(level)) {
    findings.push({ level: measurements.floor, reason: `escalated to ${measurements.floor}: not acknowledged in time` });
    level = measurements.floor;
  }
  // The reasons for the level taken first, highest first; lower findings after them.
  const ordered = [...findings].sort((a, b) => levelRank(b.level) - levelRank(a.level));
  return { level, reasons: ordered.map((f) => `${f.reason} → ${f.level}`) };
};

/**
 * Decides the incident's level: the measured level when it is at or above the current one (going
 * up is immediate), else the current level until the measured level has stayed below it for
 * `holdMinutes`, then the highest measured level seen during that time.
 */
export const decideLevel = (measurements: Measurements, policy: EscalationPolicy, now: Date): LevelDecision => {
  const measured = measureLevel(measurements, policy, now);
  const current = measurements.current.level;
  if (levelRank(measured.level) >= levelRank(current)) {
    const reasons = measured.level === 'OK' ? ['below every threshold'] : measured.reasons;
    return { level: measured.level, measured: measured.level, reasons, pendingDown: null };
  }
  const previous = measurements.pendingDown;
  const pending: PendingDown = previous && previous.since.getTime() <= now.getTime() && levelRank(previous.level) < levelRank(current)
    ? { since: previous.since, level: maxLevel(previous.level, measured.level) }
    : { since: now, level: measured.level };
  const holdUntil = new Date(pending.since.getTime() + policy.holdMinutes * MINUTE_MS);
  const below = measured.level === 'OK' ? 'below every threshold' : `at most ${pending.level}`;
  if (now.getTime() >= holdUntil.getTime()) {
    const reasons = [`${below} for ${fmt(policy.holdMinutes)} min (was ${current})`, ...measured.reasons];
    return { level: pending.level, measured: measured.level, reasons, pendingDown: null };
  }
  const left = Math.ceil((holdUntil.getTime() - now.getTime()) / MINUTE_MS);
  const reasons = [`${below} for ${fmt(Math.floor((now.getTime() - pending.since.getTime()) / MINUTE_MS))} min; stays ${current} for ${fmt(left)} more min unless it comes back`, ...measured.reasons];
  return { level: current, measured: measured.level, reasons, holdUntil, pendingDown: pending };
};
