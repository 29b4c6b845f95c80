// The /dlq command routers: the server's (Slack and the console: jobs in the background, monitors in a
// thread, redrive gates with approvals) and the terminal's (trusted as admin, progress on stderr). Each
// is assembled in one function here; neither runs a command.

import type { AwsClientFactory } from '../adapters/outbound/aws/aws-client-factory.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { createAccessControl, type AccessControl } from '../app/access/access-control.ts';
import { accessRolesFrom } from '../app/access/access-roles.ts';
import { createDlqPipeline } from '../app/commands/dlq-command-pipeline.ts';
import { slackCommandPresenter, type DlqCommandRouter } from '../presentation/slack/commands/dlq-router.ts';
import { canaryLookup } from '../app/jobs/canary.ts';
import type { QueueDeps } from '../app/shared/queue-deps.ts';
import type { QueueRegistry } from '../app/shared/queue-registry.ts';
import type { Config } from '../config/config.schema.ts';
import { createAuditOperations, createQueueOperations, type QueueOperationsOptions } from '../presentation/slack/commands/dlq-commands.ts';
import { withRedriveGates, type RedriveGateDeps } from '../presentation/slack/commands/redrive-gates.ts';
import { withSlackSurface } from '../presentation/slack/commands/slack-surface-commands.ts';
import { systemClock } from '../ports/clock.port.ts';
import { realTimers } from '../ports/timers.port.ts';
import { noopMetrics } from '../ports/metrics.port.ts';
import type { Store } from '../ports/store.port.ts';
import type { UserDirectory } from '../ports/user-directory.port.ts';
import { openSafety } from './open-safety.ts';
import type { JobWiring } from './wire-jobs.ts';

/** The server's router: Slack's surface (jobs, watches) inside the redrive gates, failures audited, queues checked. */
export const serverDlqRouter = (deps: {
  queueDeps: QueueDeps;
  registry: QueueRegistry;
  access: AccessControl;
  directory: UserDirectory;
  jobs: Pick<JobWiring, 'monitors' | 'monitorPosterFor' | 'slackJobs' | 'replayWatches'>;
  gates: RedriveGateDeps;
}): DlqCommandRouter => {
  const { queueDeps, access, jobs } = deps;
  const operations = withRedriveGates(withSlackSurface(
    { ...createQueueOperations(queueDeps, { monitors: jobs.monitors, monitorPosterFor: jobs.monitorPosterFor, visibility: access }), ...createAuditOperations(queueDeps, { visibility: access, directory: deps.directory }) },
    { queue: queueDeps, jobs: jobs.slackJobs, watches: jobs.replayWatches },
  ), deps.gates);
  // A second click waits on real timers for the first one's outcome (the first may run on another replica):
  // tests' hand-driven timers would leave it unanswered; the wait is counted, so a standing clock ends it too.
  return createDlqPipeline({
    handlers: operations,
    presenter: slackCommandPresenter,
    authorize: access.authorize,
    knownQueues: { registry: deps.registry, visibility: access },
    audit: queueDeps,
    idempotency: { store: queueDeps.store, clock: queueDeps.clock, timers: realTimers },
  });
};

/** What the terminal prints while a command runs: monitor readings, an edited body, job progress, canaries. */
export type TerminalHooks = Pick<QueueOperationsOptions, 'monitorPost' | 'bodyEdit' | 'jobProgress' | 'onCanary'>;

/**
 * The terminal's router. The terminal is trusted as admin (`cli:<user>` actors pass every role check;
 * see app/access): whoever runs it holds the config and the credentials already. Its actions are
 * audited like Slack's.
 */
export const terminalDlqRouter = (deps: { config: Config; store: Store; registry: QueueRegistry; aws: AwsClientFactory; logger: Logger; hooks: TerminalHooks }): DlqCommandRouter => {
  const { config, store, registry, logger } = deps;
  const cliDeps = { registry, store, clock: systemClock, metrics: noopMetrics, auditLogger: logger.child({ component: 'audit' }), redactKeys: config.redactKeys, canaryConfig: canaryLookup(config.queues) };
  const access = createAccessControl({ roles: accessRolesFrom(config), userGroups: null, audit: cliDeps });
  const cliQueueDeps = { ...cliDeps, logger: logger.child({ component: 'queues' }) };
  const cliGates = openSafety(config, cliQueueDeps, deps.aws, access, null).gates;
  const cliOperations = withRedriveGates({ ...createQueueOperations(cliDeps, deps.hooks), ...createAuditOperations(cliDeps) }, cliGates);
  // The same pipeline as Slack's; no idempotency keys (no clicks), every configured queue is known.
  return createDlqPipeline({ handlers: cliOperations, presenter: slackCommandPresenter, authorize: access.authorize, knownQueues: { registry }, audit: cliDeps });
};
