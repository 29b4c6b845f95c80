// Incident lifecycle transitions: open, take a level decision (change or resolve), record alerts,
// re-notify and escalate when nobody acknowledges, acknowledge, summarize. Pure: each returns the
// store patch and what happened; the app layer persists it and talks to Slack.

import type { LevelDecision, Measurements } from '../escalation/decide-level.ts';
import type { DepthPoint } from '../escalation/growth.ts';
import type { EscalationPolicy } from '../escalation/presets.ts';
import { levelRank, maxLevel, type AlertState, type Incident, type IncidentPatch, type Level, type NewIncident } from '../model.ts';
import { writeIncidentData, type AlertStatus, type IncidentData, type IncidentSummaryData, type Reading } from './incident-data.ts';

const MINUTE_MS = 60_000;
const NEXT_LEVEL: Record<Level, Level> = { OK: 'L1', L1: 'L2', L2: 'L3', L3: 'L3' };

/** The alert list with this alert's latest state (one entry per alert name). */
export const withAlert = (alerts: readonly AlertStatus[], alert: AlertStatus): AlertStatus[] => [
  ...alerts.filter((a) => a.name !== alert.name),
  alert,
];

/** A firing alert without a level of its own keeps the incident at L1 at least (it is still firing). */
export const firingAlerts = (alerts: readonly AlertStatus[]): { name: string; level: Level }[] =>
  alerts.filter((a) => a.state === 'firing').map((a) => ({ name: a.name, level: a.level ?? 'L1' }));

export const alertStateOf = (alerts: readonly AlertStatus[]): AlertState =>
  alerts.length === 0 ? 'none' : alerts.some((a) => a.state === 'firing') ? 'firing' : 'ok';

/** What decideLevel needs, from the incident (or none yet), its data and the loaded samples. */
export const measurementsFor = (incident: Incident | null, data: IncidentData, samples: readonly DepthPoint[], now: Date): Measurements => ({
  samples,
  firingAlerts: firingAlerts(data.alerts),
  analysis: data.analysis,
  floor: data.floor,
  current: incident && incident.status === 'open' ? { level: incident.level, since: incident.levelSince } : { level: 'OK', since: now },
  pendingDown: data.pendingDown,
});

/** The incident to open for a decision above OK. */
export const newIncidentFor = (id: string, queue: string, decision: LevelDecision, data: IncidentData, now: Date): NewIncident => ({
  id,
  queue,
  level: decision.level,
  openedAt: now,
  alertState: alertStateOf(data.alerts),
  peakDepth: data.reading?.depth ?? 0,
  data: writeIncidentData({ ...data, reasons: decision.reasons, pendingDown: decision.pendingDown, holdUntil: decision.holdUntil ?? null, peakLevel: decision.level }),
});

export type Transition =
  | { kind: 'unchanged'; patch: IncidentPatch; data: IncidentData }
  | { kind: 'level-changed'; from: Level; to: Level; reasons: string[]; patch: IncidentPatch; data: IncidentData }
  | { kind: 'resolved'; from: Level; reasons: string[]; patch: IncidentPatch; data: IncidentData };

/** Takes a decision for an open incident: a new level, resolution (OK), or fresh readings only. */
export const applyDecision = (incident: Incident, data: IncidentData, decision: LevelDecision, reading: Reading | null, now: Date): Transition => {
  const next: IncidentData = {
    ...data,
    reading: reading ?? data.reading,
    reasons: decision.reasons,
    pendingDown: decision.pendingDown,
    holdUntil: decision.holdUntil ?? null,
    peakLevel: maxLevel(data.peakLevel, decision.level),
  };
  const base: IncidentPatch = {
    peakDepth: Math.max(incident.peakDepth, reading?.depth ?? 0),
    alertState: alertStateOf(next.alerts),
  };
  if (decision.level === incident.level) return { kind: 'unchanged', patch: { ...base, data: writeIncidentData(next) }, data: next };
  if (decision.level === 'OK') {
    const resolved: IncidentData = { ...next, pendingDown: null, holdUntil: null, floor: null };
    return {
      kind: 'resolved',
      from: incident.level,
      reasons: decision.reasons,
      patch: { ...base, status: 'resolved', resolvedAt: now, level: 'OK', levelSince: now, data: writeIncidentData(resolved) },
      data: resolved,
    };
  }
  // A floor below the new level has done its job.
  const floor = next.floor !== null && levelRank(next.floor) <= levelRank(decision.level) && levelRank(decision.level) > levelRank(incident.level) ? null : next.floor;
  const changed: IncidentData = { ...next, floor };
  return {
    kind: 'level-changed',
    from: incident.level,
    to: decision.level,
    reasons: decision.reasons,
    patch: { ...base, level: decision.level, levelSince: now, lastNotifiedAt: now, data: writeIncidentData(changed) },
    data: changed,
  };
};

export interface Renotification {
  /** The level to escalate to; null when already at L3 (re-notify only). */
  escalateTo: Level | null;
  /** Minutes since the last notification. */
  waitedMinutes: number;
}

/** Due when an open, unacknowledged incident has gone its level's interval without a notification. */
export const dueRenotification = (incident: Incident, policy: EscalationPolicy, now: Date): Renotification | null => {
  if (incident.status !== 'open' || incident.level === 'OK' || incident.acknowledgedAt !== null) return null;
  const since = incident.lastNotifiedAt ?? incident.levelSince;
  const waited = (now.getTime() - since.getTime()) / MINUTE_MS;
  if (waited < policy.renotifyMinutes[incident.level]) return null;
  return { escalateTo: incident.level === 'L3' ? null : NEXT_LEVEL[incident.level], waitedMinutes: Math.floor(waited) };
};

/** Re-notifies (and escalates one level, held by a floor until acknowledged). */
export const applyRenotification = (incident: Incident, data: IncidentData, due: Renotification, now: Date): { patch: IncidentPatch; data: IncidentData; from: Level; to: Level } => {
  if (due.escalateTo === null) return { patch: { lastNotifiedAt: now }, data, from: incident.level, to: incident.level };
  const next: IncidentData = {
    ...data,
    floor: due.escalateTo,
    pendingDown: null,
    holdUntil: null,
    peakLevel: maxLevel(data.peakLevel, due.escalateTo),
    reasons: [`not acknowledged for ${due.waitedMinutes} min at ${incident.level} → ${due.escalateTo}`, ...data.reasons],
  };
  return {
    patch: { level: due.escalateTo, levelSince: now, lastNotifiedAt: now, data: writeIncidentData(next) },
    data: next,
    from: incident.level,
    to: due.escalateTo,
  };
};

export type AckOutcome =
  | { kind: 'acknowledged'; patch: IncidentPatch; data: IncidentData }
  | { kind: 'already-acknowledged'; by: string; at: Date }
  | { kind: 'not-open' };

/** Records who acknowledged and when; stops re-notification and lifts an escalation floor. */
export const acknowledge = (incident: Incident, data: IncidentData, user: string, now: Date): AckOutcome => {
  if (incident.status !== 'open') return { kind: 'not-open' };
  if (incident.acknowledgedBy !== null) return { kind: 'already-acknowledged', by: incident.acknowledgedBy, at: incident.acknowledgedAt ?? now };
  const next: IncidentData = { ...data, floor: null };
  return { kind: 'acknowledged', patch: { acknowledgedBy: user, acknowledgedAt: now, data: writeIncidentData(next) }, data: next };
};

/** stillFailing: messages in the DLQ at the last reading; returnedAfterReplay: from the latest analysis. */
export type IncidentSummary = IncidentSummaryData;

export const summarize = (
  incident: Incident,
  data: IncidentData,
  counts: { replayed: number; resolved: number },
  now: Date,
): IncidentSummary => ({
  durationMinutes: Math.max(0, Math.round((now.getTime() - incident.openedAt.getTime()) / MINUTE_MS)),
  peakDepth: Math.max(incident.peakDepth, data.reading?.depth ?? 0),
  peakLevel: data.peakLevel,
  replayed: counts.replayed,
  resolved: counts.resolved,
  stillFailing: data.reading?.depth ?? 0,
  returnedAfterReplay: data.analysis?.replayFailures ?? 0,
});
