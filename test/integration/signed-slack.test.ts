// The signing helpers against Slack's published example and against a bare Bolt app (not
// Redrive) on loopback whose WebClient talks to the local Slack API server: proves the harness
// produces requests Bolt accepts, and that forged or stale ones are refused.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.ts';
import { buildAppHomeOpened, buildBlockActions, buildView, buildViewSubmission, buttonAction, plainTextValue, stateValues } from '../support/slack-payloads.ts';
import { sendBlockActions, sendEvent, sendSlashCommand, sendViewSubmission, signSlackRequest } from '../support/signed-slack.ts';
import { silentSlackLogger, testClientOptions } from '../support/slack-web-client.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';

describe('signSlackRequest', () => {
  it("reproduces the worked example in Slack's docs (verifying-requests-from-slack)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });

  it("passes Bolt's own verifier", () => {
    const body = '{"type":"event_callback"}';
    const now = 1_800_000_000_000;
    const signed = signSlackRequest(TEST_SIGNING_SECRET, body, now / 1000);
    const headers = { 'x-slack-signature': signed['X-Slack-Signature'], 'x-slack-request-timestamp': now / 1000 };
    expect(() => verifySlackRequest({ signingSecret: TEST_SIGNING_SECRET, body, headers, nowMilliseconds: now })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: 'other', body, headers, nowMilliseconds: now })).toThrow(/signature mismatch/);
  });
});

describe('send helpers against a bare Bolt app', () => {
  let slack: SlackApiServer;
  let app: App;
  let baseUrl: string;

  beforeAll(async () => {
    slack = await startSlackApiServer();
    app = new App({
      token: TEST_BOT_TOKEN,
      signingSecret: TEST_SIGNING_SECRET,
      clientOptions: testClientOptions(slack),
      logger: silentSlackLogger,
      logLevel: LogLevel.ERROR,
    });
    app.command('/dlq', async ({ command, ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `peek ${command.text} for <@${command.user_id}>` });
    });
    app.action('replay', async ({ ack, body, action, client }) => {
      await ack();
      const channel = body.type === 'block_actions' ? body.channel?.id : undefined;
      await client.chat.postMessage({ channel: channel ?? 'C_ALERTS', text: `replaying ${'value' in action ? action.value : ''}` });
    });
    app.view('replay_confirm', async ({ ack, view }) => {
      const reason = view.state.values.reason?.value?.value;
      await (reason ? ack() : ack({ response_action: 'errors', errors: { reason: 'Say why you replay.' } }));
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Open incidents: 0' } }] } });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.stop();
    await slack.close();
  });
  beforeEach(() => slack.reset());

  it('delivers a slash command whose respond() reaches the minted response_url', async () => {
    const response_url = slack.mintResponseUrl({ channel: 'C_ALERTS' });
    const res = await sendSlashCommand(baseUrl, TEST_SIGNING_SECRET, { text: 'orders-dlq', user_id: 'U_BOB', response_url });
    expect(res.status).toBe(200);
    const [call] = await slack.waitForCalls('response_url');
    expect(call).toMatchObject({ url: response_url, status: 200, args: { response_type: 'ephemeral', text: 'peek orders-dlq for <@U_BOB>' } });
  });

  it('delivers block_actions; the listener posts through the local Web API', async () => {
    const payload = buildBlockActions({ actions: [buttonAction({ action_id: 'replay', value: 'inc-42' })], channel_id: 'C_L3' });
    expect((await sendBlockActions(baseUrl, TEST_SIGNING_SECRET, payload)).status).toBe(200);
    const [post] = await slack.waitForCalls('chat.postMessage');
    expect(post).toMatchObject({ status: 200, args: { channel: 'C_L3', text: 'replaying inc-42' }, response: { ok: true } });
  });

  it('returns the ack body of a view_submission (response_action errors)', async () => {
    const empty = buildViewSubmission({ callback_id: 'replay_confirm', values: stateValues(['reason', 'value', plainTextValue(null)]) });
    const refused = await sendViewSubmission(baseUrl, TEST_SIGNING_SECRET, empty);
    expect(refused.json).toEqual({ response_action: 'errors', errors: { reason: 'Say why you replay.' } });
    const filled = buildViewSubmission({ callback_id: 'replay_confirm', values: stateValues(['reason', 'value', plainTextValue('poison message fixed')]) });
    expect(await sendViewSubmission(baseUrl, TEST_SIGNING_SECRET, filled)).toMatchObject({ status: 200, text: '' });
  });

  it('wraps a bare event in an event_callback envelope', async () => {
    const res = await sendEvent(baseUrl, TEST_SIGNING_SECRET, buildAppHomeOpened({ user: 'U_CAROL', view: buildView({ type: 'home' }) }));
    expect(res.status).toBe(200);
    const [publish] = await slack.waitForCalls('views.publish');
    expect(publish).toMatchObject({ args: { user_id: 'U_CAROL', view: { type: 'home' } }, response: { ok: true } });
  });

  it.each([
    ['a forged signature', { forgeSignature: true }],
    ['a stale timestamp', { stale: true }],
    ['no signature at all', { omitSignature: true }],
    ['a malformed signature', { signature: 'v1=deadbeef' }],
  ])('is refused by Bolt with %s', async (_name, options) => {
    const res = await sendSlashCommand(baseUrl, TEST_SIGNING_SECRET, { text: 'orders-dlq', response_url: slack.mintResponseUrl() }, options);
    expect(res.status).toBe(401);
    expect(slack.callsTo('response_url')).toEqual([]);
  });
});
