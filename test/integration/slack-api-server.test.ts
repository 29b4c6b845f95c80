// The local Slack API server against the real @slack/web-api WebClient (the one Bolt uses):
// messages, auth, Block Kit refusals and injected rate limits/outages. Loopback only.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.ts';
import { slackError, testWebClient } from '../support/slack-web-client.ts';
import { TEST_BOT_TOKEN } from '../support/slack-workspace.ts';

const { ErrorCode } = webApi;

let slack: SlackApiServer;
const client = (options: Parameters<typeof testWebClient>[1] = {}, token = TEST_BOT_TOKEN) => testWebClient(slack, options, token);
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

beforeAll(async () => {
  slack = await startSlackApiServer();
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.reset());

describe('chat.postMessage', () => {
  it('answers ok with ts and records the call with parsed blocks', async () => {
    const blocks = [section('*orders-dlq* has 3 messages')];
    const plain = new webApi.WebClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const result = await plain.chat.postMessage({ channel: 'C_ALERTS', text: 'orders-dlq has 3 messages', blocks });
    expect(result).toMatchObject({ ok: true, channel: 'C_ALERTS', message: { text: 'orders-dlq has 3 messages', blocks } });
    expect(result.ts).toMatch(/^\d+\.\d{6}$/);
    const [call] = slack.callsTo('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', token: TEST_BOT_TOKEN, status: 200, args: { channel: 'C_ALERTS', blocks } });
    expect(call?.args).not.toHaveProperty('token');
    expect(call?.timestamp).toBeTypeOf('number');
    expect(slack.messagesIn('C_ALERTS').map((m) => m.ts)).toEqual([result.ts]);
  });

  it('takes reply_broadcast on a thread reply (a message in the channel too) and refuses a value that is not a boolean', async () => {
    const parent = await client().chat.postMessage({ channel: 'C_ALERTS', text: 'parent' });
    const reply = await client().chat.postMessage({ channel: 'C_ALERTS', thread_ts: parent.ts ?? '', text: 'L1 → L2', reply_broadcast: true });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts, subtype: 'thread_broadcast' });
    expect(slack.callsTo('chat.postMessage')[1]?.args.reply_broadcast).toBe('true');
    const quiet = await client().chat.postMessage({ channel: 'C_ALERTS', thread_ts: parent.ts ?? '', text: 'in the thread only', reply_broadcast: false });
    expect(quiet.message).not.toHaveProperty('subtype');
    expect(slack.messagesIn('C_ALERTS').map((m) => m.broadcast ?? false)).toEqual([false, true, false]);
    expect(await slackError(client().chat.postMessage({ channel: 'C_ALERTS', thread_ts: parent.ts ?? '', text: 't', reply_broadcast: 'yes' } as never))).toBe('invalid_arguments');
  });

  it('posts to a user id as a DM and to #name', async () => {
    await expect(client().chat.postMessage({ channel: 'U_BOB', text: 'hi' })).resolves.toMatchObject({ channel: 'D_BOB' });
    await expect(client().chat.postMessage({ channel: '#general', text: 'hi' })).resolves.toMatchObject({ channel: 'C_GENERAL' });
  });

  it('refuses 51 blocks with invalid_blocks and explains why', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const error = await client().chat.postMessage({ channel: 'C_ALERTS', text: 't', blocks }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.PlatformError,
      data: {
        ok: false,
        error: 'invalid_blocks',
        errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
        response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
      },
    });
  });

  it('refuses a 3001-character section', async () => {
    const error = await client().chat.postMessage({ channel: 'C_ALERTS', text: 't', blocks: [section('x'.repeat(3001))] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] } } });
  });

  it.each([
    ['an unknown channel', { channel: 'C_NOPE', text: 'hi' }, 'channel_not_found'],
    ['no text or blocks', { channel: 'C_ALERTS' }, 'no_text'],
    ['text over 40,000 characters', { channel: 'C_ALERTS', text: 'x'.repeat(40_001) }, 'msg_too_long'],
    ['blocks over the size budget', { channel: 'C_ALERTS', text: 't', blocks: Array.from({ length: 6 }, () => section('x'.repeat(2500))) }, 'msg_blocks_too_long'],
    ['a channel the bot is not in', { channel: 'C_SECRET', text: 'hi' }, 'not_in_channel'],
    ['an archived channel', { channel: 'C_OLD', text: 'hi' }, 'is_archived'],
  ])('answers %s with %s', async (_name, args, expected) => {
    slack.addChannel('C_SECRET', 'secret', { isMember: false, isPrivate: true });
    slack.addChannel('C_OLD', 'old', { isArchived: true });
    expect(await slackError(client().chat.postMessage(args as never))).toBe(expected);
  });

  it('refuses missing and unknown tokens, and unknown methods', async () => {
    expect(await slackError(client({}, '').chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }))).toBe('not_authed');
    expect(await slackError(client({}, 'xoxb-stolen').chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }))).toBe('invalid_auth');
    expect(await slackError(client().apiCall('chat.frobnicate'))).toBe('unknown_method');
    expect(slack.calls.map((c) => c.response)).toMatchObject([{ error: 'not_authed' }, { error: 'invalid_auth' }, { error: 'unknown_method' }]);
  });

  it('accepts a JSON body with a Bearer token, as Slack does', async () => {
    const response = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${TEST_BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C_L3', text: 'escalated', blocks: [section('L3')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C_L3' });
    expect(slack.callsTo('chat.postMessage')[0]?.args.blocks).toEqual([section('L3')]);
  });
});

describe('chat.update, chat.delete, chat.getPermalink, chat.postEphemeral', () => {
  it('updates an existing message and refuses an unknown ts with message_not_found', async () => {
    const posted = await client().chat.postMessage({ channel: 'C_ALERTS', text: 'open' });
    await expect(client().chat.update({ channel: 'C_ALERTS', ts: posted.ts!, text: 'resolved' })).resolves.toMatchObject({ ok: true, ts: posted.ts });
    expect(slack.messagesIn('C_ALERTS')[0]).toMatchObject({ text: 'resolved', edited: { user: 'U_REDRIVE' } });
    expect(await slackError(client().chat.update({ channel: 'C_ALERTS', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    expect(await slackError(client().chat.update({ channel: 'C_ALERTS', ts: posted.ts!, text: 'x', blocks: [section('')] }))).toBe('invalid_blocks');
  });

  it('gives permalinks and deletes', async () => {
    const posted = await client().chat.postMessage({ channel: 'C_ALERTS', text: 'open' });
    const link = await client().chat.getPermalink({ channel: 'C_ALERTS', message_ts: posted.ts! });
    expect(link.permalink).toBe(`https://redrive-test.slack.com/archives/C_ALERTS/p${posted.ts!.replace('.', '')}`);
    await expect(client().chat.delete({ channel: 'C_ALERTS', ts: posted.ts! })).resolves.toMatchObject({ ok: true });
    expect(slack.messagesIn('C_ALERTS')).toEqual([]);
    expect(await slackError(client().chat.delete({ channel: 'C_ALERTS', ts: posted.ts! }))).toBe('message_not_found');
  });

  it('posts ephemeral messages to known users only', async () => {
    await expect(client().chat.postEphemeral({ channel: 'C_ALERTS', user: 'U_ALICE', text: 'only you' })).resolves.toMatchObject({ ok: true });
    expect(slack.workspace.ephemerals).toMatchObject([{ channel: 'C_ALERTS', ephemeralFor: 'U_ALICE', text: 'only you' }]);
    expect(await slackError(client().chat.postEphemeral({ channel: 'C_ALERTS', user: 'U_GHOST', text: 'x' }))).toBe('user_not_in_channel');
  });
});

describe('injected failures', () => {
  it('answers 429 with Retry-After; the WebClient reports a rate limit with retryAfter', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(slack.callsTo('chat.postMessage')).toMatchObject([{ status: 429, response: { ok: false, error: 'ratelimited' } }]);
    await expect(client().chat.postMessage({ channel: 'C_ALERTS', text: 'hi' })).resolves.toMatchObject({ ok: true });
  });

  it('with default settings and retries 0 the client waits Retry-After, emits rate_limited, then fails', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    const webClient = client();
    const seen: number[] = [];
    webClient.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => seen.push(seconds));
    const error = await webClient.chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }).catch((e: unknown) => e);
    expect(seen).toEqual([0]);
    expect(error).toMatchObject({ code: ErrorCode.RequestError, message: expect.stringContaining('rate limit') });
  });

  it('sends the Retry-After header on the wire', async () => {
    slack.failNext('auth.test', { status: 429, retryAfter: 30 });
    const response = await fetch(`${slack.url}auth.test`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_BOT_TOKEN}` } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
  });

  it('answers 500 with an HTML outage page: the WebClient sees an HTTP error', async () => {
    slack.failNext('chat.postMessage', { status: 500 }, 2);
    const error = await client().chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500, body: expect.stringContaining('<html') });
    expect(await slackError(client().chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }))).not.toBe('resolved');
    await expect(client().chat.postMessage({ channel: 'C_ALERTS', text: 'hi' })).resolves.toMatchObject({ ok: true });
  });

  it('answers a chosen Slack error with HTTP 200', async () => {
    slack.failNext('views.open', { error: 'expired_trigger_id' });
    slack.failNext('chat.postMessage', { error: 'ratelimited' });
    expect(await slackError(client().views.open({ trigger_id: 't', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }))).toBe('expired_trigger_id');
    expect(await slackError(client().chat.postMessage({ channel: 'C_ALERTS', text: 'hi' }))).toBe('ratelimited');
  });
});

describe('waitForCalls', () => {
  it('resolves when the calls arrive and rejects after its timeout', async () => {
    const waiting = slack.waitForCalls('chat.postMessage', 2);
    await client().chat.postMessage({ channel: 'C_ALERTS', text: 'one' });
    await client().chat.postMessage({ channel: 'C_ALERTS', text: 'two' });
    expect((await waiting).map((c) => c.args.text)).toEqual(['one', 'two']);
    await expect(slack.waitForCalls('views.publish', 1, 20)).rejects.toThrow(/views.publish/);
  });
});
