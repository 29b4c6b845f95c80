// The incident service: turns alerts (ingest's onAlert) and depth samples (the poller) into incident
// state with the core's decideLevel and lifecycle, persists it with optimistic versions, and drives
// the chat through IncidentNotifications. State lives in the store, so a restarted process carries on in the
// same thread at the same level. Slack work runs after the state is committed, off the caller's path.
// This module builds the service's scope and takes acknowledgements; a level is decided by
// incident-evaluation.ts, announced by incident-announcements.ts, the lease holder's tick is incident-timers.ts.

import { writeAudit } from '../shared/audit-trail.ts';
import { randomUUID } from 'node:crypto';
import { readIncidentData, type AlertStatus } from '../../core/incident/incident-data.ts';
import { acknowledge as acknowledgeIncident } from '../../core/incident/incident-lifecycle.ts';
import type { Incident, JsonObject } from '../../core/model.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { Timers } from '../../ports/timers.port.ts';
import type { RecordedAlertEvent } from './ingest-alert.ts';
import { evaluateQueue } from './incident-evaluation.ts';
import { mutateIncident } from './incident-mutation.ts';
import { createIncidentNotifications, type IncidentQueue, type IncidentNotificationsDeps } from './incident-notifications.ts';
import type { IncidentScope, IncidentScopeDeps } from './incident-scope.ts';
import { tickIncidents, usesAnalysis } from './incident-timers.ts';
import { createParentEditor } from './parent-editor.ts';
import type { QueueInsight } from './queue-insight.ts';
import { createSerialQueues } from './serial-queues.ts';

export type { IncidentQueue } from './incident-notifications.ts';

export interface IncidentServiceDeps extends Omit<IncidentNotificationsDeps, 'queueOf' | 'insight'>, IncidentScopeDeps {
  metrics: Pick<Metrics, 'incidentLevel' | 'actionCompleted'>;
  timers: Timers;
  queues: readonly IncidentQueue[];
  insight?: QueueInsight | null;
  /** Minimum time between two edits of one parent message (default 3 s). */
  editIntervalMs?: number;
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

const alertStatusOf = (event: RecordedAlertEvent): AlertStatus => {
  const d = event.details;
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const annotations = (d.annotations ?? {}) as JsonObject;
  const reason = text(d.reason) ?? text(annotations.summary) ?? text(annotations.description);
  return { name: event.name, source: event.source === 'sns' ? 'CloudWatch' : event.source === 'alertmanager' ? 'Alertmanager' : event.source, state: event.state, level: event.level, at: event.receivedAt, reason: reason === null ? null : reason.slice(0, 1_000) };
};

/** Acknowledges the incident under its queue's state queue: recorded, audited, replied and the parent edited. */
const acknowledge = async (scope: IncidentScope, incidentId: string, user: string): Promise<AckResult> => {
  const { store, clock, metrics, logger, auditLogger } = scope.deps;
  const incident = await store.getIncident(incidentId);
  if (!incident) return { kind: 'not-found' };
  return scope.state.run(incident.queue, async (): Promise<AckResult> => {
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
    await scope.event(done.incident, 'acknowledged', { user });
    await writeAudit(
      { store, clock, metrics, logger, ...(auditLogger ? { auditLogger } : {}) },
      { action: 'acknowledge', queue: incident.queue, actor: user, incidentId },
      'success',
      null,
      { level: done.incident.level },
    );
    scope.effects.enqueue(incident.queue, async () => {
      await scope.notices.reply(incidentId, { kind: 'acknowledged', user });
      scope.editor.request(incidentId);
    });
    return { kind: 'acknowledged', incident: done.incident };
  });
};

export const createIncidentService = (deps: IncidentServiceDeps): IncidentService => {
  const { store, clock, logger } = deps;
  const queues = new Map(deps.queues.map((q) => [q.name, q]));
  const queueOf = (name: string): IncidentQueue | null => queues.get(name) ?? null;
  const notices = createIncidentNotifications({ ...deps, insight: deps.insight ?? null, queueOf });
  const onError = (key: string, error: unknown) => logger.error({ queue: key, err: error }, 'incident work failed');
  const scope: IncidentScope = {
    deps,
    queueOf,
    notices,
    editor: createParentEditor({ clock, timers: deps.timers, intervalMs: deps.editIntervalMs ?? 3_000, edit: notices.editParent }),
    state: createSerialQueues(onError),
    effects: createSerialQueues(onError),
    newId: deps.newId ?? (() => randomUUID()),
    event: (incident, kind, data) => store.appendIncidentEvent({ incidentId: incident.id, at: clock.now(), kind, data }),
  };
  const { state, effects, editor } = scope;

  return {
    onAlert: async (alertEvent) => {
      const q = queueOf(alertEvent.queue);
      if (!q) return logger.warn({ queue: alertEvent.queue, alert: alertEvent.name }, 'alert for a queue without incident settings; ignored');
      await evaluateQueue(scope, q, alertStatusOf(alertEvent));
    },
    onSample: async (queue) => {
      const q = queueOf(queue);
      if (q) await evaluateQueue(scope, q, null);
    },
    acknowledge: (incidentId, user) => acknowledge(scope, incidentId, user),
    tick: () => tickIncidents(scope),
    onReplayReturns: async (queue) => {
      const q = queueOf(queue);
      const incident = q ? await store.findOpenIncident(q.name) : null;
      if (!q || !incident || !usesAnalysis(q) || !deps.insight) return;
      effects.enqueue(q.name, async () => {
        await notices.refreshAnalysis(incident.id, 0);
        await evaluateQueue(scope, q, null);
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
