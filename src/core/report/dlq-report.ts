// The Kafka runbook's weekly DLQ report ("Weekly DLQ Cleanup" → "Generate DLQ report"), computed from
// what the store remembers: total messages in, error distribution (permanent vs transient), top
// failure domains/URLs, actions taken (replayed vs resolved), old messages (> 7 days), and incidents
// by level. Pure: the app layer reads the store and passes the rows in; nothing here does I/O.

import type { AuditRecord, DepthSample, Incident, Job, Level, MessageIndexEntry, ReplayRecord, Resolution } from '../model.ts';
import { moveTaskOf } from '../job/job-kinds.ts';
import { readIncidentData } from '../incident/incident-data.ts';

/** Messages older than this need manual intervention (runbook: "Review old messages (> 7 days in DLQ)"). */
export const OLD_MESSAGE_SECONDS = 7 * 86_400;
/** Runbook retry counts: 0 = sent straight to the DLQ (permanent); more = retried (transient). */
const EXHAUSTED_RETRIES = 4;

export interface QueueReportInput {
  queue: string;
  kind: 'sqs' | 'kafka';
  /** Depth samples in the window, oldest first. */
  samples: DepthSample[];
  /** Message index entries that entered the DLQ in the window. */
  indexed: MessageIndexEntry[];
  replays: ReplayRecord[];
  resolutions: Resolution[];
  /** Jobs created in the window (a move task's progress counts messages it moved). */
  jobs: Job[];
  /** Incidents opened in the window or still open. */
  incidents: Incident[];
}

export interface ReportInput {
  since: Date;
  until: Date;
  days: number;
  queues: QueueReportInput[];
  /** Audit records in the window (newest first, possibly capped). */
  audit: AuditRecord[];
}

export type ArrivalSource = 'depth samples' | 'message index' | 'none';

export interface Ranked {
  key: string;
  count: number;
}

export interface QueueReport {
  queue: string;
  kind: 'sqs' | 'kafka';
  /** Best estimate of messages that entered the DLQ in the window, and where it comes from. */
  arrivals: { estimate: number; source: ArrivalSource; fromSamples: number; fromIndex: number; samples: number };
  depthNow: number | null;
  oldestAgeSeconds: number | null;
  oldMessages: boolean;
  /** Over the indexed messages: by error category, else by retry count (0 permanent, > 0 transient). */
  errors: { permanent: number; transient: number; exhausted: number; unknown: number };
  topDomains: Ranked[];
  topUrls: Ranked[];
  replayed: number;
  /** Of `replayed`: moved by SQS message move tasks (counted from their job, not per message). */
  movedByTask: number;
  resolved: number;
  incidents: Record<Exclude<Level, 'OK'>, number>;
  openIncidents: number;
}

export interface DlqReport {
  since: Date;
  until: Date;
  days: number;
  queues: QueueReport[];
  totals: Omit<QueueReport, 'queue' | 'kind' | 'depthNow' | 'oldestAgeSeconds' | 'oldMessages' | 'arrivals'> & { arrivals: number; depthNow: number };
  audit: { actions: number; failures: number; denied: number; byAction: Ranked[] };
}

const TOP = 5;

const rank = (values: Iterable<string | null>, top = TOP): Ranked[] => {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, top);
};

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Messages that entered the DLQ between consecutive samples: each interval's rise plus what Redrive
 * itself took out in it (`removedAt`: resolutions, and SQS replays, which delete), never negative.
 * Still a lower bound: consumers other than Redrive and message move tasks also hide arrivals.
 */
export const arrivalsFromSamples = (samples: readonly DepthSample[], removedAt: readonly Date[] = []): number => {
  const removals = removedAt.map((d) => d.getTime()).sort((a, b) => a - b);
  let total = 0;
  let next = 0;
  for (let i = 1; i < samples.length; i += 1) {
    const from = samples[i - 1]?.at.getTime() ?? 0;
    const to = samples[i]?.at.getTime() ?? 0;
    while (next < removals.length && (removals[next] ?? 0) <= from) next += 1;
    let removed = 0;
    while (next < removals.length && (removals[next] ?? 0) <= to) {
      removed += 1;
      next += 1;
    }
    total += Math.max(0, (samples[i]?.depth ?? 0) - (samples[i - 1]?.depth ?? 0) + removed);
  }
  return total;
};

export const classifyError = (summary: Record<string, unknown>): 'permanent' | 'transient' | 'exhausted' | 'unknown' => {
  const category = text(summary.errorCategory)?.toLowerCase() ?? null;
  const retries = count(summary.retryCount);
  if (category === 'permanent') return 'permanent';
  if (category === 'transient') return retries !== null && retries >= EXHAUSTED_RETRIES ? 'exhausted' : 'transient';
  if (category === null && retries !== null) return retries === 0 ? 'permanent' : retries >= EXHAUSTED_RETRIES ? 'exhausted' : 'transient';
  return 'unknown';
};

const LEVELS = ['L1', 'L2', 'L3'] as const;

const queueReport = (input: QueueReportInput): QueueReport => {
  // SQS replays delete the message from the DLQ; Kafka replays leave it there until it is resolved.
  const removedAt = [...input.resolutions.map((r) => r.resolvedAt), ...(input.kind === 'sqs' ? input.replays.map((r) => r.replayedAt) : [])];
  const fromSamples = arrivalsFromSamples(input.samples, removedAt);
  const fromIndex = input.indexed.length;
  const source: ArrivalSource = fromSamples === 0 && fromIndex === 0 ? (input.samples.length > 1 ? 'depth samples' : 'none') : fromIndex > fromSamples ? 'message index' : 'depth samples';
  const last = input.samples.at(-1) ?? null;
  const oldest = [...input.samples].reverse().find((s) => s.oldestAgeSeconds !== null && s.oldestAgeSeconds !== undefined)?.oldestAgeSeconds ?? null;
  const errors = { permanent: 0, transient: 0, exhausted: 0, unknown: 0 };
  for (const entry of input.indexed) errors[classifyError(entry.summary)] += 1;
  const movedByTask = input.jobs
    .filter((job) => moveTaskOf(job) !== null)
    .reduce((sum, job) => sum + job.progress.done, 0);
  const incidents = { L1: 0, L2: 0, L3: 0 };
  for (const incident of input.incidents) {
    const peak = readIncidentData(incident.data).peakLevel;
    const level = peak === 'OK' ? incident.level : peak;
    if (level !== 'OK') incidents[level] += 1;
  }
  return {
    queue: input.queue,
    kind: input.kind,
    arrivals: { estimate: Math.max(fromSamples, fromIndex), source, fromSamples, fromIndex, samples: input.samples.length },
    depthNow: last?.depth ?? null,
    oldestAgeSeconds: oldest,
    oldMessages: oldest !== null && oldest > OLD_MESSAGE_SECONDS,
    errors,
    topDomains: rank(input.indexed.map((e) => text(e.summary.domain))),
    topUrls: rank(input.indexed.map((e) => text(e.summary.url))),
    replayed: input.replays.length + movedByTask,
    movedByTask,
    resolved: input.resolutions.length,
    incidents,
    openIncidents: input.incidents.filter((i) => i.status === 'open').length,
  };
};

export const buildDlqReport = (input: ReportInput): DlqReport => {
  const queues = input.queues.map(queueReport);
  const sum = (pick: (q: QueueReport) => number): number => queues.reduce((total, q) => total + pick(q), 0);
  const allIndexed = input.queues.flatMap((q) => q.indexed);
  return {
    since: input.since,
    until: input.until,
    days: input.days,
    queues,
    totals: {
      arrivals: sum((q) => q.arrivals.estimate),
      depthNow: sum((q) => q.depthNow ?? 0),
      errors: {
        permanent: sum((q) => q.errors.permanent),
        transient: sum((q) => q.errors.transient),
        exhausted: sum((q) => q.errors.exhausted),
        unknown: sum((q) => q.errors.unknown),
      },
      topDomains: rank(allIndexed.map((e) => text(e.summary.domain))),
      topUrls: rank(allIndexed.map((e) => text(e.summary.url))),
      replayed: sum((q) => q.replayed),
      movedByTask: sum((q) => q.movedByTask),
      resolved: sum((q) => q.resolved),
      incidents: Object.fromEntries(LEVELS.map((l) => [l, sum((q) => q.incidents[l])])) as Record<(typeof LEVELS)[number], number>,
      openIncidents: sum((q) => q.openIncidents),
    },
    audit: {
      actions: input.audit.length,
      failures: input.audit.filter((r) => r.result === 'failure').length,
      denied: input.audit.filter((r) => r.result === 'denied').length,
      byAction: rank(input.audit.map((r) => r.action), 8),
    },
  };
};
