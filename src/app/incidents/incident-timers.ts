// What the incident lease holder does on each tick, per open incident: re-notify (and escalate) one
// not acknowledged in time, re-decide one whose hold ran out, retry a missing parent message, and
// re-analyze the DLQ of a policy with analysis rules. It runs only on the replica holding the lease.

import { applyRenotification, dueRenotification } from '../../core/incident/incident-lifecycle.ts';
import { readIncidentData } from '../../core/incident/incident-data.ts';
import type { Incident } from '../../core/model.ts';
import { announceRenotified } from './incident-announcements.ts';
import { evaluateQueue } from './incident-evaluation.ts';
import { mutateIncident } from './incident-mutation.ts';
import type { IncidentQueue } from './incident-notifications.ts';
import type { IncidentScope } from './incident-scope.ts';

const MINUTE_MS = 60_000;
const PARENT_RETRY_MS = 30_000;

/** The queue's policy escalates on what an analysis of its DLQ finds. */
export const usesAnalysis = (q: IncidentQueue): boolean =>
  q.policy.l3SignatureCount !== null || q.policy.l3OnReplayFailure || q.policy.l3OnUnknownCategory;

/** Not acknowledged in time: re-notified, perhaps one level up. */
const renotify = (scope: IncidentScope, incident: Incident, q: IncidentQueue): Promise<void> =>
  scope.state.run(q.name, async () => {
    const { store, clock, metrics, logger } = scope.deps;
    const now = clock.now();
    const done = await mutateIncident(store, incident, (current) => {
      const due = dueRenotification(current, q.policy, now);
      if (!due) return null;
      const applied = applyRenotification(current, readIncidentData(current.data), due, now);
      return { patch: applied.patch, result: { ...applied, waited: due.waitedMinutes } };
    });
    if (!done) return;
    const { from, to, waited } = done.result;
    await scope.event(done.incident, 'renotified', { from, to, waitedMinutes: waited });
    if (to !== from) metrics.incidentLevel(q.name, to);
    logger.warn({ incidentId: incident.id, queue: q.name, from, to, waitedMinutes: waited }, 'incident not acknowledged: re-notified');
    announceRenotified(scope, incident, q, { from, to, waited });
  });

/** One tick over the open incidents (at most 500). */
export const tickIncidents = async (scope: IncidentScope): Promise<void> => {
  const { deps, effects, notices } = scope;
  const now = deps.clock.now();
  for (const incident of await deps.store.listIncidents({ status: 'open', limit: 500 })) {
    const q = scope.queueOf(incident.queue);
    if (!q) continue;
    if (dueRenotification(incident, q.policy, now)) await renotify(scope, incident, q);
    const data = readIncidentData(incident.data);
    if (data.holdUntil && data.holdUntil.getTime() <= now.getTime()) await evaluateQueue(scope, q, null);
    if (incident.slackTs === null && now.getTime() - incident.openedAt.getTime() >= PARENT_RETRY_MS) {
      effects.enqueue(q.name, async () => void (await notices.postParent(incident.id)));
    }
    const every = (deps.analysisEveryMinutes ?? 10) * MINUTE_MS;
    if (usesAnalysis(q) && deps.insight && (!data.analysis || now.getTime() - data.analysis.at.getTime() >= every)) {
      effects.enqueue(q.name, async () => {
        await notices.refreshAnalysis(incident.id, every);
        await evaluateQueue(scope, q, null);
      });
    }
  }
};
