// Incidents and the chat they post through: alerts and polled depths in; Slack parent message, thread,
// L3 page and charts out. Builds the chat adapter on Bolt's Web API client (none without Slack) and the
// incident service; starts nothing.

import type { BoltApp } from '../adapters/inbound/slack/bolt-app.ts';
import { encodePng } from '../adapters/outbound/chart/png-encoder.ts';
import type { Demo } from '../adapters/outbound/demo/demo-backends.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { createSlackChat } from '../adapters/outbound/slack-chat/slack-chat.ts';
import { incidentQueues } from '../app/incidents/incident-queues.ts';
import { createIncidentService, type IncidentService } from '../app/incidents/incident-service.ts';
import { createSlackIncidentNotifier } from '../presentation/slack/incident-notifier.ts';
import { createQueueInsight } from '../app/incidents/queue-insight.ts';
import { analyzeQueue } from '../app/messages/analyze-queue.use-case.ts';
import { refreshMoveTask } from '../app/jobs/move-task.use-case.ts';
import type { QueueDeps } from '../app/shared/queue-deps.ts';
import type { Config } from '../config/config.schema.ts';
import type { Chat } from '../ports/chat.port.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Metrics } from '../ports/metrics.port.ts';
import type { Store } from '../ports/store.port.ts';
import type { Timers } from '../ports/timers.port.ts';

export interface IncidentWiring {
  /** Slack's chat adapter (or the console's); null without Slack. */
  chat: Chat | null;
  incidents: IncidentService;
  /** The `component: incidents` logger, shared by the chat adapter, the incidents and the depth poller. */
  incidentLogger: Logger;
}

export const wireIncidents = (deps: {
  bolt: BoltApp | null;
  config: Config;
  demo: Demo | null;
  queueDeps: QueueDeps & { metrics: Metrics; auditLogger: Logger };
  store: Store;
  clock: Clock;
  timers: Timers;
  metrics: Metrics;
  logger: Logger;
}): IncidentWiring => {
  const { bolt, config, demo, store, clock, timers, metrics, queueDeps } = deps;
  const incidentLogger = deps.logger.child({ component: 'incidents' });
  const chat = bolt ? createSlackChat({ client: bolt.app.client, metrics, logger: incidentLogger }) : null;
  const incidents = createIncidentService({
    store, clock, timers, metrics, logger: incidentLogger, auditLogger: queueDeps.auditLogger,
    notifier: chat ? createSlackIncidentNotifier(chat) : null,
    queues: incidentQueues([...config.queues, ...(demo?.queues ?? [])], config.slack.defaultAlertChannel ?? null),
    l3: { channel: config.slack.l3Channel ?? null, userGroup: config.slack.l3UserGroup ?? null },
    insight: createQueueInsight(queueDeps, { analyzeQueue, refreshMoveTask }, { redactKeys: config.redactKeys }),
    encodeChart: encodePng,
  });
  return { chat, incidents, incidentLogger };
};
