// The incident service: turns alerts (ingest's onAlert) and depth samples (the poller) into incident
// state with the core's decideLevel and lifecycle, persists it with optimistic versions, and drives
// the chat through IncidentNotifications. State lives in the store, so a restarted process carries on in the
// same thread at the same level. Slack work runs after the state is committed, off the caller's path.

import { writeAudit } from '../shared/audit-trail.ts';
import { randomUUID } from 'node:crypto';
import { decideLevel } from '../../core/escalation/decide-level.ts';
import { escalationPoints } from '../../core/escalation/escalation-depth.ts';
import { displayGrowthPerMinute, type DepthPoint } from '../../core/escalation/growth.ts';
import { lookbackMinutes } from '../../core/escalation/presets.ts';
import { runbookSteps } from '../../core/escalation/runbook-steps.ts';
import { emptyIncidentData, readIncidentData, writeIncidentData, type AlertStatus, type Reading } from '../../core/incident/incident-data.ts';
import {
  acknowledge as acknowledgeIncident,
  applyDecision,
  applyRenotification,
  dueRenotification,
  measurementsFor,
  newIncidentFor,
  summarize,
  withAlert,
} from '../../core/incident/incident-lifecycle.ts';
import { levelRank, type DepthSample, type Incident, type JsonObject, type Level } from '../../core/model.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { Timers } from '../../ports/timers.port.ts';
import type { RecordedAlertEvent } from './ingest-alert.ts';
import { mutateIncident, patchIncident } from './incident-mutation.ts';
import { createIncidentNotifications, type IncidentQueue, type IncidentNotificationsDeps } from './incident-notifications.ts';
import { createParentEditor } from './parent-editor.ts';
import type { QueueInsight } from './queue-insight.ts';
import { createSerialQueues } from './serial-queues.ts';
import type { Logger } from '../../ports/logger.port.ts';

export type { IncidentQueue } from './incident-notifications.ts';

export interface IncidentServiceDeps extends Omit<IncidentNotificationsDeps, 'queueOf' | 'insight'> {
  metrics: Pick<Metrics, 'incidentLevel' | 'actionCompleted'>;
  timers: Timers;
  queues: readonly IncidentQueue[];
  insight?: QueueInsight | null;
  /** Minimum time between two edits of one parent message (default 3 s). */
  editIntervalMs?: number;
  /** How often an open incident's DLQ is re-analyzed when its policy has analysis rules (default 10 min). */
  analysisEveryMinutes?: number;
  /** Counts replays and resolutions since a time for the resolution summary (default: the store's records). */
  activitySince?: (queue: string, since: Date) => Promise<{ replayed: number; resolved: number }>;
  newId?: () => string;
  /** Where audit records' log lines go (the `component: audit` logger); else the incident logger. */
  auditLogger?: Pick<Logger, 'info' | 'warn'>;
}

export type AckResult =
  | { kind: 'acknowledged'; incident: Incident }
  | { kind: 'already-acknowledged'; by: string; at: Date }
  | { kind: 'not-open' }
  | { kind: 'not-found' };

export interface IncidentService {
  /** For ingest's onAlert: records the alert on the queue's incident, opening one when it fires. */
  onAlert(event: RecordedAlertEvent): Promise<void>;
  /** After the poller stored a sample: re-decides the queue's level, opening an incident above OK. */
  onSample(queue: string): Promise<void>;
  acknowledge(incidentId: string, user: string): Promise<AckResult>;
  /** Timers (run by the lease holder): re-notify and escalate, step down without samples, re-analyze, post missing parents. */
  tick(): Promise<void>;
  /**
   * Replayed messages came back to the queue's DLQ (the post-replay watch): the open incident's DLQ is
   * analysed again now, so a policy with the runbook's "replay failure" L3 criterion escalates.
   */
  onReplayReturns(queue: string): Promise<void>;
  /** Waits for queued Slack work and coalesced edits (tests, shutdown). */
  flush(): Promise<void>;
  stop(): void;
}

const MINUTE_MS = 60_000;
const PARENT_RETRY_MS = 30_000;

/** The latest reading, its depth counted as escalation counts it (visible + in flight). */
const readingOf = (samples: readonly DepthSample[], points: readonly DepthPoint[]): Reading | null => {
  const last = samples[samples.length - 1];
  const point = points[points.length - 1];
  if (!last || !point) return null;
  return { at: point.at, depth: point.depth, inFlight: last.inFlight ?? null, growthPerMinute: displayGrowthPerMinute(points), oldestAgeSeconds: last.oldestAgeSeconds ?? null };
};

const alertStatusOf = (event: RecordedAlertEvent): AlertStatus => {
  const d = event.details;
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const annotations = (d.annotations ?? {}) as JsonObject;
  const reason = text(d.reason) ?? text(annotations.summary) ?? text(annotations.description);
  return { name: event.name, source: event.source === 'sns' ? 'CloudWatch' : event.source === 'alertmanager' ? 'Alertmanager' : event.source, state: event.state, level: event.level, at: event.receivedAt, reason: reason === null ? null : reason.slice(0, 1_000) };
};

export const createIncidentService = (deps: IncidentServiceDeps): IncidentService => {
  const { store, clock, logger, metrics } = deps;
  const queues = new Map(deps.queues.map((q) => [q.name, q]));
  const queueOf = (name: string): IncidentQueue | null => queues.get(name) ?? null;
  const notices = createIncidentNotifications({ ...deps, insight: deps.insight ?? null, queueOf });
  const editor = createParentEditor({ clock, timers: deps.timers, intervalMs: deps.editIntervalMs ?? 3_000, edit: notices.editParent });
  const onError = (key: string, error: unknown) => logger.error({ queue: key, err: error }, 'incident work failed');
  /** State changes, one at a time per queue. */
  const state = createSerialQueues(onError);
  /** Slack work, in order per queue, after the state it shows was committed. */
  const effects = createSerialQueues(onError);
  const newId = deps.newId ?? (() => randomUUID());

  const event = (incident: Incident, kind: string, data: JsonObject): Promise<unknown> =>
    store.appendIncidentEvent({ incidentId: incident.id, at: clock.now(), kind, data });

  const samplesFor = (q: IncidentQueue, now: Date): Promise<DepthSample[]> =>
    store.listDepthSamples(q.name, { since: new Date(now.getTime() - (lookbackMinutes(q.policy) + 1) * MINUTE_MS), until: new Date(now.getTime() + 1) });

  const onOpened = (incident: Incident, q: IncidentQueue, alert: AlertStatus | null): void => {
    const data = readIncidentData(incident.data);
    metrics.incidentLevel(q.name, incident.level);
    logger.info({ incidentId: incident.id, queue: q.name, level: incident.level, reasons: data.reasons }, 'incident opened');
    effects.enqueue(q.name, async () => {
      await notices.postParent(incident.id);
      await notices.reply(incident.id, { kind: 'opened', level: incident.level, reasons: data.reasons, steps: runbookSteps(q.policy.preset, incident.level) });
      if (alert) await notices.reply(incident.id, { kind: 'alert', alert });
      if (levelRank(incident.level) >= levelRank('L2')) await notices.chart(incident.id, incident.level);
      if (incident.level === 'L3') await notices.page(incident.id);
    });
  };

  const onLevelChanged = (incident: Incident, q: IncidentQueue, from: Level, to: Level, reasons: string[]): void => {
    metrics.incidentLevel(q.name, to);
    logger.info({ incidentId: incident.id, queue: q.name, from, to, reasons }, 'incident level changed');
    const rising = levelRank(to) > levelRank(from);
    effects.enqueue(q.name, async () => {
      // A rise is broadcast to the channel: a thread reply alone notifies nobody in Slack.
      await notices.reply(incident.id, { kind: 'level-changed', from, to, reasons, steps: rising ? runbookSteps(q.policy.preset, to) : [] }, { broadcast: rising });
      editor.request(incident.id);
      if (levelRank(to) > levelRank(from) && levelRank(to) >= levelRank('L2')) await notices.chart(incident.id, to);
      if (to === 'L3' && from !== 'L3') await notices.page(incident.id);
    });
  };

  const onResolved = (incident: Incident, q: IncidentQueue, reasons: string[]): void => {
    metrics.incidentLevel(q.name, null);
    effects.enqueue(q.name, async () => {
      const now = clock.now();
      const activity = deps.activitySince ?? deps.insight?.activity;
      const counts = activity
        ? await activity(q.name, incident.openedAt)
        : { replayed: (await store.listReplays(q.name, { since: incident.openedAt })).length, resolved: (await store.listResolutions(q.name, { since: incident.openedAt })).length };
      const summary = summarize(incident, readIncidentData(incident.data), counts, now);
      await patchIncident(store, incident.id, (current) => ({ data: writeIncidentData({ ...readIncidentData(current.data), summary }) }));
      await event(incident, 'summary', { ...summary });
      logger.info({ incidentId: incident.id, queue: q.name, ...summary }, 'incident resolved');
      await notices.reply(incident.id, { kind: 'resolved', summary, reasons });
      editor.request(incident.id);
    });
  };

  /** Re-decides a queue's level with an optional new alert; opens, changes or resolves its incident. */
  const evaluate = (q: IncidentQueue, alert: AlertStatus | null): Promise<void> =>
    state.run(q.name, async () => {
      const now = clock.now();
      const stored = await samplesFor(q, now);
      // Escalation decides on every message still in the DLQ: a bulk replay's hidden ones count too.
      const samples = escalationPoints(stored);
      const reading = readingOf(stored, samples);
      let incident = await store.findOpenIncident(q.name);
      if (!incident) {
        const data = { ...emptyIncidentData(), alerts: alert ? [alert] : [], reading };
        const decision = decideLevel(measurementsFor(null, data, samples, now), q.policy, now);
        if (decision.level === 'OK') return;
        const opened = await store.openIncident(newIncidentFor(newId(), q.name, decision, data, now));
        if (opened.created) {
          await event(opened.incident, 'opened', { level: decision.level, reasons: decision.reasons });
          if (alert) await event(opened.incident, 'alert', { name: alert.name, state: alert.state, level: alert.level });
          onOpened(opened.incident, q, alert);
          return;
        }
        incident = opened.incident;
      }
      const done = await mutateIncident(store, incident, (current) => {
        if (current.status !== 'open') return null;
        let data = readIncidentData(current.data);
        const before = alert ? data.alerts.find((a) => a.name === alert.name) : undefined;
        if (alert) data = { ...data, alerts: withAlert(data.alerts, alert) };
        const decision = decideLevel(measurementsFor(current, data, samples, now), q.policy, now);
        const transition = applyDecision(current, data, decision, reading, now);
        return { patch: transition.patch, result: { transition, alertNews: alert !== null && before?.state !== alert.state } };
      });
      if (!done) return;
      const { transition, alertNews } = done.result;
      const updated = done.incident;
      if (alert) {
        await event(updated, 'alert', { name: alert.name, state: alert.state, level: alert.level });
        if (alertNews) effects.enqueue(q.name, () => notices.reply(updated.id, { kind: 'alert', alert }));
      }
      if (transition.kind === 'level-changed') {
        await event(updated, 'level-changed', { from: transition.from, to: transition.to, reasons: transition.reasons });
        onLevelChanged(updated, q, transition.from, transition.to, transition.reasons);
      } else if (transition.kind === 'resolved') {
        await event(updated, 'resolved', { from: transition.from, reasons: transition.reasons });
        onResolved(updated, q, transition.reasons);
      } else {
        // Keeps the gauge right after a restart too.
        metrics.incidentLevel(q.name, updated.level);
        effects.enqueue(q.name, async () => editor.request(updated.id));
      }
    });

  const renotify = (incident: Incident, q: IncidentQueue): Promise<void> =>
    state.run(q.name, async () => {
      const now = clock.now();
      const done = await mutateIncident(store, incident, (current) => {
        const due = dueRenotification(current, q.policy, now);
        if (!due) return null;
        const applied = applyRenotification(current, readIncidentData(current.data), due, now);
        return { patch: applied.patch, result: { ...applied, waited: due.waitedMinutes } };
      });
      if (!done) return;
      const { from, to, waited } = done.result;
      await event(done.incident, 'renotified', { from, to, waitedMinutes: waited });
      if (to !== from) metrics.incidentLevel(q.name, to);
      logger.warn({ incidentId: incident.id, queue: q.name, from, to, waitedMinutes: waited }, 'incident not acknowledged: re-notified');
      effects.enqueue(q.name, async () => {
        // A re-notification, and the escalation it may bring, is broadcast to the channel to reach people.
        await notices.reply(incident.id, { kind: 'renotified', from, to, waitedMinutes: waited, mentionGroup: to === 'L3' || from === 'L3' ? notices.l3Group() : null }, { broadcast: true });
        editor.request(incident.id);
        if (to !== from && levelRank(to) >= levelRank('L2')) await notices.chart(incident.id, to);
        if (to === 'L3' && from !== 'L3') await notices.page(incident.id);
      });
    });

  const usesAnalysis = (q: IncidentQueue): boolean =>
    q.policy.l3SignatureCount !== null || q.policy.l3OnReplayFailure || q.policy.l3OnUnknownCategory;

  return {
    onAlert: async (alertEvent) => {
      const q = queueOf(alertEvent.queue);
      if (!q) return logger.warn({ queue: alertEvent.queue, alert: alertEvent.name }, 'alert for a queue without incident settings; ignored');
      await evaluate(q, alertStatusOf(alertEvent));
    },
    onSample: async (queue) => {
      const q = queueOf(queue);
      if (q) await evaluate(q, null);
    },
    acknowledge: async (incidentId, user) => {
      const incident = await store.getIncident(incidentId);
      if (!incident) return { kind: 'not-found' };
      return state.run(incident.queue, async (): Promise<AckResult> => {
        const now = clock.now();
        let outcome: AckResult = { kind: 'not-open' };
        const done = await mutateIncident(store, incident, (current) => {
          const ack = acknowledgeIncident(current, readIncidentData(current.data), user, now);
          if (ack.kind !== 'acknowledged') {
            outcome = ack;
            return null;
          }
          return { patch: ack.patch, result: null };
        });
        if (!done) return outcome;
        await event(done.incident, 'acknowledged', { user });
        await writeAudit(
          { store, clock, metrics, logger, ...(deps.auditLogger ? { auditLogger: deps.auditLogger } : {}) },
          { action: 'acknowledge', queue: incident.queue, actor: user, incidentId },
          'success',
          null,
          { level: done.incident.level },
        );
        effects.enqueue(incident.queue, async () => {
          await notices.reply(incidentId, { kind: 'acknowledged', user });
          editor.request(incidentId);
        });
        return { kind: 'acknowledged', incident: done.incident };
      });
    },
    tick: async () => {
      const now = clock.now();
      for (const incident of await store.listIncidents({ status: 'open', limit: 500 })) {
        const q = queueOf(incident.queue);
        if (!q) continue;
        if (dueRenotification(incident, q.policy, now)) await renotify(incident, q);
        const data = readIncidentData(incident.data);
        if (data.holdUntil && data.holdUntil.getTime() <= now.getTime()) await evaluate(q, null);
        if (incident.slackTs === null && now.getTime() - incident.openedAt.getTime() >= PARENT_RETRY_MS) {
          effects.enqueue(q.name, async () => void (await notices.postParent(incident.id)));
        }
        const every = (deps.analysisEveryMinutes ?? 10) * MINUTE_MS;
        if (usesAnalysis(q) && deps.insight && (!data.analysis || now.getTime() - data.analysis.at.getTime() >= every)) {
          effects.enqueue(q.name, async () => {
            await notices.refreshAnalysis(incident.id, every);
            await evaluate(q, null);
          });
        }
      }
    },
    onReplayReturns: async (queue) => {
      const q = queueOf(queue);
      const incident = q ? await store.findOpenIncident(q.name) : null;
      if (!q || !incident || !usesAnalysis(q) || !deps.insight) return;
      effects.enqueue(q.name, async () => {
        await notices.refreshAnalysis(incident.id, 0);
        await evaluate(q, null);
      });
    },
    flush: async () => {
      for (let round = 0; round < 5; round += 1) {
        await state.idle();
        await effects.idle();
        await editor.flush();
        await effects.idle();
      }
    },
    stop: () => editor.stop(),
  };
};
