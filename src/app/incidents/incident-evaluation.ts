// Re-decides a queue's level from its recent depth samples (and a new alert, if any) with the core's
// decideLevel, under the queue's serial state queue: opens an incident above OK, or changes or
// resolves the open one with optimistic versions, records the event and announces it. No Slack here.

import { decideLevel } from '../../core/escalation/decide-level.ts';
import { escalationPoints } from '../../core/escalation/escalation-depth.ts';
import { displayGrowthPerMinute, type DepthPoint } from '../../core/escalation/growth.ts';
import { lookbackMinutes } from '../../core/escalation/presets.ts';
import { emptyIncidentData, readIncidentData, type AlertStatus, type Reading } from '../../core/incident/incident-data.ts';
import { applyDecision, measurementsFor, newIncidentFor, withAlert } from '../../core/incident/incident-lifecycle.ts';
import type { DepthSample } from '../../core/model.ts';
import { announceLevelChanged, announceOpened, announceResolved } from './incident-announcements.ts';
import { mutateIncident } from './incident-mutation.ts';
import type { IncidentQueue } from './incident-notifications.ts';
import type { IncidentScope } from './incident-scope.ts';

const MINUTE_MS = 60_000;

/** The latest reading, its depth counted as escalation counts it (visible + in flight). */
const readingOf = (samples: readonly DepthSample[], points: readonly DepthPoint[]): Reading | null => {
  const last = samples[samples.length - 1];
  const point = points[points.length - 1];
  if (!last || !point) return null;
  return { at: point.at, depth: point.depth, inFlight: last.inFlight ?? null, growthPerMinute: displayGrowthPerMinute(points), oldestAgeSeconds: last.oldestAgeSeconds ?? null };
};

const samplesFor = (scope: IncidentScope, q: IncidentQueue, now: Date): Promise<DepthSample[]> =>
  scope.deps.store.listDepthSamples(q.name, { since: new Date(now.getTime() - (lookbackMinutes(q.policy) + 1) * MINUTE_MS), until: new Date(now.getTime() + 1) });

/** Re-decides a queue's level with an optional new alert; opens, changes or resolves its incident. */
export const evaluateQueue = (scope: IncidentScope, q: IncidentQueue, alert: AlertStatus | null): Promise<void> =>
  scope.state.run(q.name, async () => {
    const { store, clock, metrics } = scope.deps;
    const { event } = scope;
    const now = clock.now();
    const stored = await samplesFor(scope, q, now);
    // Escalation decides on every message still in the DLQ: a bulk replay's hidden ones count too.
    const samples = escalationPoints(stored);
    const reading = readingOf(stored, samples);
    let incident = await store.findOpenIncident(q.name);
    if (!incident) {
      const data = { ...emptyIncidentData(), alerts: alert ? [alert] : [], reading };
      const decision = decideLevel(measurementsFor(null, data, samples, now), q.policy, now);
      if (decision.level === 'OK') return;
      const opened = await store.openIncident(newIncidentFor(scope.newId(), q.name, decision, data, now));
      if (opened.created) {
        await event(opened.incident, 'opened', { level: decision.level, reasons: decision.reasons });
        if (alert) await event(opened.incident, 'alert', { name: alert.name, state: alert.state, level: alert.level });
        announceOpened(scope, opened.incident, q, alert);
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
      if (alertNews) scope.effects.enqueue(q.name, () => scope.notices.reply(updated.id, { kind: 'alert', alert }));
    }
    if (transition.kind === 'level-changed') {
      await event(updated, 'level-changed', { from: transition.from, to: transition.to, reasons: transition.reasons });
      announceLevelChanged(scope, updated, q, transition.from, transition.to, transition.reasons);
    } else if (transition.kind === 'resolved') {
      await event(updated, 'resolved', { from: transition.from, reasons: transition.reasons });
      announceResolved(scope, updated, q, transition.reasons);
    } else {
      // Keeps the gauge right after a restart too.
      metrics.incidentLevel(q.name, updated.level);
      scope.effects.enqueue(q.name, async () => scope.editor.request(updated.id));
    }
  });
