// When and where an incident speaks: the parent message (posted once, then edited in place through
// the coalescing editor), thread notes, the depth chart and the L3 page, through the IncidentNotifier
// port; what was posted (parent ts, charts, page) is stored. Each reads the incident as stored when it
// runs; failures are logged and counted, never thrown at the caller. It renders nothing.

import { randomUUID } from 'node:crypto';
import { renderDepthChart, CHART_COLORS, type Rgb } from '../../core/chart/depth-chart.ts';
import type { EscalationPolicy } from '../../core/escalation/presets.ts';
import { readIncidentData, writeIncidentData } from '../../core/incident/incident-data.ts';
import type { Incident, Level } from '../../core/model.ts';
import { escalationPoints } from '../../core/escalation/escalation-depth.ts';
import type { DepthPoint } from '../../core/escalation/growth.ts';
import { sparkline } from '../../core/text/sparkline.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type { IncidentNote, IncidentNotifier, IncidentPageView, IncidentParentView } from '../../ports/incident-notifier.port.ts';
import type { Store } from '../../ports/store.port.ts';
import { patchIncident } from './incident-mutation.ts';
import { INCIDENT_ACTOR, type QueueInsight } from './queue-insight.ts';
import type { Logger } from '../../ports/logger.port.ts';

export interface IncidentQueue {
  name: string;
  policy: EscalationPolicy;
  /** The queue's alert channel (or the default); null: incidents are tracked without Slack. */
  channel: string | null;
}

/** Draws the depth chart as image bytes (PNG in production). */
export type ChartEncoder = (raster: ReturnType<typeof renderDepthChart>) => Uint8Array;

export interface IncidentNotificationsDeps {
  store: Store;
  /** Null: incidents are tracked without a chat workspace. */
  notifier: IncidentNotifier | null;
  clock: Clock;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  l3: { channel: string | null; userGroup: string | null };
  insight: QueueInsight | null;
  encodeChart: ChartEncoder | null;
  queueOf(name: string): IncidentQueue | null;
}

const MINUTE_MS = 60_000;
const SPARK_WIDTH = 24;
const CHART_POINTS = 1_500;
/** An analysis younger than this is reused for the page instead of scanning again. */
const ANALYSIS_FRESH_MS = 10 * MINUTE_MS;
/**
 * How long one replica may take to post a parent (Slack's own retries included) before another may
 * try: while a replica posts, the lease holder's missing-parent retry waits instead of posting a second parent.
 */
const PARENT_POST_LEASE_MS = 5 * MINUTE_MS;
/** How long (real time) a thread reply, chart or edit waits for another replica that is posting the parent now. */
const PARENT_WAIT_MS = 30_000;
const PARENT_WAIT_STEP_MS = 200;

/** The incident's depth history as escalation counts it (visible + in flight), for the sparkline and chart. */
const incidentSamples = async (store: Store, incident: Incident, now: Date): Promise<DepthPoint[]> =>
  escalationPoints(await store.listDepthSamples(incident.queue, {
    since: new Date(incident.openedAt.getTime() - 10 * MINUTE_MS),
    until: new Date((incident.resolvedAt ?? now).getTime() + 1),
  }));

/** Keeps at most `max` points, evenly spread, always the first and the last. */
const thin = <T>(points: readonly T[], max: number): T[] => {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
};

export const createIncidentNotifications = (deps: IncidentNotificationsDeps) => {
  const { store, notifier, clock, logger } = deps;

  const parentView = async (incident: Incident): Promise<IncidentParentView> => {
    const data = readIncidentData(incident.data);
    const samples = await incidentSamples(store, incident, clock.now());
    const alerts = [...data.alerts].reverse();
    return {
      incidentId: incident.id,
      queue: incident.queue,
      status: incident.status,
      level: incident.level,
      levelSince: incident.levelSince,
      openedAt: incident.openedAt,
      acknowledgedBy: incident.acknowledgedBy,
      acknowledgedAt: incident.acknowledgedAt,
      reading: data.reading,
      sparkline: sparkline(samples, SPARK_WIDTH),
      sourceAlert: alerts.find((a) => a.state === 'firing') ?? alerts[0] ?? null,
      reasons: data.reasons,
      holdUntil: data.holdUntil,
      summary: data.summary,
    };
  };

  const log = (incident: Incident, what: string, failure: { code: string; retriable: boolean }): void =>
    logger.warn({ incidentId: incident.id, queue: incident.queue, code: failure.code, retriable: failure.retriable }, `Slack ${what} failed`);

  /** Who posts parents in this process, for the per-incident lease that keeps replicas from posting twice. */
  const poster = `parent-poster-${randomUUID()}`;
  const parentLease = (incidentId: string): string => `incident-parent:${incidentId}`;

  /**
   * The incident as stored, once it has a parent message. While another replica holds the parent-post
   * lease (its post may be waiting on a Slack rate limit), a reply, chart or edit made here waits for
   * that parent instead of being dropped. One replica alone never waits: its Slack work for a queue
   * runs in order, after its own post.
   */
  const withParent = async (incidentId: string): Promise<Incident | null> => {
    const deadline = Date.now() + PARENT_WAIT_MS;
    for (;;) {
      const incident = await store.getIncident(incidentId);
      if (!incident || incident.slackTs !== null || !notifier) return incident;
      const lease = await store.getLease(parentLease(incidentId));
      const posting = lease !== null && lease.holder !== poster && lease.expiresAt.getTime() > clock.now().getTime();
      if (!posting || Date.now() >= deadline) return incident;
      await new Promise((resolve) => setTimeout(resolve, PARENT_WAIT_STEP_MS));
    }
  };

  /**
   * Posts the parent message once and remembers where it is. Across replicas (the one that opened the
   * incident, the lease holder retrying a missing parent) a lease per incident lets one post at a time.
   */
  const postParent = async (incidentId: string): Promise<Incident | null> => {
    const seen = await store.getIncident(incidentId);
    if (!seen || seen.slackTs !== null || !notifier) return seen;
    const channel = deps.queueOf(seen.queue)?.channel ?? null;
    if (channel === null) return seen;
    const lease = parentLease(incidentId);
    if (!(await store.acquireLease(lease, poster, clock.now(), PARENT_POST_LEASE_MS))) return seen;
    try {
      // Another replica may have posted it between the read above and taking the lease.
      const incident = await store.getIncident(incidentId);
      if (!incident || incident.slackTs !== null) return incident;
      const posted = await notifier.postParent(channel, await parentView(incident));
      if (!posted.ok) {
        log(incident, 'parent post', posted.failure);
        return incident;
      }
      return await patchIncident(store, incidentId, (current) => (current.slackTs === null ? { slackChannel: posted.value.channel, slackTs: posted.value.ts } : null));
    } finally {
      await store.releaseLease(lease, poster).catch(() => undefined);
    }
  };

  /** One coalesced edit of the parent: the incident as stored now, skipped when nothing changed. */
  const editParent = async (incidentId: string): Promise<void> => {
    const incident = await withParent(incidentId);
    if (!incident || !notifier || incident.slackChannel === null || incident.slackTs === null) return;
    const updated = await notifier.editParent(incident.slackChannel, incident.slackTs, await parentView(incident));
    if (!updated.ok) log(incident, 'parent edit', updated.failure);
  };

  /** A thread note; `broadcast` also shows it in the channel, so people are notified (a level rise). */
  const reply = async (incidentId: string, note: IncidentNote, options: { broadcast?: boolean } = {}): Promise<void> => {
    const incident = await withParent(incidentId);
    if (!incident || !notifier || incident.slackChannel === null || incident.slackTs === null) return;
    const posted = await notifier.note(incident.slackChannel, incident.slackTs, note, options);
    if (!posted.ok) log(incident, 'thread reply', posted.failure);
  };

  /** Uploads the depth chart of the incident so far into the thread, once per level. */
  const chart = async (incidentId: string, level: Level): Promise<void> => {
    const incident = await withParent(incidentId);
    if (!incident || !notifier || !deps.encodeChart || incident.slackChannel === null || incident.slackTs === null) return;
    if (readIncidentData(incident.data).charts.includes(level)) return;
    const policy = deps.queueOf(incident.queue)?.policy;
    const points = thin(await incidentSamples(store, incident, clock.now()), CHART_POINTS);
    const thresholds: { value: number; color: Rgb }[] = [];
    if (policy?.l1Depth != null) thresholds.push({ value: policy.l1Depth, color: CHART_COLORS.l1 });
    if (policy?.l2Depth != null) thresholds.push({ value: policy.l2Depth, color: CHART_COLORS.l2 });
    const bytes = deps.encodeChart(renderDepthChart({ points, thresholds }));
    const uploaded = await notifier.uploadChart(incident.slackChannel, incident.slackTs, { queue: incident.queue, level, openedAt: incident.openedAt, samples: points.length, bytes });
    if (!uploaded.ok) return log(incident, 'chart upload', uploaded.failure);
    await patchIncident(store, incidentId, (current) => {
      const data = readIncidentData(current.data);
      return data.charts.includes(level) ? null : { data: writeIncidentData({ ...data, charts: [...data.charts, level] }) };
    });
  };

  /** Refreshes the analysis when stale, stores it, and returns the incident as stored. */
  const refreshAnalysis = async (incidentId: string, maxAgeMs: number): Promise<Incident | null> => {
    const incident = await store.getIncident(incidentId);
    if (!incident || !deps.insight) return incident;
    const existing = readIncidentData(incident.data).analysis;
    if (existing && clock.now().getTime() - existing.at.getTime() < maxAgeMs) return incident;
    const analysis = await deps.insight.analyze(incident.queue);
    if (!analysis) return incident;
    return patchIncident(store, incidentId, (current) => ({ data: writeIncidentData({ ...readIncidentData(current.data), analysis }) }));
  };

  /** The L3 page: the runbook's escalation information, in the L3 channel (or the thread). */
  const page = async (incidentId: string): Promise<void> => {
    const incident = (await refreshAnalysis(incidentId, ANALYSIS_FRESH_MS)) ?? null;
    if (!incident || !notifier) return;
    const data = readIncidentData(incident.data);
    let permalink: string | null = null;
    if (incident.slackChannel !== null && incident.slackTs !== null) {
      const link = await notifier.permalink(incident.slackChannel, incident.slackTs);
      if (link.ok) permalink = link.value;
      else log(incident, 'permalink', link.failure);
    }
    const audit = await store.searchAudit({ queue: incident.queue, since: incident.openedAt, limit: 50 });
    const view: IncidentPageView = {
      queue: incident.queue,
      userGroup: deps.l3.userGroup,
      permalink,
      reading: data.reading,
      reasons: data.reasons,
      analysis: data.analysis,
      actions: audit.filter((record) => record.actor !== INCIDENT_ACTOR),
    };
    const posted = deps.l3.channel
      ? await notifier.page({ channel: deps.l3.channel }, view)
      : incident.slackChannel !== null && incident.slackTs !== null
        ? await notifier.page({ channel: incident.slackChannel, threadTs: incident.slackTs }, view)
        : null;
    if (posted === null) return;
    if (!posted.ok) return log(incident, 'L3 page', posted.failure);
    await patchIncident(store, incidentId, (current) => ({
      data: writeIncidentData({ ...readIncidentData(current.data), page: { channel: posted.value.channel, ts: posted.value.ts, at: clock.now() } }),
    }));
  };

  return { postParent, editParent, reply, chart, page, refreshAnalysis, l3Group: (): string | null => deps.l3.userGroup };
};
