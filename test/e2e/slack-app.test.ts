// The real app over HTTP and over Socket Mode: signed Slack requests in, Web API and response_url
// calls out to the local Slack API server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootLogger } from '../../src/adapters/outbound/logging/pino-logger.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { startSocketModeServer, type SocketModeServer } from '../support/socket-mode-server.ts';

const quietLogger = () =>
  createRootLogger({
    level: 'warn',
    destination: new Writable({
      write(_chunk, _enc, done) {
        done();
      },
    }),
  });

const startApp = async (slack: SlackApiServer, overrides: Record<string, unknown>, env: Record<string, string>): Promise<Runtime> => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-e2e-'));
  const parsed = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
    slack: { apiUrl: slack.url, ...overrides },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return startServer(parsed.config, resolveSecrets(parsed.config, env), quietLogger(), { slackRetries: 0 });
};

describe('Slack app in HTTP mode', () => {
  let slack: SlackApiServer;
  let app: Runtime;

  beforeAll(async () => {
    slack = await startSlackApiServer();
    app = await startApp(slack, { mode: 'http' }, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });

  it('answers a signed `/dlq help` through response_url with the command list', async () => {
    slack.clear();
    const responseUrl = slack.mintResponseUrl();
    const result = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: 'help', response_url: responseUrl });
    expect(result.status).toBe(200);
    const [reply] = await slack.waitForCalls('response_url', 1);
    expect(reply?.status).toBe(200);
    expect(reply?.args).toMatchObject({ response_type: 'ephemeral' });
    const blocks = reply?.args.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]).toMatchObject({ type: 'header' });
    const body = blocks.map((b) => b.text?.text ?? '').join('\n');
    for (const op of ['status', 'peek', 'view', 'analyze', 'replay', 'resolve', 'redrive-all', 'redrive-batch', 'monitor', 'report', 'alarms', 'audit']) {
      expect(body).toContain(`/dlq ${op}`);
    }
  });

  it('answers unknown input with usage help', async () => {
    slack.clear();
    const responseUrl = slack.mintResponseUrl();
    await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: 'peek', response_url: responseUrl });
    const [reply] = await slack.waitForCalls('response_url', 1);
    expect(JSON.stringify(reply?.args.blocks)).toMatch(/Missing &lt;queue&gt;.*Usage: \/dlq peek &lt;queue&gt;/);
  });

  it.each([
    ['a forged signature', { forgeSignature: true }],
    ['a stale timestamp (older than 5 minutes)', { stale: true }],
    ['no signature at all', { omitSignature: true }],
  ])('rejects %s and does nothing', async (_name, options) => {
    slack.clear();
    const responseUrl = slack.mintResponseUrl();
    const result = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: 'help', response_url: responseUrl }, options);
    expect(result.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.calls).toEqual([]);
  });

  it('signed with another secret is rejected', async () => {
    slack.clear();
    const result = await sendSlashCommand(app.url, 'not-the-secret', { text: 'help', response_url: slack.mintResponseUrl() });
    expect(result.status).toBe(401);
    expect(slack.calls).toEqual([]);
  });

  it('keeps serving health next to Slack', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${app.url}/readyz`)).json()).toMatchObject({ slack: 'http' });
  });
});

describe('Slack app in Socket Mode', () => {
  const appToken = 'xapp-1-redrive-test';
  let slack: SlackApiServer;
  let socket: SocketModeServer;
  let app: Runtime;

  beforeAll(async () => {
    socket = await startSocketModeServer();
    slack = await startSlackApiServer({ socketMode: { appToken, url: socket.url } });
    app = await startApp(slack, { mode: 'socket' }, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_APP_TOKEN: appToken });
    await socket.connected();
  });
  afterAll(async () => {
    await app?.stop();
    await socket?.close();
    await slack?.close();
  });

  it('opens the connection with the app token and answers `/dlq help` over the websocket', async () => {
    expect(slack.callsTo('apps.connections.open')[0]?.token).toBe(appToken);
    slack.clear();
    const responseUrl = slack.mintResponseUrl();
    const ack = await socket.sendEnvelope('slash_commands', {
      command: '/dlq',
      text: 'help',
      user_id: 'U_ALICE',
      user_name: 'alice',
      channel_id: 'C_ALERTS',
      channel_name: 'alerts',
      team_id: 'T_REDRIVE',
      team_domain: 'redrive-test',
      response_url: responseUrl,
      trigger_id: '1.2.3',
      api_app_id: 'A_REDRIVE',
    });
    expect(typeof ack.envelope_id).toBe('string');
    const [reply] = await slack.waitForCalls('response_url', 1);
    expect(JSON.stringify(reply?.args.blocks)).toContain('/dlq peek');
  });

  it('needs no HTTP events endpoint: /slack/events is not served', async () => {
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST' })).status).toBe(404);
    expect(await (await fetch(`${app.url}/readyz`)).json()).toMatchObject({ slack: 'socket' });
  });
});
