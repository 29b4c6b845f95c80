// SlackChat through the real WebClient against the local Slack API server (loopback only).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat, toChatFailure } from '../../../src/adapters/outbound/slack-chat/slack-chat.ts';
import type { Chat } from '../../../src/ports/chat.port.ts';
import { startSlackApiServer, type SlackApiServer } from '../../support/slack-api-server.ts';
import { testWebClient } from '../../support/slack-web-client.ts';

let slack: SlackApiServer;
let chat: Chat;
const errors: [string, string][] = [];

beforeAll(async () => {
  slack = await startSlackApiServer();
  chat = createSlackChat({
    client: testWebClient(slack, { rejectRateLimitedCalls: true }),
    metrics: { slackApiError: (method, error) => void errors.push([method, error]) },
  });
});
afterAll(async () => slack.close());
beforeEach(() => {
  slack.reset();
  errors.length = 0;
});

describe('SlackChat', () => {
  it('posts, edits in place, replies in the thread and links to the thread', async () => {
    const parent = await chat.post('C_ALERTS', { text: 'DLQ orders-dlq: L1', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*L1*' } }] });
    if (!parent.ok) throw new Error(parent.failure.message);
    expect(parent.value.channel).toBe('C_ALERTS');
    const edited = await chat.update('C_ALERTS', parent.value.ts, { text: 'DLQ orders-dlq: L2' });
    expect(edited).toEqual({ ok: true, value: { channel: 'C_ALERTS', ts: parent.value.ts } });
    const reply = await chat.reply('C_ALERTS', parent.value.ts, { text: 'L1 → L2: depth 250 > 200' });
    expect(reply.ok).toBe(true);
    const link = await chat.permalink('C_ALERTS', parent.value.ts);
    expect(link).toEqual({ ok: true, value: expect.stringMatching(/^https:\/\/redrive-test\.slack\.com\/archives\/C_ALERTS\/p\d+/) });
    expect(slack.messagesIn('C_ALERTS').map((m) => [m.text, m.threadTs ?? null])).toEqual([
      ['DLQ orders-dlq: L2', null],
      ['L1 → L2: depth 250 > 200', parent.value.ts],
    ]);
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage', 'chat.getPermalink']);
  });

  it('whispers to one person and uploads a file into a thread', async () => {
    expect(await chat.ephemeral('C_ALERTS', 'U_ALICE', { text: 'Already acknowledged by Bob.' })).toEqual({ ok: true, value: undefined });
    const upload = await chat.uploadFile({ channel: 'C_ALERTS', threadTs: '1700000000.000100', filename: 'depth.png', title: 'Depth', bytes: new Uint8Array([137, 80, 78, 71]) });
    expect(upload.ok).toBe(true);
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postEphemeral', 'files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    expect([...slack.workspace.files.values()][0]).toMatchObject({ filename: 'depth.png', threadTs: '1700000000.000100', completed: true, title: 'Depth' });
  });

  it('returns refusals as non-retriable failures and counts them', async () => {
    const result = await chat.post('C_NOWHERE', { text: 'hi' });
    expect(result).toEqual({ ok: false, failure: { code: 'channel_not_found', message: 'Slack refused the call: channel_not_found', retriable: false } });
    expect(errors).toEqual([['chat.postMessage', 'channel_not_found']]);
  });

  it('marks rate limits and outages retriable', async () => {
    slack.failNext('chat.update', { status: 429, retryAfter: 7 });
    const limited = await chat.update('C_ALERTS', '1.000001', { text: 'x' });
    expect(limited).toMatchObject({ ok: false, failure: { code: 'ratelimited', retriable: true, retryAfterMs: 7_000 } });
    slack.failNext('chat.postMessage', { status: 503 });
    const outage = await chat.post('C_ALERTS', { text: 'x' });
    expect(outage).toMatchObject({ ok: false, failure: { code: 'http_503', retriable: true } });
    expect(errors.map(([method]) => method)).toEqual(['chat.update', 'chat.postMessage']);
  });

  it('translates errors it does not know as non-retriable', () => {
    expect(toChatFailure(new Error('boom'))).toEqual({ code: 'unknown_error', message: 'boom', retriable: false });
    expect(toChatFailure({ code: 'slack_webapi_request_error', message: 'ECONNREFUSED' })).toMatchObject({ code: 'network', retriable: true });
  });
});
