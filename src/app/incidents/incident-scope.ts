// What the pieces of the incident service share (incident-service.ts builds it once): the store and
// clock, the queues' settings, the notifications and parent editor, and the two serial queues that
// order state changes and then their Slack work per queue. No state of its own.

import type { Incident, JsonObject } from '../../core/model.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type { Logger } from '../../ports/logger.port.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { createIncidentNotifications, IncidentQueue } from './incident-notifications.ts';
import type { ParentEditor } from './parent-editor.ts';
import type { QueueInsight } from './queue-insight.ts';
import type { SerialQueues } from './serial-queues.ts';

/** What the pieces read of the service's deps (incident-service.ts `IncidentServiceDeps`). */
export interface IncidentScopeDeps {
  store: Store;
  clock: Clock;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  metrics: Pick<Metrics, 'incidentLevel' | 'actionCompleted'>;
  insight?: QueueInsight | null;
  /** How often an open incident's DLQ is re-analyzed when its policy has analysis rules (default 10 min). */
  analysisEveryMinutes?: number;
  /** Counts replays and resolutions since a time for the resolution summary (default: the store's records). */
  activitySince?: (queue: string, since: Date) => Promise<{ replayed: number; resolved: number }>;
  newId?: () => string;
  /** Where audit records' log lines go (the `component: audit` logger); else the incident logger. */
  auditLogger?: Pick<Logger, 'info' | 'warn'>;
}

export interface IncidentScope {
  deps: IncidentScopeDeps;
  queueOf(name: string): IncidentQueue | null;
  notices: ReturnType<typeof createIncidentNotifications>;
  editor: ParentEditor;
  /** State changes, one at a time per queue. */
  state: SerialQueues;
  /** Slack work, in order per queue, after the state it shows was committed. */
  effects: SerialQueues;
  newId: () => string;
  /** Appends an event to the incident's history. */
  event(incident: Incident, kind: string, data: JsonObject): Promise<unknown>;
}
