// startServer: builds the server's container and starts it (HTTP first, then Slack, the console's
// origin, the demo feed and the poller); stop and crash take it down. It reads no environment.

import { CONSOLE_PATH } from '../adapters/inbound/console/local-console.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import type { Config } from '../config/config.schema.ts';
import type { Secrets } from '../config/load-config.ts';
import { buildServerContainer, type Runtime, type ServerOptions } from './container.ts';

/** Builds and starts the server side of Redrive. Exported for end-to-end tests. */
export const startServer = async (config: Config, secrets: Secrets, logger: Logger, options: ServerOptions = {}): Promise<Runtime> => {
  const c = await buildServerContainer(config, secrets, logger, options);
  const { store, registry, http, bolt, localConsole, demo, poller, incidents, slackJobs, monitors } = c;
  const watches = c.replayWatches;
  let address;
  try {
    address = await http.listen(c.config.server.host, c.config.server.port);
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
  logger.info({ url: address.url, slack: c.transport, queues: c.config.queues.map((q) => q.name) }, 'Redrive is serving');
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
    jobRecovery: c.jobRecovery,
    monitors,
    approvals: c.approvals,
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
