// startServer: builds the server's container, registers its components in start order and starts them;
// the runtime's stop and crash take them down in reverse order. It reads no environment.

import { CONSOLE_PATH } from '../adapters/inbound/console/local-console.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import type { Config } from '../config/config.schema.ts';
import type { Secrets } from '../config/load-config.ts';
import { createComponents, type Components } from './components.ts';
import { buildServerContainer, type Runtime, type ServerContainer, type ServerOptions } from './container.ts';

/**
 * Start order: store and queues (already open), HTTP, Slack, the console's origin, then the background
 * work; stop and crash run it backwards, so the poller, monitors and demo feed stop first and the store
 * closes last. Pending Slack work is flushed after the jobs and watches stopped (their last posts
 * included); a crash flushes nothing and halts the incident timers before the jobs.
 */
const serverComponents = (c: ServerContainer, listening: (url: string) => void): Components => {
  const { store, registry, http, bolt, localConsole, demo, poller, incidents, slackJobs, monitors, replayWatches } = c;
  let url = '';
  const components = createComponents();
  components.add({ name: 'store', stop: () => store.close() });
  components.add({ name: 'queues', stop: () => registry.close() });
  components.add({
    name: 'http',
    start: async () => {
      url = (await http.listen(c.config.server.host, c.config.server.port)).url;
      listening(url);
    },
    stop: () => http.close(),
  });
  if (bolt) components.add({ name: 'slack', start: () => bolt.start(), stop: () => bolt.stop() });
  if (localConsole) components.add({ name: 'console', start: () => localConsole.setOrigin(url) });
  components.add({
    name: 'incidents',
    // Pending Slack work gets a few seconds; the store keeps the state for the next start.
    stop: async () => {
      await Promise.race([incidents.flush(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      incidents.stop();
    },
    crash: () => undefined,
  });
  components.add({ name: 'replay-watches', stop: () => replayWatches.stop() });
  // Jobs are handed over, not paused: a manual job stops after its batch and frees its lease, a move
  // task keeps running on the broker; both stay `running` for the poller's replica (or the next start).
  components.add({ name: 'jobs', stop: () => slackJobs.stop(), crash: () => slackJobs.crash() });
  // A killed process's incident timers stop with it, before its jobs are abandoned.
  components.add({ name: 'incident-timers', crash: () => incidents.stop() });
  components.add({ name: 'poller', start: () => poller.start(), stop: () => poller.stop(), crash: () => poller.stop({ keepLease: true }) });
  components.add({ name: 'monitors', stop: () => monitors.stopAll() });
  if (demo) components.add({ name: 'demo-feed', start: () => demo.feed.start(), stop: () => demo.feed.stop() });
  return components;
};

/** Builds and starts the server side of Redrive. Exported for end-to-end tests. */
export const startServer = async (config: Config, secrets: Secrets, logger: Logger, options: ServerOptions = {}): Promise<Runtime> => {
  const c = await buildServerContainer(config, secrets, logger, options);
  let url = '';
  const components = serverComponents(c, (listening) => (url = listening));
  // A busy port (another Redrive, another program): nothing else started; the queues and the store close.
  await components.start();
  logger.info({ url, slack: c.transport, queues: c.config.queues.map((q) => q.name) }, 'Redrive is serving');
  return {
    url,
    store: c.store,
    bolt: c.bolt,
    consoleUrl: c.localConsole ? `${url}${CONSOLE_PATH}` : null,
    incidents: c.incidents,
    poller: c.poller,
    slackJobs: c.slackJobs,
    jobRecovery: c.jobRecovery,
    monitors: c.monitors,
    approvals: c.approvals,
    replayWatches: c.replayWatches,
    stop: () => components.stop(),
    crash: () => components.crash(),
  };
};
