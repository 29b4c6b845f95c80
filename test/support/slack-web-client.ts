// A real @slack/web-api WebClient (Bolt's own) wired to the local Slack API server: no retries
// (the default retries for about 30 minutes) and a quiet logger, so tests read results, not logs.
// Test support only.
import { webApi } from '@slack/bolt';
import type { SlackApiServer } from './slack-api-server.ts';
import { TEST_BOT_TOKEN } from './slack-workspace.ts';

type WebClientOptions = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>;

/** Swallows the WebClient's log lines (it logs `[ERROR]` lines of refused Block Kit payloads). */
export const silentSlackLogger: webApi.Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

/** Options to hand Bolt as `clientOptions`, or a WebClient, when pointing at the local server. */
export const testClientOptions = (server: Pick<SlackApiServer, 'url'>, overrides: WebClientOptions = {}): WebClientOptions => ({
  slackApiUrl: server.url,
  retryConfig: { retries: 0 },
  logger: silentSlackLogger,
  ...overrides,
});

export const testWebClient = (
  server: Pick<SlackApiServer, 'url'>,
  overrides: WebClientOptions = {},
  token: string = TEST_BOT_TOKEN,
): webApi.WebClient => new webApi.WebClient(token, testClientOptions(server, overrides));

/** The Slack error code a WebClient call was rejected with (its `data.error`), or 'resolved'. */
export const slackError = async (call: Promise<unknown>): Promise<unknown> => {
  try {
    await call;
    return 'resolved';
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? error;
  }
};
