// Slack's side of the server: the Bolt app (HTTP or Socket Mode), or the local console in its place, or
// nothing; and the Slack directory clients (user groups for roles, users for `/dlq audit @name`) read
// through its Web API client. Builds only: Bolt starts with the server's components.

import { createBoltApp, type BoltApp } from '../adapters/inbound/slack/bolt-app.ts';
import type { LocalConsole } from '../adapters/inbound/console/local-console.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { createSlackUserGroups } from '../adapters/outbound/slack-directory/slack-user-groups.ts';
import { createSlackUsers } from '../adapters/outbound/slack-directory/slack-users.ts';
import type { Config } from '../config/config.schema.ts';
import type { Secrets } from '../config/load-config.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Metrics } from '../ports/metrics.port.ts';
import type { UserDirectory } from '../ports/user-directory.port.ts';
import type { UserGroups } from '../ports/user-groups.port.ts';
import { openLocalConsole, type ConsoleMode } from './console-mode.ts';

export interface SlackTransport {
  /** Bolt, or the console's Bolt-shaped app; null without Slack and without the console. */
  bolt: BoltApp | null;
  localConsole: LocalConsole | null;
}

/** Builds Bolt when Slack is configured, else the local console in console mode, else nothing (with a warning). */
export const openSlackTransport = (deps: {
  config: Config;
  secrets: Secrets;
  transport: 'http' | 'socket' | 'none';
  consoleMode: ConsoleMode;
  logger: Logger;
  clock: Clock;
  slackRetries?: number | undefined;
}): SlackTransport => {
  const { config, secrets, transport, consoleMode, logger } = deps;
  if (transport !== 'none') {
    const bolt = createBoltApp({
      mode: transport,
      botToken: secrets.slackBotToken ?? '',
      signingSecret: secrets.slackSigningSecret,
      appToken: secrets.slackAppToken,
      apiUrl: config.slack.apiUrl,
      logger,
      clock: deps.clock,
      ...(deps.slackRetries === undefined ? {} : { retries: deps.slackRetries }),
    });
    return { bolt, localConsole: null };
  }
  const missing = `set ${config.slack.botTokenEnv} and ${config.slack.mode === 'socket' ? config.slack.appTokenEnv : config.slack.signingSecretEnv}`;
  if (consoleMode.on) {
    const { demo } = consoleMode;
    const localConsole = openLocalConsole(config, demo, logger);
    logger.warn({ component: 'slack', mode: config.slack.mode, demo: demo !== null }, `Slack is not configured (${missing}); the local console stands in for Slack${demo ? ' with demo queues' : ''}`);
    return { bolt: localConsole.bolt, localConsole };
  }
  logger.warn({ component: 'slack', mode: config.slack.mode }, `Slack is not configured (${missing}); running without Slack (the local console needs a loopback server.host)`);
  return { bolt: null, localConsole: null };
};

/** Without Slack, user groups grant nothing (roles fall back to user ids). */
const NO_USER_GROUPS: UserGroups = { groupsOf: () => Promise.resolve([]) };
/** Without Slack, `/dlq audit @name` cannot look a name up. */
const NO_DIRECTORY: UserDirectory = { findByName: () => Promise.resolve({ kind: 'unavailable', reason: 'Slack is not configured' }) };

/** Roles' user groups and `/dlq audit @name`'s user lookup, read through Bolt's Web API client when there is one. */
export const openSlackDirectory = (bolt: BoltApp | null, deps: { clock: Clock; metrics: Metrics; logger: Logger }): { userGroups: UserGroups; directory: UserDirectory } => {
  if (!bolt) return { userGroups: NO_USER_GROUPS, directory: NO_DIRECTORY };
  const options = { client: bolt.app.client, clock: deps.clock, metrics: deps.metrics, logger: deps.logger.child({ component: 'roles' }) };
  return { userGroups: createSlackUserGroups(options), directory: createSlackUsers(options) };
};
