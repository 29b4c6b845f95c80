// The server's typed container: every adapter and use case of `serve`, built from config + secrets +
// options in dependency order (Slack before the chat, the chat before the services that post), so
// nothing is wired late. Builds only; serve.ts starts and stops it.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { healthRoutes } from '../adapters/inbound/http/health-routes.ts';
import { createHttpServer, type HttpServer } from '../adapters/inbound/http/http-server.ts';
import type { LocalConsole } from '../adapters/inbound/console/local-console.ts';
import type { BoltApp } from '../adapters/inbound/slack/bolt-app.ts';
import { registerSlackListeners } from '../adapters/inbound/slack/register-listeners.ts';
import { alertRoutes } from '../adapters/inbound/sns/alert-routes.ts';
import type { Demo } from '../adapters/outbound/demo/demo-backends.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { createPrometheusMetrics } from '../adapters/outbound/metrics/prometheus-metrics.ts';
import { createAccessControl } from '../app/access/access-control.ts';
import { accessRolesFrom } from '../app/access/access-roles.ts';
import { readAppHome } from '../app/incidents/app-home.use-case.ts';
import { createDepthPoller, type DepthPoller } from '../app/incidents/depth-poller.ts';
import { createIngestAlert } from '../app/incidents/ingest-alert.ts';
import type { IncidentService } from '../app/incidents/incident-service.ts';
import { canaryLookup } from '../app/jobs/canary.ts';
import type { JobFollower } from '../app/jobs/job-follower.ts';
import type { JobRecovery } from '../app/jobs/job-recovery.ts';
import type { ReplayWatches } from '../app/jobs/replay-watches.ts';
import type { ApprovalRequests } from '../app/jobs/safety/approval-requests.ts';
import type { Reply } from '../presentation/slack/block-kit/blocks.ts';
import type { StoredMonitors } from '../app/monitors/stored-monitors.ts';
import { createReadiness } from '../app/health/readiness.ts';
import type { QueueRegistry } from '../app/shared/queue-registry.ts';
import type { Config } from '../config/config.schema.ts';
import { slackTransport, type Secrets } from '../config/load-config.ts';
import { systemClock, } from '../ports/clock.port.ts';
import type { Store } from '../ports/store.port.ts';
import { realTimers, } from '../ports/timers.port.ts';
import { consoleModeFor } from './console-mode.ts';
import { serverDlqRouter } from './dlq-routers.ts';
import { openQueueRegistry } from './open-queues.ts';
import { openSafety } from './open-safety.ts';
import { openStore } from './open-store.ts';
import { openSlackDirectory, openSlackTransport } from './slack-transport.ts';
import { wireIncidents } from './wire-incidents.ts';
import { wireJobs } from './wire-jobs.ts';
import type { ServerOptions } from './server-options.ts';

export interface Runtime {
  url: string;
  store: Store;
  bolt: BoltApp | null;
  /** The local console's page when it runs (no Slack credentials, loopback host). */
  consoleUrl: string | null;
  incidents: IncidentService;
  poller: DepthPoller;
  /** Redrive jobs started from Slack, running in the background. */
  slackJobs: JobFollower;
  /** Takes over jobs whose replica stopped heartbeating (run on every poll of the poller's replica). */
  jobRecovery: JobRecovery;
  /** `/dlq monitor`s, kept in the store and run by the replica holding the poller lease. */
  monitors: StoredMonitors;
  /** Bulk replays awaiting a second person's approval; expired on every poll of the poller's replica. */
  approvals: ApprovalRequests<Reply>;
  /** Post-replay watches, kept in the store and adopted by the replica holding the poller lease. */
  replayWatches: ReplayWatches;
  stop(): Promise<void>;
  /**
   * Stops as a killed process would (tests): nothing is flushed, jobs are not marked paused, leases
   * (poller, jobs) are kept until they expire, and checked-out messages stay hidden until their timeout.
   */
  crash(): Promise<void>;
}

/** Everything `serve` runs, built and not started. */
export interface ServerContainer {
  /** The effective config (console mode fills in its defaults). */
  config: Config;
  logger: Logger;
  store: Store;
  registry: QueueRegistry;
  transport: 'http' | 'socket' | 'none';
  demo: Demo | null;
  bolt: BoltApp | null;
  localConsole: LocalConsole | null;
  incidents: IncidentService;
  slackJobs: JobFollower;
  jobRecovery: JobRecovery;
  monitors: StoredMonitors;
  approvals: ApprovalRequests<Reply>;
  replayWatches: ReplayWatches;
  poller: DepthPoller;
  http: HttpServer;
}

/** Builds the server side of Redrive, each piece after the ones it needs; opens the store and the queues, starts nothing. */
export type { ServerOptions };

export const buildServerContainer = async (configured: Config, secrets: Secrets, logger: Logger, options: ServerOptions = {}): Promise<ServerContainer> => {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const store = await openStore(configured, secrets, logger, clock);
  const metrics = createPrometheusMetrics();
  const transport = slackTransport(configured, secrets);
  // Without Slack credentials the local console stands in for Slack (loopback only), with the demo
  // queues when the config names none; they are never built beside a real queue.
  const consoleMode = consoleModeFor(configured, transport, { clock, timers });
  const { config, demo } = consoleMode;
  const { registry, aws } = openQueueRegistry(config, secrets, store, clock, logger, demo?.backends ?? [], options.sqsCheckoutVisibilitySeconds);
  const { bolt, localConsole } = openSlackTransport({ config, secrets, transport, consoleMode, logger, clock, slackRetries: options.slackRetries });
  // Roles (README "Roles and audit"): checked before every /dlq command, button and modal; user
  // groups are read through Bolt's client (without Slack they grant nothing).
  const { userGroups, directory } = openSlackDirectory(bolt, { clock, metrics, logger });
  const queueDeps = {
    registry, store, clock, metrics, logger: logger.child({ component: 'queues' }), auditLogger: logger.child({ component: 'audit' }), redactKeys: config.redactKeys,
    canaryConfig: canaryLookup(config.queues),
  };
  const access = createAccessControl({ roles: accessRolesFrom(config), userGroups, audit: queueDeps });
  const { chat, incidents, incidentLogger } = wireIncidents({ bolt, config, demo, queueDeps, store, clock, timers, metrics, logger });
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const jobs = wireJobs({ queueDeps, chat, incidents, replicaId, timers, logger, options });
  const { slackJobs, jobRecovery, monitors, replayWatches } = jobs;
  const safety = openSafety(config, queueDeps, aws, access, chat);
  const router = serverDlqRouter({ queueDeps, registry, access, directory, jobs, gates: safety.gates });
  const kindOf = (queue: string) => registry.list().find((backend) => backend.name === queue)?.kind ?? null;
  if (bolt) registerSlackListeners(bolt.app, { router, incidents, chat, access, kindOf, logger: logger.child({ component: 'slack' }), readHome: (scope) => readAppHome({ queue: queueDeps, chat }, scope) });
  const alertLogger = logger.child({ component: 'alerts' });
  const ingest = createIngestAlert({ store, clock, metrics, logger: alertLogger, queues: config.queues, alertmanager: config.alerts.alertmanager, cloudwatch: { alarmLevels: config.alerts.sns.alarmLevels }, onAlert: incidents.onAlert });
  const poller = createDepthPoller({
    registry, store, clock, timers, metrics, logger: incidentLogger,
    replicaId,
    intervalMs: config.poller.intervalSeconds * 1000,
    retentionMs: config.poller.retentionHours * 3_600_000,
    onSample: incidents.onSample,
    // Jobs whose replica is gone are taken over even when an incident timer failed (sweep never throws).
    onTick: async () => {
      try {
        await incidents.tick();
      } finally {
        await jobRecovery.sweep();
        await monitors.adopt();
        await safety.approvals.expireDue();
        await replayWatches.adopt();
      }
    },
  });
  const http = createHttpServer({
    routes: [
      ...healthRoutes({ readiness: createReadiness({ store, backends: () => registry.list() }), metrics, slack: transport }),
      ...(localConsole?.routes ?? []),
      ...alertRoutes({ ingest, config, secrets, logger: alertLogger, metrics, clock, ...(options.certificateFetcher ? { certificateFetcher: options.certificateFetcher } : {}) }),
    ],
    logger: logger.child({ component: 'http' }),
    ...(bolt?.http ? { slack: bolt.http } : {}),
  });
  return { config, logger, store, registry, transport, demo, bolt, localConsole, incidents, slackJobs, jobRecovery, monitors, approvals: safety.approvals, replayWatches, poller, http };
};
