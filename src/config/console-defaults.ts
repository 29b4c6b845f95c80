// Settings the local console adds to a parsed config when Slack is not configured: the person at the
// console is an admin (the console answers on loopback only), incidents have a channel to go to,
// and with the demo queues the poller runs every 2 s. Pure: a new Config, the input untouched.

import type { Config } from './config.schema.ts';

export interface ConsoleDefaults {
  /** The console user's id (admin in the console). */
  userId: string;
  alertChannel: string;
  l3Channel: string;
  l3UserGroup: string;
  /** Poller interval with the demo queues; null keeps the config's. */
  demoPollerIntervalSeconds: number | null;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/i;

/** The console has no login: it runs only on a server bound to a loopback address. */
export const isLoopbackHost = (host: string): boolean => LOOPBACK.test(host);

export const withConsoleDefaults = (config: Config, defaults: ConsoleDefaults): Config => ({
  ...config,
  roles: { ...config.roles, admins: config.roles.admins.includes(defaults.userId) ? config.roles.admins : [...config.roles.admins, defaults.userId] },
  slack: {
    ...config.slack,
    defaultAlertChannel: config.slack.defaultAlertChannel ?? defaults.alertChannel,
    l3Channel: config.slack.l3Channel ?? defaults.l3Channel,
    l3UserGroup: config.slack.l3UserGroup ?? defaults.l3UserGroup,
  },
  poller: defaults.demoPollerIntervalSeconds === null ? config.poller : { ...config.poller, intervalSeconds: defaults.demoPollerIntervalSeconds },
});
