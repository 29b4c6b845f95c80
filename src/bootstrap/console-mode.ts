// Console mode: without Slack credentials on a loopback host, the local console stands in for Slack.
// Builds what the console shows; it decides nothing about Slack itself.

import { DEMO_CHANNELS } from '../adapters/outbound/demo/demo-backends.ts';
import type { Config } from '../config/config.schema.ts';

/** The channels the console shows from the start: the configured ones, named where the demo names them. */
export const consoleChannels = (config: Config): { id: string; name: string }[] => {
  const named = new Map<string, string>([[DEMO_CHANNELS.alerts.id, DEMO_CHANNELS.alerts.name], [DEMO_CHANNELS.l3.id, DEMO_CHANNELS.l3.name]]);
  const ids = [config.slack.defaultAlertChannel, ...config.queues.map((q) => q.alertChannel), config.slack.l3Channel].filter((id): id is string => Boolean(id));
  return [...new Set(ids)].map((id) => ({ id, name: named.get(id) ?? id.toLowerCase() }));
};
