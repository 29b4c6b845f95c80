// startServer: builds the server side of Redrive (store, queues, Slack or the local console, incidents,
// jobs, poller, HTTP) and starts it. It reads no environment: config, secrets and options come in.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createReadiness } from '../app/health/readiness.ts';
import { createHttpServer } from '../adapters/inbound/http/http-server.ts';
import { createBoltApp, type BoltApp } from '../adapters/inbound/slack/bolt-app.ts';
import { registerSlackListeners } from '../adapters/inbound/slack/register-listeners.ts';
import { CONSOLE_PATH, createLocalConsole, type LocalConsole } from '../adapters/inbound/console/local-console.ts';
import { CONSOLE_USER } from '../slack-api-emulator/in-process-workspace.ts';
import { createDemo, DEMO_CHANNELS, DEMO_L3_USER_GROUP, DEMO_POLLER_INTERVAL_SECONDS } from '../adapters/outbound/demo/demo-backends.ts';
import { isLoopbackHost, withConsoleDefaults } from '../config/console-defaults.ts';
import { encodePng } from '../adapters/outbound/chart/png-encoder.ts';
import { createSlackChat } from '../adapters/outbound/slack-chat/slack-chat.ts';
import { createIngestAlert } from '../app/incidents/ingest-alert.ts';
import { createDepthPoller } from '../app/incidents/depth-poller.ts';
import { incidentQueues } from '../app/incidents/incident-queues.ts';
import { createIncidentService } from '../app/incidents/incident-service.ts';
import { createQueueInsight } from '../app/incidents/queue-insight.ts';
import { type Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { createPrometheusMetrics } from '../adapters/outbound/metrics/prometheus-metrics.ts';
import { createDlqCommandRouter } from '../app/commands/dlq-command-router.ts';
import { createAccessControl } from '../app/access/access-control.ts';
import { accessRolesFrom } from '../app/access/access-roles.ts';
import { withFailureAudit } from '../app/commands/failure-audit.ts';
import { withKnownQueues } from '../app/commands/known-queues.ts';
import { createSlackUserGroups } from '../adapters/outbound/slack-directory/slack-user-groups.ts';
import { createSlackUsers } from '../adapters/outbound/slack-directory/slack-users.ts';
import type { UserGroups } from '../ports/user-groups.port.ts';
import type { UserDirectory } from '../ports/user-directory.port.ts';
import { createStoredMonitors } from '../app/monitors/stored-monitors.ts';
import { monitorThreadPoster, timersSleep } from '../app/monitors/monitor-thread.ts';
import { withSlackSurface } from '../presentation/slack/commands/slack-surface-commands.ts';
import { createJobFollower } from '../app/jobs/job-follower.ts';
import { createJobRecovery } from '../app/jobs/job-recovery.ts';
import { readAppHome } from '../app/incidents/app-home.use-case.ts';
import { withRedriveGates } from '../presentation/slack/commands/redrive-gates.ts';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.schema.ts';
import { slackTransport, type Secrets } from '../config/load-config.ts';
import { systemClock } from '../ports/clock.port.ts';
import { realTimers } from '../ports/timers.port.ts';
import { canaryLookup } from '../app/jobs/canary.ts';
import { createReplayWatches, type ReplayWatches } from '../app/jobs/replay-watches.ts';
import type { Job, JobThread } from '../core/model.ts';
import { createAuditOperations, createQueueOperations } from '../presentation/slack/commands/dlq-commands.ts';
import { healthRoutes } from '../adapters/inbound/http/health-routes.ts';
import { alertRoutes } from '../adapters/inbound/sns/alert-routes.ts';
import type { Runtime, ServerOptions } from './container.ts';
import { openStore } from './open-store.ts';
import { openQueueRegistry } from './open-queues.ts';
import { openSafety } from './open-safety.ts';
import { consoleChannels } from './console-mode.ts';

/** Builds and starts the server side of Redrive. Exported for end-to-end tests. */
export const startServer = async (
  config: Config,
  secrets: Secrets,
  logger: Logger,
  options: ServerOptions = {},
): Promise<Runtime> => {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const store = await openStore(config, secrets, logger, clock);
  const metrics = createPrometheusMetrics();
  const transport = slackTransport(config, secrets);
  // Without Slack credentials the local console stands in for Slack (loopback only), with the demo
  // queues when the config names none; they are never built beside a real queue.
  const consoleMode = transport === 'none' && isLoopbackHost(config.server.host);
  const demo = consoleMode && config.queues.length === 0 ? createDemo({ clock, timers }) : null;
  if (consoleMode) {
    config = withConsoleDefaults(config, {
      userId: CONSOLE_USER.id, alertChannel: DEMO_CHANNELS.alerts.id, l3Channel: DEMO_CHANNELS.l3.id, l3UserGroup: DEMO_L3_USER_GROUP.id,
      demoPollerIntervalSeconds: demo ? DEMO_POLLER_INTERVAL_SECONDS : null,
    });
  }
  const { registry, aws: awsClients } = openQueueRegistry(config, secrets, store, clock, logger, demo?.backends ?? [], options.sqsCheckoutVisibilitySeconds);
  const queueDeps = {
    registry, store, clock, metrics, logger: logger.child({ component: 'queues' }), auditLogger: logger.child({ component: 'audit' }), redactKeys: config.redactKeys,
    canaryConfig: canaryLookup(config.queues),
  };
  // Roles (README "Roles and audit"): checked before every /dlq command, button and modal. User
  // groups are read through Bolt's client once it exists; until then (and without Slack) they grant nothing.
  let userGroups: UserGroups | null = null;
  const access = createAccessControl({
    roles: accessRolesFrom(config),
    userGroups: { groupsOf: (user, groups) => userGroups?.groupsOf(user, groups) ?? Promise.resolve([]) },
    audit: queueDeps,
  });
  // Slack answers long jobs at once and reports in a thread; the chat adapter exists once Bolt does.
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const jobsLogger = logger.child({ component: 'jobs' });
  // The post-replay watch (after a job that replayed, or a replay from Slack): stored, adopted by the poller's replica.
  let replayWatches: ReplayWatches | null = null;
  const afterReplay = (job: Job, thread: JobThread | null): void => {
    replayWatches?.start({ queue: job.queue, actor: job.createdBy, job, thread }).catch((error: unknown) => jobsLogger.warn({ err: error, jobId: job.id }, 'post-replay watch not started'));
  };
  // A canary that came back is a replay failure for the incident's escalation, as a post-replay watch's returns are.
  let onReturns: ((queue: string) => Promise<void>) | null = null;
  const onCanaryReturned = (job: Job): void => void onReturns?.(job.queue).catch((error: unknown) => jobsLogger.warn({ err: error, jobId: job.id }, 'escalation not told about the canary'));
  const slackJobs = createJobFollower({ queue: queueDeps, chat: () => chat, logger: jobsLogger, replicaId, afterReplay, onCanaryReturned, ...(options.slackJobs ?? {}) });
  const jobRecovery = createJobRecovery({ queue: queueDeps, follower: slackJobs, logger: jobsLogger, replicaId });
  // /dlq monitor from Slack posts its readings in a thread, every interval on the timers port; the
  // monitors are stored, and the poller's replica runs them (a restart carries them on).
  const monitors = createStoredMonitors({ queue: { ...queueDeps, sleep: timersSleep(timers) }, chat: () => chat, replicaId });
  const monitorPosterFor = monitorThreadPoster({ store, chat: () => chat, logger: logger.child({ component: 'monitor' }) });
  // `/dlq audit @name` looks the name up in Slack (users.list) once Bolt's client exists.
  let slackUsers: UserDirectory | null = null;
  const directory: UserDirectory = { findByName: (name) => slackUsers?.findByName(name) ?? Promise.resolve({ kind: 'unavailable', reason: 'Slack is not configured' }) };
  const safety = openSafety(config, queueDeps, awsClients, access, () => chat);
  const operations = withRedriveGates(withSlackSurface(
    { ...createQueueOperations(queueDeps, { monitors, monitorPosterFor, visibility: access }), ...createAuditOperations(queueDeps, { visibility: access, directory }) },
    { queue: queueDeps, jobs: slackJobs, watches: { start: (request) => replayWatches?.start(request) ?? Promise.resolve(null) } },
  ), safety.gates);
  // Outside the failure audit: the audit record names no queue, the user sees the ones they may view.
  const router = createDlqCommandRouter(withKnownQueues(withFailureAudit(operations, queueDeps), { registry, visibility: access }), { authorize: access.authorize });
  let bolt: BoltApp | null = null;
  let localConsole: LocalConsole | null = null;
  if (transport !== 'none') {
    bolt = createBoltApp({
      mode: transport,
      botToken: secrets.slackBotToken ?? '',
      signingSecret: secrets.slackSigningSecret,
      appToken: secrets.slackAppToken,
      apiUrl: config.slack.apiUrl,
      logger,
      clock,
      ...(options.slackRetries === undefined ? {} : { retries: options.slackRetries }),
    });
  } else {
    const missing = `set ${config.slack.botTokenEnv} and ${config.slack.mode === 'socket' ? config.slack.appTokenEnv : config.slack.signingSecretEnv}`;
    if (consoleMode) {
      localConsole = createLocalConsole({
        logger,
        channels: consoleChannels(config),
        userGroups: config.slack.l3UserGroup ? [{ id: config.slack.l3UserGroup, handle: config.slack.l3UserGroup === DEMO_L3_USER_GROUP.id ? DEMO_L3_USER_GROUP.handle : config.slack.l3UserGroup }] : [],
        queues: [...config.queues.map((q) => ({ name: q.name, kind: q.kind, demo: false })), ...(demo?.backends ?? []).map((b) => ({ name: b.name, kind: b.kind, demo: true }))],
        demo: demo?.feed ?? null,
        slackEnv: { botToken: config.slack.botTokenEnv, signingSecret: config.slack.signingSecretEnv, appToken: config.slack.appTokenEnv },
        // The console's conversation lives beside the SQLite file, so a restart carries on in the same threads.
        persistPath: config.store.kind === 'sqlite' ? join(dirname(config.store.path), 'console-workspace.json') : null,
      });
      bolt = localConsole.bolt;
      logger.warn({ component: 'slack', mode: config.slack.mode, demo: demo !== null }, `Slack is not configured (${missing}); the local console stands in for Slack${demo ? ' with demo queues' : ''}`);
    } else {
      logger.warn({ component: 'slack', mode: config.slack.mode }, `Slack is not configured (${missing}); running without Slack (the local console needs a loopback server.host)`);
    }
  }
  // Incidents: alerts and polled depths in, Slack parent message, thread, L3 page and charts out.
  const incidentLogger = logger.child({ component: 'incidents' });
  const chat = bolt ? createSlackChat({ client: bolt.app.client, metrics, logger: incidentLogger }) : null;
  if (bolt) userGroups = createSlackUserGroups({ client: bolt.app.client, clock, metrics, logger: logger.child({ component: 'roles' }) });
  if (bolt) slackUsers = createSlackUsers({ client: bolt.app.client, clock, metrics, logger: logger.child({ component: 'roles' }) });
  const incidents = createIncidentService({
    store, clock, timers, metrics, logger: incidentLogger, auditLogger: queueDeps.auditLogger, chat,
    queues: incidentQueues([...config.queues, ...(demo?.queues ?? [])], config.slack.defaultAlertChannel ?? null),
    l3: { channel: config.slack.l3Channel ?? null, userGroup: config.slack.l3UserGroup ?? null },
    insight: createQueueInsight(queueDeps, { redactKeys: config.redactKeys }),
    encodeChart: encodePng,
  });
  onReturns = (queue) => incidents.onReplayReturns(queue);
  replayWatches = createReplayWatches({ queue: queueDeps, chat: () => chat, replicaId, onReturns, ...(options.replayWatchPollMs ? { pollMs: options.replayWatchPollMs } : {}) });
  const watches = replayWatches;
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
        await watches.adopt();
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
  let address;
  try {
    address = await http.listen(config.server.host, config.server.port);
  } catch (error) {
    // A busy port (another Redrive, another program): nothing started yet; close what was opened.
    await registry.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
  await bolt?.start();
  localConsole?.setOrigin(address.url);
  demo?.feed.start();
  poller.start();
  logger.info({ url: address.url, slack: transport, queues: config.queues.map((q) => q.name) }, 'Redrive is serving');
  /** Last step of both stop and crash: Slack, the HTTP server, queue connections, then the store. */
  const closeConnections = async (): Promise<void> => {
    await bolt?.stop();
    await http.close();
    await registry.close();
    await store.close();
  };
  return {
    url: address.url,
    store,
    bolt,
    consoleUrl: localConsole ? `${address.url}${CONSOLE_PATH}` : null,
    incidents,
    poller,
    slackJobs,
    jobRecovery,
    monitors,
    approvals: safety.approvals,
    replayWatches: watches,
    crash: async () => {
      demo?.feed.stop();
      monitors.stopAll();
      await poller.stop({ keepLease: true });
      incidents.stop();
      await slackJobs.crash();
      await watches.stop();
      await closeConnections();
    },
    stop: async () => {
      demo?.feed.stop();
      monitors.stopAll();
      await poller.stop();
      // Jobs are handed over, not paused: a manual job stops after its batch and frees its lease, a move
      // task keeps running on the broker; both stay `running` for the poller's replica (or the next start).
      await slackJobs.stop();
      await watches.stop();
      // Pending Slack work gets a few seconds; the store keeps the state for the next start.
      await Promise.race([incidents.flush(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      incidents.stop();
      await closeConnections();
    },
  };
};
