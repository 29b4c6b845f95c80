// The only composition root: reads the environment and the config once, builds the adapters, wires
// them to the use cases and runs the requested command. Nothing else reads process.env.

import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { CLI_USAGE, parseCliArgs, type CliRequest } from './adapters/inbound/cli/cli-args.ts';
import { plainMessage, renderReplyForTerminal } from './presentation/terminal/render-terminal.ts';
import { jsonError, jsonResult, takeJsonFlag } from './presentation/terminal/json-output.ts';
import { createJobProgressPrinter, printCanary } from './presentation/terminal/job-progress-printer.ts';
import { healthRoutes } from './adapters/inbound/http/health-routes.ts';
import { createReadiness } from './app/health/readiness.ts';
import { createHttpServer } from './adapters/inbound/http/http-server.ts';
import { createBoltApp, type BoltApp } from './adapters/inbound/slack/bolt-app.ts';
import { registerSlackListeners } from './adapters/inbound/slack/register-listeners.ts';
import { CONSOLE_PATH, createLocalConsole, type LocalConsole } from './adapters/inbound/console/local-console.ts';
import { CONSOLE_USER } from './slack-api-emulator/in-process-workspace.ts';
import { createDemo, DEMO_CHANNELS, DEMO_L3_USER_GROUP, DEMO_POLLER_INTERVAL_SECONDS } from './adapters/outbound/demo/demo-backends.ts';
import { isLoopbackHost, withConsoleDefaults } from './config/console-defaults.ts';
import { alertRoutes } from './adapters/inbound/sns/alert-routes.ts';
import type { CertificateFetcher } from './adapters/inbound/sns/sns-certificate.ts';
import { encodePng } from './adapters/outbound/chart/png-encoder.ts';
import { createSlackChat } from './adapters/outbound/slack-chat/slack-chat.ts';
import { createIngestAlert } from './app/incidents/ingest-alert.ts';
import { createDepthPoller, type DepthPoller } from './app/incidents/depth-poller.ts';
import { incidentQueues } from './app/incidents/incident-queues.ts';
import { createIncidentService, type IncidentService } from './app/incidents/incident-service.ts';
import { createSlackIncidentNotifier } from './presentation/slack/incident-notifier.ts';
import { renderMonitorReading } from './presentation/slack/replies/monitor-replies.ts';
import { slackJobThreadMessages } from './presentation/slack/replies/job-thread-messages.ts';
import { slackApprovalMessages } from './presentation/slack/replies/safety-replies.ts';
import type { Reply } from './presentation/slack/block-kit/blocks.ts';
import { createQueueInsight } from './app/incidents/queue-insight.ts';
import { createRootLogger, type Logger } from './adapters/outbound/logging/pino-logger.ts';
import { createPrometheusMetrics } from './adapters/outbound/metrics/prometheus-metrics.ts';
import { SqliteStore } from './adapters/outbound/sqlite/sqlite-store.ts';
import { createDlqCommandRouter } from './app/commands/dlq-command-router.ts';
import { createAccessControl } from './app/access/access-control.ts';
import { accessRolesFrom } from './app/access/access-roles.ts';
import { createAuditOperations, createQueueOperations } from './presentation/slack/commands/dlq-commands.ts';
import { withFailureAudit } from './app/commands/failure-audit.ts';
import { withKnownQueues } from './app/commands/known-queues.ts';
import { createSlackUserGroups } from './adapters/outbound/slack-directory/slack-user-groups.ts';
import { createSlackUsers } from './adapters/outbound/slack-directory/slack-users.ts';
import type { UserGroups } from './ports/user-groups.port.ts';
import type { UserDirectory } from './ports/user-directory.port.ts';
import { createQueueRegistry, type QueueRegistry } from './app/shared/queue-registry.ts';
import { createStoredMonitors, type StoredMonitors } from './app/monitors/stored-monitors.ts';
import { monitorThreadPoster, timersSleep } from './app/monitors/monitor-thread.ts';
import { withSlackSurface } from './presentation/slack/commands/slack-surface-commands.ts';
import { createJobFollower, type JobFollower } from './app/jobs/job-follower.ts';
import { createJobRecovery, type JobRecovery } from './app/jobs/job-recovery.ts';
import { readAppHome } from './app/incidents/app-home.use-case.ts';
import { createQueueBackends } from './adapters/outbound/queue-backends.ts';
import { parseDlqArgs } from './core/command/parse-dlq-command.ts';
import type { AwsClientFactory } from './adapters/outbound/aws/aws-client-factory.ts';
import type { AlarmStates } from './ports/preflight-probes.port.ts';
import { createCloudWatchAlarmStates } from './adapters/outbound/cloudwatch/cloudwatch-alarm-states.ts';
import { createHttpHealthProbe } from './adapters/outbound/http/http-health-probe.ts';
import { safetySettings } from './app/jobs/safety/safety-settings.ts';
import type { PreflightDeps } from './app/jobs/safety/preflight.use-case.ts';
import { createApprovalRequests, type ApprovalRequests } from './app/jobs/safety/approval-requests.ts';
import { withRedriveGates } from './presentation/slack/commands/redrive-gates.ts';
import type { AccessControl } from './app/access/access-control.ts';
import type { Chat } from './ports/chat.port.ts';
import type { QueueDeps } from './app/shared/queue-deps.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from './config/config.schema.ts';
import { accessKey, awsAccessFor, credentialSets, describeCredentialSet } from './config/aws-credential-sets.ts';
import {
  formatProblems,
  loadConfigFile,
  missingSecrets,
  parseConfig,
  resolveSecrets,
  slackTransport,
  type ConfigOverrides,
  type ConfigResult,
  type Secrets,
} from './config/load-config.ts';
import { isRedriveError, RedriveError } from './errors.ts';
import type { Store } from './ports/store.port.ts';
import type { QueueBackend } from './ports/queue-backend.port.ts';
import { systemClock, type Clock } from './ports/clock.port.ts';
import { realTimers, type Timers } from './ports/timers.port.ts';
import { noopMetrics } from './ports/metrics.port.ts';
import { printIamPolicy } from './adapters/inbound/cli/iam-policy-command.ts';
import { canaryLookup } from './app/jobs/canary.ts';
import { createReplayWatches, type ReplayWatches } from './app/jobs/replay-watches.ts';
import type { Job, JobThread } from './core/model.ts';

type Env = Record<string, string | undefined>;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The store keeps its own timestamps (updated_at) on the app's clock, so a hand-moved test clock moves them too. */
const openStore = async (config: Config, secrets: Secrets, logger: Logger, clock: Clock = systemClock): Promise<Store> => {
  if (config.store.kind === 'sqlite') {
    const store = SqliteStore.open(config.store.path, { clock });
    const applied = await store.migrate();
    logger.info({ component: 'store', path: config.store.path, applied }, 'SQLite store ready');
    return store;
  }
  const { PostgresStore } = await import('./adapters/outbound/postgres/postgres-store.ts');
  const store = PostgresStore.connect(secrets.databaseUrl ?? '', { clock });
  const applied = await store.migrate();
  logger.info({ component: 'store', applied }, 'PostgreSQL store ready');
  return store;
};

/** Every configured queue (SQS and Kafka); closing the registry also closes the Kafka connections. */
const openQueueRegistry = (config: Config, secrets: Secrets, store: Store, clock: Clock, logger: Logger, demo: readonly QueueBackend[] = [], sqsCheckoutVisibilitySeconds?: number): { registry: QueueRegistry; aws: AwsClientFactory } => {
  const built = createQueueBackends(config, secrets, { store, clock, logger: logger.child({ component: 'queues' }), sqsCheckoutVisibilitySeconds });
  return { registry: createQueueRegistry([...built.backends, ...demo], { onClose: built.close }), aws: built.aws };
};

/**
 * Safe redrive (issue 14): pre-flight's ports (CloudWatch DescribeAlarms only when a queue checks
 * alarms, HTTP health, Kafka lag per queue) and the approval requests, for the gates around bulk replays.
 */
const openSafety = (config: Config, queueDeps: QueueDeps, aws: AwsClientFactory, access: AccessControl, chat: () => Chat | null) => {
  const settings = safetySettings(config.queues);
  // Each queue's alarms are read with its own region and credentials (an assumed role's account); a
  // Kafka queue's alarms with the default ones.
  const alarmStates = new Map<string, AlarmStates>();
  const alarmsFor = (queue: string): AlarmStates | null => {
    if (!settings.usesAlarms) return null;
    const queueConfig = config.queues.find((q) => q.name === queue);
    const access = awsAccessFor(config.aws, queueConfig?.kind === 'sqs' ? queueConfig : {});
    const key = accessKey(access);
    let states = alarmStates.get(key);
    if (!states) alarmStates.set(key, (states = createCloudWatchAlarmStates(aws.clientsFor(access).cloudwatch())));
    return states;
  };
  const preflight: PreflightDeps = {
    audit: queueDeps,
    checksFor: settings.checksFor,
    alarmsFor,
    http: createHttpHealthProbe(),
    lagFor: (queue) => queueDeps.registry.get(queue).consumerGroupLag ?? null,
  };
  const approvals = createApprovalRequests({
    queue: queueDeps,
    chat,
    messages: slackApprovalMessages,
    preflight,
    policyFor: settings.policyFor,
    isAdmin: async (actor, queue) => {
      const checked = await access.check({ actor, action: 'approve-alone', queue });
      return checked.ok && checked.role === 'admin';
    },
    ...(queueDeps.logger ? { logger: queueDeps.logger } : {}),
  });
  return { approvals, gates: { queue: queueDeps, preflight, policyFor: settings.policyFor, approvals } };
};

/** The channels the console shows from the start: the configured ones, named where the demo names them. */
const consoleChannels = (config: Config): { id: string; name: string }[] => {
  const named = new Map<string, string>([[DEMO_CHANNELS.alerts.id, DEMO_CHANNELS.alerts.name], [DEMO_CHANNELS.l3.id, DEMO_CHANNELS.l3.name]]);
  const ids = [config.slack.defaultAlertChannel, ...config.queues.map((q) => q.alertChannel), config.slack.l3Channel].filter((id): id is string => Boolean(id));
  return [...new Set(ids)].map((id) => ({ id, name: named.get(id) ?? id.toLowerCase() }));
};

const loadConfig = (path: string | null, overrides?: ConfigOverrides): { result: ConfigResult; source: string } => {
  if (path === null) return { result: parseConfig({}, overrides), source: '(embedded defaults)' };
  return { result: loadConfigFile(path, overrides), source: path };
};

/** `serve --port N` wins over `PORT`, which wins over server.port; the schema validates either. */
const portOverride = (request: CliRequest, env: Env): ConfigOverrides | undefined => {
  if (request.command !== 'serve') return undefined;
  if (request.port !== undefined && request.port !== null) return { serverPort: { value: request.port, from: '--port' } };
  if (env.PORT !== undefined && env.PORT !== '') return { serverPort: { value: env.PORT, from: 'the PORT environment variable' } };
  return undefined;
};

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

/** Test hooks for startServer: a hand-moved clock and timers, a trusted SNS certificate source. */
export interface ServerOptions {
  slackRetries?: number;
  clock?: Clock;
  timers?: Timers;
  replicaId?: string;
  certificateFetcher?: CertificateFetcher;
  /** Jobs started from Slack: progress replies at most every progressEveryMs, move tasks read every pollMs. */
  slackJobs?: { progressEveryMs?: number; pollMs?: number };
  /** How long an SQS job checkout hides a message (default 60 s): crash tests wait for it to end. */
  sqsCheckoutVisibilitySeconds?: number;
  /** How often a post-replay watch looks at the DLQ (default 5 s). */
  replayWatchPollMs?: number;
}

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
  const slackJobs = createJobFollower({ queue: queueDeps, chat: () => chat, messages: slackJobThreadMessages, logger: jobsLogger, replicaId, afterReplay, onCanaryReturned, ...(options.slackJobs ?? {}) });
  const jobRecovery = createJobRecovery({ queue: queueDeps, follower: slackJobs, logger: jobsLogger, replicaId });
  // /dlq monitor from Slack posts its readings in a thread, every interval on the timers port; the
  // monitors are stored, and the poller's replica runs them (a restart carries them on).
  const monitors = createStoredMonitors({ queue: { ...queueDeps, sleep: timersSleep(timers) }, chat: () => chat, renderReading: renderMonitorReading, replicaId });
  const monitorPosterFor = monitorThreadPoster({ store, chat: () => chat, renderReading: renderMonitorReading, logger: logger.child({ component: 'monitor' }) });
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
    store, clock, timers, metrics, logger: incidentLogger, auditLogger: queueDeps.auditLogger,
    notifier: chat ? createSlackIncidentNotifier(chat) : null,
    queues: incidentQueues([...config.queues, ...(demo?.queues ?? [])], config.slack.defaultAlertChannel ?? null),
    l3: { channel: config.slack.l3Channel ?? null, userGroup: config.slack.l3UserGroup ?? null },
    insight: createQueueInsight(queueDeps, { redactKeys: config.redactKeys }),
    encodeChart: encodePng,
  });
  onReturns = (queue) => incidents.onReplayReturns(queue);
  replayWatches = createReplayWatches({ queue: queueDeps, chat: () => chat, messages: slackJobThreadMessages, replicaId, onReturns, ...(options.replayWatchPollMs ? { pollMs: options.replayWatchPollMs } : {}) });
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

/** `redrive dlq ... --json`: errors, too, come as one JSON document on stdout. */
const wantsJson = (request: CliRequest): request is Extract<CliRequest, { command: 'dlq' }> => request.command === 'dlq' && request.args.includes('--json');

const runCommand = async (request: Exclude<CliRequest, { command: 'help' | 'version' }>, env: Env, io: Io): Promise<number> => {
  const { result, source } = loadConfig(request.configPath, portOverride(request, env));
  if (!result.ok && wantsJson(request)) {
    io.out(jsonError(request.args.find((a) => a !== '--json') ?? null, new RedriveError('CONFIG_INVALID', formatProblems(source, result.problems))));
    return 1;
  }
  if (!result.ok) {
    io.err(`${source}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:`);
    io.err(formatProblems(source, result.problems));
    return 1;
  }
  const config = result.config;
  // The policy is read from the config alone: no secret, store or AWS call is needed to print it.
  if (request.command === 'iam-policy') return printIamPolicy(config, request.role, source, io);
  const secrets = resolveSecrets(config, env);
  const secretProblems = missingSecrets(config, secrets);
  if (request.command === 'check-config') {
    if (secretProblems.length > 0) {
      io.err(formatProblems(source, secretProblems));
      return 1;
    }
    const slack = slackTransport(config, secrets);
    io.out(`${source}: OK — ${config.queues.length} queue(s) [${config.queues.map((q) => `${q.name} (${q.kind})`).join(', ')}], store ${config.store.kind}, Slack ${slack === 'none' ? 'not configured' : `${slack} mode`}.`);
    // Which SQS queues share which AWS credentials (region + assumed role): one line per set.
    for (const set of credentialSets(config)) io.out(`  AWS credentials: ${describeCredentialSet(set)}`);
    return 0;
  }
  if (secretProblems.length > 0) throw new RedriveError('CONFIG_SECRET_MISSING', formatProblems(source, secretProblems));
  // Terminal commands print their results on stdout; their log lines go to stderr.
  const logger = createRootLogger({ level: env.LOG_LEVEL ?? config.logLevel, stream: request.command === 'serve' ? 'stdout' : 'stderr' });
  if (request.command === 'migrate') {
    const store = await openStore(config, secrets, logger);
    await store.close();
    io.out('Migrations applied.');
    return 0;
  }
  if (request.command === 'dlq') {
    // `--body-file <path>`: a replacement body for replay, a JSON object merged into each body for redrive-batch.
    const args = [...request.args];
    // `--json`: one JSON document on stdout (result or error) instead of the plain text.
    const json = takeJsonFlag(args);
    const op = args[0]?.toLowerCase() ?? 'help';
    const at = args.indexOf('--body-file');
    const bodyEdit = at >= 0 ? readFileSync(args.splice(at, 2)[1] ?? '', 'utf8') : null;
    // Bad input: the usage line on stderr and exit 2, like any command-line tool (nothing is opened).
    const parsed = parseDlqArgs(args);
    if (!parsed.ok) {
      const usage = parsed.usage.replace('Usage: /dlq', 'Usage: redrive dlq');
      if (json) io.out(jsonError(op, parsed.error, { usage }));
      else io.err(`redrive dlq: ${parsed.error}\n${usage}`);
      return 2;
    }
    const store = await openStore(config, secrets, logger);
    const { registry, aws: awsClients } = openQueueRegistry(config, secrets, store, systemClock, logger);
    const monitorPost = async (_queue: string, view: { status: { queue: string; depth: number; inFlight: number | null; at: Date } }) =>
      io.out(
        json
          ? JSON.stringify({ queue: view.status.queue, at: view.status.at.toISOString(), visible: view.status.depth, inFlight: view.status.inFlight })
          : `${view.status.at.toISOString()}  ${view.status.queue}  visible=${view.status.depth}  in-flight=${view.status.inFlight ?? '-'}`,
      );
    try {
      // The terminal is trusted as admin (`cli:<user>` actors pass every role check; see app/access): whoever
      // runs it holds the config and the credentials already. Its actions are audited like Slack's.
      const cliDeps = { registry, store, clock: systemClock, metrics: noopMetrics, auditLogger: logger.child({ component: 'audit' }), redactKeys: config.redactKeys, canaryConfig: canaryLookup(config.queues) };
      const access = createAccessControl({ roles: accessRolesFrom(config), userGroups: null, audit: cliDeps });
      const cliQueueDeps = { ...cliDeps, logger: logger.child({ component: 'queues' }) };
      const cliGates = openSafety(config, cliQueueDeps, awsClients, access, () => null).gates;
      const cliOperations = withFailureAudit(withRedriveGates({ ...createQueueOperations(cliDeps, { monitorPost, bodyEdit, jobProgress: createJobProgressPrinter(io.err), onCanary: printCanary(io.err) }), ...createAuditOperations(cliDeps) }, cliGates), cliDeps);
      const router = createDlqCommandRouter(withKnownQueues(cliOperations, { registry }), { authorize: access.authorize });
      let reply;
      try {
        reply = await router.handleArgs(args, { actor: `cli:${userInfo().username}`, channelId: null, transport: 'cli' });
      } catch (error) {
        if (!json) throw error;
        io.out(jsonError(parsed.command.op, error, { redactKeys: config.redactKeys }));
        return 1;
      }
      io.out(json ? jsonResult(parsed.command.op, reply, config.redactKeys) : renderReplyForTerminal(reply));
      // `monitor` keeps printing until Ctrl-C.
      if (args[0] === 'monitor') await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    } finally {
      await registry.close();
      await store.close();
    }
    return 0;
  }
  const runtime = await startServer(config, secrets, logger);
  io.out(`Redrive is serving on ${runtime.url} (health: ${runtime.url}/healthz)`);
  if (runtime.consoleUrl) io.out(`Local console (no Slack configured): open ${runtime.consoleUrl}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      runtime.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
};

export const runCli = async (argv: readonly string[], env: Env, io: Io): Promise<number> => {
  const parsed = parseCliArgs(argv, env);
  if (!parsed.ok) {
    io.err(`${parsed.error}\n\n${CLI_USAGE}`);
    return 2;
  }
  const request = parsed.request;
  if (request.command === 'help') {
    io.out(CLI_USAGE);
    return 0;
  }
  if (request.command === 'version') {
    io.out('redrive 0.1.0');
    return 0;
  }
  try {
    return await runCommand(request, env, io);
  } catch (error) {
    if (wantsJson(request)) {
      io.out(jsonError(request.args.find((a) => a !== '--json') ?? null, error));
      return 1;
    }
    if (isRedriveError(error)) {
      io.err(`redrive: ${error.code}: ${plainMessage(error.userMessage())}`);
      return 1;
    }
    io.err(`redrive: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
};

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
