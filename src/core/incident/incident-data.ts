// The typed view of an incident's free-form `data` (alerts by name, pending step-down, escalation
// floor, latest reading and analysis, the L3 page, charts posted) and its JSON round trip. Reading
// never throws: a field that does not parse falls back to its empty value.

import type { AnalysisFindings, PendingDown } from '../escalation/decide-level.ts';
import { LEVELS, type JsonObject, type JsonValue, type Level } from '../model.ts';

export interface AlertStatus {
  name: string;
  source: string;
  state: 'firing' | 'ok';
  /** The level the alert implies while firing; null when it implies none. */
  level: Level | null;
  at: Date;
  /** Alarm reason or alert summary, as received (escape before showing). */
  reason: string | null;
}

export interface Reading {
  at: Date;
  /** What escalation counts: visible + in flight (escalation-depth.ts). */
  depth: number;
  /** Of `depth`, not visible at the reading (SQS in flight); null or absent where unknown (Kafka, older data). */
  inFlight?: number | null;
  growthPerMinute: number | null;
  oldestAgeSeconds: number | null;
}

export interface PatternCount {
  label: string;
  count: number;
  action: string | null;
}

export interface AnalysisSnapshot extends AnalysisFindings {
  topPatterns: PatternCount[];
  scanned: number;
  /** One message to show in the L3 page (redacted before storing). */
  sample: { messageKey: string; text: string } | null;
}

export interface IncidentData {
  alerts: AlertStatus[];
  pendingDown: PendingDown | null;
  floor: Level | null;
  /** Why the incident is at its level (the latest decision). */
  reasons: string[];
  holdUntil: Date | null;
  reading: Reading | null;
  peakLevel: Level;
  analysis: AnalysisSnapshot | null;
  /** The L3 page in the L3 channel, once posted. */
  page: { channel: string; ts: string; at: Date } | null;
  /** Levels whose depth chart was uploaded into the thread. */
  charts: Level[];
  /** Set once resolved: what the thread's last reply and the parent say. */
  summary: IncidentSummaryData | null;
}

/** The resolution summary (see incident-lifecycle summarize). */
export interface IncidentSummaryData {
  durationMinutes: number;
  peakDepth: number;
  peakLevel: Level;
  replayed: number;
  resolved: number;
  stillFailing: number;
  returnedAfterReplay: number;
}

export const emptyIncidentData = (): IncidentData => ({
  alerts: [],
  pendingDown: null,
  floor: null,
  reasons: [],
  holdUntil: null,
  reading: null,
  peakLevel: 'OK',
  analysis: null,
  page: null,
  charts: [],
  summary: null,
});

const obj = (v: JsonValue | undefined): JsonObject | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null);
const arr = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const level = (v: JsonValue | undefined): Level | null => (typeof v === 'string' && (LEVELS as readonly string[]).includes(v) ? (v as Level) : null);
const date = (v: JsonValue | undefined): Date | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

const readAlert = (v: JsonValue): AlertStatus | null => {
  const o = obj(v);
  const name = str(o?.name);
  const at = date(o?.at);
  const state = o?.state === 'firing' || o?.state === 'ok' ? o.state : null;
  if (!o || name === null || at === null || state === null) return null;
  return { name, source: str(o.source) ?? 'unknown', state, level: level(o.level), at, reason: str(o.reason) };
};

const readAnalysis = (v: JsonValue | undefined): AnalysisSnapshot | null => {
  const o = obj(v);
  const at = date(o?.at);
  if (!o || !at) return null;
  const sample = obj(o.sample);
  return {
    at,
    topSignature: str(o.topSignature),
    topSignatureCount: num(o.topSignatureCount) ?? 0,
    unknownCategories: arr(o.unknownCategories).filter((c): c is string => typeof c === 'string'),
    replayFailures: num(o.replayFailures) ?? 0,
    scanned: num(o.scanned) ?? 0,
    topPatterns: arr(o.topPatterns).flatMap((p) => {
      const po = obj(p);
      const label = str(po?.label);
      return po && label !== null ? [{ label, count: num(po.count) ?? 0, action: str(po.action) }] : [];
    }),
    sample: sample && str(sample.messageKey) !== null ? { messageKey: str(sample.messageKey)!, text: str(sample.text) ?? '' } : null,
  };
};

export const readIncidentData = (data: JsonObject): IncidentData => {
  const pending = obj(data.pendingDown);
  const pendingSince = date(pending?.since);
  const pendingLevel = level(pending?.level);
  const reading = obj(data.reading);
  const readingAt = date(reading?.at);
  const page = obj(data.page);
  const pageAt = date(page?.at);
  return {
    alerts: arr(data.alerts).map(readAlert).filter((a): a is AlertStatus => a !== null),
    pendingDown: pendingSince && pendingLevel ? { since: pendingSince, level: pendingLevel } : null,
    floor: level(data.floor),
    reasons: arr(data.reasons).filter((r): r is string => typeof r === 'string'),
    holdUntil: date(data.holdUntil),
    reading: reading && readingAt && num(reading.depth) !== null
      ? { at: readingAt, depth: num(reading.depth)!, inFlight: num(reading.inFlight), growthPerMinute: num(reading.growthPerMinute), oldestAgeSeconds: num(reading.oldestAgeSeconds) }
      : null,
    peakLevel: level(data.peakLevel) ?? 'OK',
    analysis: readAnalysis(data.analysis),
    page: page && pageAt && str(page.channel) && str(page.ts) ? { channel: str(page.channel)!, ts: str(page.ts)!, at: pageAt } : null,
    charts: arr(data.charts).map((c) => level(c)).filter((c): c is Level => c !== null),
    summary: readSummary(data.summary),
  };
};

const readSummary = (v: JsonValue | undefined): IncidentSummaryData | null => {
  const o = obj(v);
  if (!o || num(o.durationMinutes) === null) return null;
  return {
    durationMinutes: num(o.durationMinutes)!,
    peakDepth: num(o.peakDepth) ?? 0,
    peakLevel: level(o.peakLevel) ?? 'OK',
    replayed: num(o.replayed) ?? 0,
    resolved: num(o.resolved) ?? 0,
    stillFailing: num(o.stillFailing) ?? 0,
    returnedAfterReplay: num(o.returnedAfterReplay) ?? 0,
  };
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const writeIncidentData = (data: IncidentData): JsonObject => ({
  alerts: data.alerts.map((a) => ({ name: a.name, source: a.source, state: a.state, level: a.level, at: a.at.toISOString(), reason: a.reason })),
  pendingDown: data.pendingDown ? { since: data.pendingDown.since.toISOString(), level: data.pendingDown.level } : null,
  floor: data.floor,
  reasons: [...data.reasons],
  holdUntil: iso(data.holdUntil),
  reading: data.reading
    ? { at: data.reading.at.toISOString(), depth: data.reading.depth, inFlight: data.reading.inFlight ?? null, growthPerMinute: data.reading.growthPerMinute, oldestAgeSeconds: data.reading.oldestAgeSeconds }
    : null,
  peakLevel: data.peakLevel,
  analysis: data.analysis
    ? {
        at: data.analysis.at.toISOString(),
        topSignature: data.analysis.topSignature,
        topSignatureCount: data.analysis.topSignatureCount,
        unknownCategories: [...data.analysis.unknownCategories],
        replayFailures: data.analysis.replayFailures,
        scanned: data.analysis.scanned,
        topPatterns: data.analysis.topPatterns.map((p) => ({ label: p.label, count: p.count, action: p.action })),
        sample: data.analysis.sample ? { messageKey: data.analysis.sample.messageKey, text: data.analysis.sample.text } : null,
      }
    : null,
  page: data.page ? { channel: data.page.channel, ts: data.page.ts, at: data.page.at.toISOString() } : null,
  charts: [...data.charts],
  summary: data.summary ? { ...data.summary } : null,
});
