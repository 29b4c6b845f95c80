// Console mode: without Slack credentials on a loopback host, the local console stands in for Slack,
// with the demo queues when the config names none. Decides the mode and builds the console; it never
// builds the demo beside a real queue and starts nothing.

import { createLocalConsole, type LocalConsole } from '../adapters/inbound/console/local-console.ts';
import { CONSOLE_USER } from '../slack-api-emulator/in-process-workspace.ts';
import { createDemo, DEMO_CHANNELS, DEMO_L3_USER_GROUP, DEMO_POLLER_INTERVAL_SECONDS, type Demo } from '../adapters/outbound/demo/demo-backends.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.schema.ts';
import { isLoopbackHost, withConsoleDefaults } from '../config/console-defaults.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Timers } from '../ports/timers.port.ts';

export interface ConsoleMode {
  /** True when the local console stands in for Slack. */
  on: boolean;
  /** The demo queues and their feed (console mode with no configured queue), else null. */
  demo: Demo | null;
  /** The config with the console's defaults (user, channels, L3 group) filled in when the console is on. */
  config: Config;
}

/** Without Slack credentials the local console stands in for Slack (loopback only). */
export const consoleModeFor = (config: Config, transport: 'http' | 'socket' | 'none', deps: { clock: Clock; timers: Timers }): ConsoleMode => {
  const on = transport === 'none' && isLoopbackHost(config.server.host);
  const demo = on && config.queues.length === 0 ? createDemo(deps) : null;
  if (!on) return { on, demo, config };
  return {
    on,
    demo,
    config: withConsoleDefaults(config, {
      userId: CONSOLE_USER.id, alertChannel: DEMO_CHANNELS.alerts.id, l3Channel: DEMO_CHANNELS.l3.id, l3UserGroup: DEMO_L3_USER_GROUP.id,
      demoPollerIntervalSeconds: demo ? DEMO_POLLER_INTERVAL_SECONDS : null,
    }),
  };
};

/** The channels the console shows from the start: the configured ones, named where the demo names them. */
export const consoleChannels = (config: Config): { id: string; name: string }[] => {
  const named = new Map<string, string>([[DEMO_CHANNELS.alerts.id, DEMO_CHANNELS.alerts.name], [DEMO_CHANNELS.l3.id, DEMO_CHANNELS.l3.name]]);
  const ids = [config.slack.defaultAlertChannel, ...config.queues.map((q) => q.alertChannel), config.slack.l3Channel].filter((id): id is string => Boolean(id));
  return [...new Set(ids)].map((id) => ({ id, name: named.get(id) ?? id.toLowerCase() }));
};

/** The local console for the effective (defaulted) config, with the demo queues when there are some. */
export const openLocalConsole = (config: Config, demo: Demo | null, logger: Logger): LocalConsole =>
  createLocalConsole({
    logger,
    channels: consoleChannels(config),
    userGroups: config.slack.l3UserGroup ? [{ id: config.slack.l3UserGroup, handle: config.slack.l3UserGroup === DEMO_L3_USER_GROUP.id ? DEMO_L3_USER_GROUP.handle : config.slack.l3UserGroup }] : [],
    queues: [...config.queues.map((q) => ({ name: q.name, kind: q.kind, demo: false })), ...(demo?.backends ?? []).map((b) => ({ name: b.name, kind: b.kind, demo: true }))],
    demo: demo?.feed ?? null,
    slackEnv: { botToken: config.slack.botTokenEnv, signingSecret: config.slack.signingSecretEnv, appToken: config.slack.appTokenEnv },
    // The console's conversation lives beside the SQLite file, so a restart carries on in the same threads.
    persistPath: config.store.kind === 'sqlite' ? join(dirname(config.store.path), 'console-workspace.json') : null,
  });
