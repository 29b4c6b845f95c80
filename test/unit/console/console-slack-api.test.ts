// The local console's in-process Slack Web API, called through a real @slack/web-api WebClient (and
// the SlackChat adapter) with the console's fetch: what Redrive calls answers as Slack would, lands
// in the console workspace, and nothing reaches a network.

import { describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { CONSOLE_API_URL, CONSOLE_BOT_TOKEN, createConsoleSlackApi } from '../../../src/slack-api-emulator/in-process-api.ts';
import { CONSOLE_BOT, CONSOLE_USER, ConsoleWorkspace, type WorkspaceEvent } from '../../../src/slack-api-emulator/in-process-workspace.ts';
import { createSlackChat } from '../../../src/adapters/outbound/slack-chat/slack-chat.ts';

const quiet = { warn: () => {}, debug: () => {} };

const setup = (token = CONSOLE_BOT_TOKEN) => {
  const workspace = new ConsoleWorkspace();
  workspace.addChannel('C0ALERTS', 'dlq-alerts');
  const events: WorkspaceEvent[] = [];
  workspace.subscribe((event) => events.push(event));
  const api = createConsoleSlackApi({ workspace, logger: quiet, permalinkBase: () => 'http://127.0.0.1:3000' });
  const client = new webApi.WebClient(token, { slackApiUrl: CONSOLE_API_URL, fetch: api.fetch as never, retryConfig: { retries: 0 } });
  const chat = createSlackChat({ client, metrics: { slackApiError: () => {} } });
  return { workspace, events, api, client, chat };
};

describe('console Slack Web API', () => {
  it('keeps a reply sent with reply_broadcast as broadcast (shown in the channel too), as Slack does', async () => {
    const { workspace, chat } = setup();
    const parent = await chat.post('C0ALERTS', { text: 'L1 warning' });
    if (!parent.ok) throw new Error('post failed');
    const rise = await chat.reply('C0ALERTS', parent.value.ts, { text: 'L1 → L2' }, { broadcast: true });
    expect(rise.ok).toBe(true);
    const [, reply] = workspace.snapshot(CONSOLE_USER.id).messages;
    expect(reply).toMatchObject({ threadTs: parent.value.ts, text: 'L1 → L2', broadcast: true });
  });

  it('posts, replies in a thread, edits in place and links to a message, through the SlackChat adapter', async () => {
    const { workspace, chat, events } = setup();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*L1* <!channel>' } }];
    const parent = await chat.post('C0ALERTS', { text: 'L1 warning', blocks });
    expect(parent.ok).toBe(true);
    if (!parent.ok) return;
    const reply = await chat.reply('C0ALERTS', parent.value.ts, { text: 'Incident opened' });
    expect(reply.ok).toBe(true);
    expect((await chat.update('C0ALERTS', parent.value.ts, { text: 'L2 critical' })).ok).toBe(true);
    const link = await chat.permalink('C0ALERTS', parent.value.ts);
    expect(link).toEqual({ ok: true, value: `http://127.0.0.1:3000/console#thread=C0ALERTS:${parent.value.ts}` });
    const messages = workspace.snapshot(CONSOLE_USER.id).messages;
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ ts: parent.value.ts, text: 'L2 critical', blocks, edited: true, user: CONSOLE_BOT.userId, threadTs: null });
    expect(messages[1]).toMatchObject({ threadTs: parent.value.ts, text: 'Incident opened' });
    expect(messages[1]).not.toHaveProperty('broadcast');
    expect(events.filter((e) => e.type === 'message')).toHaveLength(3);
    expect(await chat.update('C0ALERTS', '1.000001', { text: 'x' })).toMatchObject({ ok: false, failure: { code: 'message_not_found', retriable: false } });
  });

  it('shows ephemeral messages only to their user', async () => {
    const { workspace, chat } = setup();
    expect((await chat.ephemeral('C0ALERTS', CONSOLE_USER.id, { text: 'only you' })).ok).toBe(true);
    expect((await chat.ephemeral('C0ALERTS', 'U0SOMEONE', { text: 'not you' })).ok).toBe(true);
    expect(workspace.snapshot(CONSOLE_USER.id).messages.map((m) => m.text)).toEqual(['only you']);
  });

  it('takes a files.uploadV2 upload (a PNG chart) into the thread, bytes kept for the page', async () => {
    const { workspace, chat } = setup();
    const parent = await chat.post('C0ALERTS', { text: 'parent' });
    if (!parent.ok) throw new Error('post failed');
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const uploaded = await chat.uploadFile({ channel: 'C0ALERTS', threadTs: parent.value.ts, filename: 'depth.png', title: 'Depth', altText: 'depth chart', bytes });
    expect(uploaded.ok).toBe(true);
    const message = workspace.snapshot(CONSOLE_USER.id).messages.find((m) => m.files.length > 0);
    expect(message).toMatchObject({ threadTs: parent.value.ts, files: [{ name: 'depth.png', title: 'Depth', mimetype: 'image/png', size: 7 }] });
    expect(workspace.fileRecord(message!.files[0]!.id)?.bytes).toEqual(Buffer.from(bytes));
  });

  it('opens, pushes and updates modals on a trigger_id used once, and publishes the App Home', async () => {
    const { workspace, api, client } = setup();
    const view = { type: 'modal', title: { type: 'plain_text', text: 'Resolve' }, blocks: [] };
    const trigger = api.mintTriggerId(CONSOLE_USER.id);
    const opened = (await client.views.open({ trigger_id: trigger, view: view as never })) as { view: { id: string; hash: string } };
    await expect(client.views.open({ trigger_id: trigger, view: view as never })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });
    await client.views.push({ trigger_id: api.mintTriggerId(CONSOLE_USER.id), view: { ...view, title: { type: 'plain_text', text: 'Second' } } as never });
    expect(workspace.modalStack(CONSOLE_USER.id).map((v) => (v.view.title as { text: string }).text)).toEqual(['Resolve', 'Second']);
    await client.views.update({ view_id: opened.view.id, view: { ...view, title: { type: 'plain_text', text: 'Updated' } } as never });
    expect((workspace.modalStack(CONSOLE_USER.id)[0]!.view.title as { text: string }).text).toBe('Updated');
    await expect(client.views.update({ view_id: opened.view.id, hash: 'stale', view: view as never })).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    await client.views.publish({ user_id: CONSOLE_USER.id, view: { type: 'home', blocks: [{ type: 'divider' }] } as never });
    expect(workspace.snapshot(CONSOLE_USER.id).home?.view.blocks).toEqual([{ type: 'divider' }]);
  });

  it('answers response_urls like Slack: ephemeral by default, in_channel, replace_original, 5 uses', async () => {
    const { workspace, api, chat } = setup();
    const parent = await chat.post('C0ALERTS', { text: 'parent' });
    if (!parent.ok) throw new Error('post failed');
    const url = api.mintResponseUrl({ user: CONSOLE_USER.id, channel: 'C0ALERTS', messageTs: parent.value.ts, threadTs: null });
    const send = (body: unknown) => api.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await send({ text: 'whisper' })).status).toBe(200);
    expect((await send({ response_type: 'in_channel', text: 'shout', thread_ts: parent.value.ts })).status).toBe(200);
    expect((await send({ replace_original: true, text: 'replaced' })).status).toBe(200);
    const texts = workspace.snapshot(CONSOLE_USER.id).messages.map((m) => [m.text, m.ephemeralFor, m.threadTs]);
    expect(texts).toEqual([['replaced', null, null], ['whisper', CONSOLE_USER.id, null], ['shout', null, parent.value.ts]]);
    // A refused post does not use the URL up (as Slack and the HTTP emulator count).
    expect((await send({ blocks: 'not blocks' })).status).toBe(400);
    expect((await send({ text: '4' })).status).toBe(200);
    expect((await send({ text: '5' })).status).toBe(200);
    expect((await send({ text: '6' })).status).toBe(404);
  });

  it('refuses a wrong token, names methods it does not emulate, and never reaches another host', async () => {
    const { api, client } = setup();
    await expect(new webApi.WebClient('xoxb-wrong', { slackApiUrl: CONSOLE_API_URL, fetch: api.fetch as never, retryConfig: { retries: 0 } }).auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client.apiCall('admin.users.list')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    await expect(api.fetch('https://slack.com/api/auth.test', { method: 'POST' })).rejects.toThrow(/does not reach https:\/\/slack\.com/);
    expect(await client.auth.test()).toMatchObject({ ok: true, user_id: CONSOLE_BOT.userId });
    expect(api.calls()['auth.test']).toBeGreaterThanOrEqual(2);
  });
});

describe('console Slack Web API: Block Kit limits', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('refuses what Slack refuses, with its error codes and [ERROR] lines, and shows nothing', async () => {
    const { workspace, client, chat, api } = setup();
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    await expect(client.chat.postMessage({ channel: 'C0ALERTS', text: 'x', blocks: tooMany as never })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] } },
    });
    const longSection = await chat.post('C0ALERTS', { text: 'x', blocks: [section('a'.repeat(3_001))] });
    expect(longSection).toMatchObject({ ok: false, failure: { code: 'invalid_blocks', retriable: false } });
    const longButton = [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x' }, value: 'v'.repeat(2_001) }] }];
    expect(await chat.post('C0ALERTS', { text: 'x', blocks: longButton })).toMatchObject({ ok: false, failure: { code: 'invalid_blocks' } });
    const heavy = Array.from({ length: 10 }, () => section('b'.repeat(2_000)));
    expect(await chat.post('C0ALERTS', { text: 'x', blocks: heavy })).toMatchObject({ ok: false, failure: { code: 'msg_blocks_too_long' } });
    const modal = { type: 'modal', title: { type: 'plain_text', text: 'A title longer than 24 characters' }, blocks: [] };
    await expect(client.views.open({ trigger_id: api.mintTriggerId(CONSOLE_USER.id), view: modal as never })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(workspace.snapshot(CONSOLE_USER.id).messages).toEqual([]);
    expect(workspace.modalStack(CONSOLE_USER.id)).toEqual([]);
    expect((await chat.post('C0ALERTS', { text: 'x', blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })) })).ok).toBe(true);
  });
});
