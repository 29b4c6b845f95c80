// Builds the Bolt app for the configured transport: HTTP (events at /slack/events on our server) or
// Socket Mode (a websocket to Slack, no public URL). Listeners are registered by the caller.

import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import type { Clock } from '../../../ports/clock.port.ts';
import { boltLogger } from './bolt-logger.ts';
import { verifyingSlackListener } from './slack-request-verifier.ts';
import { ACK_DEADLINE_MS } from '../../../presentation/slack/block-kit/slack-limits.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface BoltAppOptions {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Web API base URL (tests point it at the local Slack API server). */
  apiUrl?: string;
  /** Web API retries; the default retries for about 30 minutes. */
  retries?: number;
  logger: Logger;
  /** The app's clock: a request dated more than 5 minutes from it, either way, is refused. */
  clock: Clock;
}

export interface BoltApp {
  app: App;
  /** Present in HTTP mode: mount it on our HTTP server. */
  http: { paths: string[]; listener: RequestListener } | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const createBoltApp = (options: BoltAppOptions): BoltApp => {
  const logger = boltLogger(options.logger.child({ component: 'bolt' }));
  let receiver: Receiver;
  let http: BoltApp['http'] = null;
  if (options.mode === 'http') {
    if (!options.signingSecret) throw new Error('HTTP mode needs a signing secret');
    const httpReceiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger,
      // verifyingSlackListener checks signature and timestamp (both directions) on our clock first.
      signatureVerification: false,
      // Slack expects an answer within 3 s; a listener that never acks gets a clear log line.
      unhandledRequestTimeoutMillis: ACK_DEADLINE_MS - 100,
    });
    receiver = httpReceiver;
    const listener = verifyingSlackListener({ signingSecret: options.signingSecret, clock: options.clock, logger: options.logger.child({ component: 'slack-verify' }), next: httpReceiver.requestListener });
    http = { paths: [SLACK_EVENTS_PATH], listener };
  } else {
    if (!options.appToken) throw new Error('Socket Mode needs an app-level token (xapp-...)');
    receiver = new SocketModeReceiver({ appToken: options.appToken, logger, ...(options.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } } } : {}) });
  }
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      ...(options.retries === undefined ? {} : { retryConfig: { retries: options.retries } }),
    },
  });
  return {
    app,
    http,
    // In HTTP mode our server carries the traffic; Socket Mode opens its websocket here.
    start: async () => {
      if (options.mode === 'socket') await (receiver as SocketModeReceiver).start();
    },
    stop: async () => {
      if (options.mode === 'socket') await (receiver as SocketModeReceiver).stop();
    },
  };
};
