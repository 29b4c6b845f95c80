// A Bolt Receiver for the local console: the page's clicks, commands and submissions arrive as
// Slack-shaped payloads and go to `app.processEvent`, so the same Bolt listeners run as for Slack.
// It waits for the listener's ack (Slack's 3 s) and hands its response back; nothing listens on a port.

import type { App, Receiver } from '@slack/bolt';
import { logFailure } from '../../../app/shared/log-failure.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export interface DispatchResult {
  /** The listener acknowledged within the time Slack gives it. */
  acked: boolean;
  /** What ack() was called with (a view submission's `response_action`, an error list...). */
  response: unknown;
  /** A listener error, as a message for the page (details are in the log). */
  error: string | null;
}

export const ACK_TIMEOUT_MS = 3_000;

export class ConsoleReceiver implements Receiver {
  #app: App | null = null;
  readonly #logger: Pick<Logger, 'info' | 'error' | 'warn'>;
  readonly #ackTimeoutMs: number;

  constructor(logger: Pick<Logger, 'info' | 'error' | 'warn'>, ackTimeoutMs: number = ACK_TIMEOUT_MS) {
    this.#logger = logger;
    this.#ackTimeoutMs = ackTimeoutMs;
  }

  init(app: App): void {
    this.#app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Runs one payload through Bolt; resolves at the ack, or after the ack timeout without one. */
  dispatch(body: Record<string, unknown>): Promise<DispatchResult> {
    const app = this.#app;
    if (!app) return Promise.resolve({ acked: false, response: null, error: 'The console is not started.' });
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: DispatchResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.#logger.warn({ type: body.type ?? body.command }, 'console: no listener acknowledged in time (Slack would show an error)');
        settle({ acked: false, response: null, error: 'No listener acknowledged in time (Slack allows 3 seconds).' });
      }, this.#ackTimeoutMs);
      app
        .processEvent({
          body,
          ack: async (response?: unknown) => settle({ acked: true, response: response ?? null, error: null }),
        })
        .catch((error: unknown) => {
          logFailure(this.#logger, error, { type: body.type ?? body.command }, 'console: listener failed');
          settle({ acked: false, response: null, error: 'The listener failed; the error is in Redrive\'s log.' });
        });
    });
  }
}
