// What the chat is told after an incident's state changed: each function logs, sets the level gauge
// and queues the Slack work (replies, parent edit, chart, page) on the queue's effects, after the
// state it shows was committed. It changes no incident state, but for the resolution summary.

import { runbookSteps } from '../../core/escalation/runbook-steps.ts';
import { readIncidentData, writeIncidentData, type AlertStatus } from '../../core/incident/incident-data.ts';
import { summarize } from '../../core/incident/incident-lifecycle.ts';
import { levelRank, type Incident, type Level } from '../../core/model.ts';
import { patchIncident } from './incident-mutation.ts';
import type { IncidentQueue } from './incident-notifications.ts';
import type { IncidentScope } from './incident-scope.ts';

export const announceOpened = (scope: IncidentScope, incident: Incident, q: IncidentQueue, alert: AlertStatus | null): void => {
  const { deps, notices } = scope;
  const data = readIncidentData(incident.data);
  deps.metrics.incidentLevel(q.name, incident.level);
  deps.logger.info({ incidentId: incident.id, queue: q.name, level: incident.level, reasons: data.reasons }, 'incident opened');
  scope.effects.enqueue(q.name, async () => {
    await notices.postParent(incident.id);
    await notices.reply(incident.id, { kind: 'opened', level: incident.level, reasons: data.reasons, steps: runbookSteps(q.policy.preset, incident.level) });
    if (alert) await notices.reply(incident.id, { kind: 'alert', alert });
    if (levelRank(incident.level) >= levelRank('L2')) await notices.chart(incident.id, incident.level);
    if (incident.level === 'L3') await notices.page(incident.id);
  });
};

export const announceLevelChanged = (scope: IncidentScope, incident: Incident, q: IncidentQueue, from: Level, to: Level, reasons: string[]): void => {
  const { deps, notices } = scope;
  deps.metrics.incidentLevel(q.name, to);
  deps.logger.info({ incidentId: incident.id, queue: q.name, from, to, reasons }, 'incident level changed');
  const rising = levelRank(to) > levelRank(from);
  scope.effects.enqueue(q.name, async () => {
    // A rise is broadcast to the channel: a thread reply alone notifies nobody in Slack.
    await notices.reply(incident.id, { kind: 'level-changed', from, to, reasons, steps: rising ? runbookSteps(q.policy.preset, to) : [] }, { broadcast: rising });
    scope.editor.request(incident.id);
    if (levelRank(to) > levelRank(from) && levelRank(to) >= levelRank('L2')) await notices.chart(incident.id, to);
    if (to === 'L3' && from !== 'L3') await notices.page(incident.id);
  });
};

/** The resolution: its summary (replays and resolutions since it opened) stored, recorded and replied. */
export const announceResolved = (scope: IncidentScope, incident: Incident, q: IncidentQueue, reasons: string[]): void => {
  const { deps } = scope;
  const { store, clock, logger } = deps;
  deps.metrics.incidentLevel(q.name, null);
  scope.effects.enqueue(q.name, async () => {
    const now = clock.now();
    const activity = deps.activitySince ?? deps.insight?.activity;
    const counts = activity
      ? await activity(q.name, incident.openedAt)
      : { replayed: (await store.listReplays(q.name, { since: incident.openedAt })).length, resolved: (await store.listResolutions(q.name, { since: incident.openedAt })).length };
    const summary = summarize(incident, readIncidentData(incident.data), counts, now);
    await patchIncident(store, incident.id, (current) => ({ data: writeIncidentData({ ...readIncidentData(current.data), summary }) }));
    await scope.event(incident, 'summary', { ...summary });
    logger.info({ incidentId: incident.id, queue: q.name, ...summary }, 'incident resolved');
    await scope.notices.reply(incident.id, { kind: 'resolved', summary, reasons });
    scope.editor.request(incident.id);
  });
};

/** A re-notification, and the escalation it may bring, is broadcast to the channel to reach people. */
export const announceRenotified = (scope: IncidentScope, incident: Incident, q: IncidentQueue, renotified: { from: Level; to: Level; waited: number }): void => {
  const { notices } = scope;
  const { from, to, waited } = renotified;
  scope.effects.enqueue(q.name, async () => {
    await notices.reply(incident.id, { kind: 'renotified', from, to, waitedMinutes: waited, mentionGroup: to === 'L3' || from === 'L3' ? notices.l3Group() : null }, { broadcast: true });
    scope.editor.request(incident.id);
    if (to !== from && levelRank(to) >= levelRank('L2')) await notices.chart(incident.id, to);
    if (to === 'L3' && from !== 'L3') await notices.page(incident.id);
  });
};
