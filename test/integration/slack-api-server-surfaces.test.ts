// The local Slack API server's other surfaces through the real WebClient: modals and App Home,
// response_urls, files.uploadV2, and the directory methods. Loopback only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.ts';
import { slackError, testWebClient } from '../support/slack-web-client.ts';

let slack: SlackApiServer;
const client = () => testWebClient(slack);
const modal = (blocks: unknown[] = [], extra: Record<string, unknown> = {}) =>
  ({ type: 'modal', title: { type: 'plain_text', text: 'Replay orders-dlq' }, blocks, ...extra }) as never;
const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  slack = await startSlackApiServer();
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.reset());

describe('views', () => {
  it('opens a modal and records the parsed view', async () => {
    const result = await client().views.open({ trigger_id: '1.2.abc', view: modal(dividers(100), { callback_id: 'replay', private_metadata: '{"q":"orders"}' }) });
    expect(result.view).toMatchObject({ type: 'modal', callback_id: 'replay', private_metadata: '{"q":"orders"}', root_view_id: result.view?.id });
    expect(slack.callsTo('views.open')[0]?.args.view).toMatchObject({ type: 'modal', callback_id: 'replay' });
  });

  it('refuses a modal with 101 blocks with invalid_arguments and the [ERROR] line', async () => {
    const error = await client().views.open({ trigger_id: '1.2.abc', view: modal(dividers(101)) }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] } },
    });
  });

  it('refuses a reused trigger_id and a missing one', async () => {
    await client().views.open({ trigger_id: '1.2.once', view: modal() });
    expect(await slackError(client().views.open({ trigger_id: '1.2.once', view: modal() }))).toBe('exchanged_trigger_id');
    expect(await slackError(client().views.open({ view: modal() } as never))).toBe('invalid_arguments');
  });

  it('updates by view_id with hash checks, and pushes', async () => {
    const opened = (await client().views.open({ trigger_id: '1.2.a', view: modal() })).view!;
    const updated = await client().views.update({ view_id: opened.id!, hash: opened.hash!, view: modal([{ type: 'divider' }]) });
    expect(updated.view).toMatchObject({ id: opened.id, blocks: [{ type: 'divider' }] });
    expect(updated.view?.hash).not.toBe(opened.hash);
    expect(await slackError(client().views.update({ view_id: opened.id!, hash: opened.hash!, view: modal() }))).toBe('hash_conflict');
    expect(await slackError(client().views.update({ view_id: 'V_GONE', view: modal() }))).toBe('not_found');
    expect(await slackError(client().views.update({ view_id: opened.id!, view: modal([], { title: { type: 'plain_text', text: 'x'.repeat(25) } }) }))).toBe('invalid_arguments');
    await expect(client().views.push({ trigger_id: '1.2.b', view: modal() })).resolves.toMatchObject({ ok: true });
  });

  it('publishes App Home per user, up to 100 blocks', async () => {
    await client().views.publish({ user_id: 'U_ALICE', view: { type: 'home', blocks: dividers(100) } });
    expect(slack.workspace.homeViewOf('U_ALICE')?.view.blocks).toHaveLength(100);
    expect(await slackError(client().views.publish({ user_id: 'U_ALICE', view: { type: 'home', blocks: dividers(101) } }))).toBe('invalid_arguments');
    expect(await slackError(client().views.publish({ user_id: 'U_GHOST', view: { type: 'home', blocks: [] } }))).toBe('user_not_found');
  });
});

describe('response_url', () => {
  it('records JSON posts and allows 5 uses', async () => {
    const url = slack.mintResponseUrl();
    for (let i = 1; i <= 5; i += 1) {
      const response = await postJson(url, { text: `update ${i}`, response_type: 'ephemeral' });
      expect(response.status).toBe(200);
    }
    const sixth = await postJson(url, { text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    const calls = slack.callsTo('response_url');
    expect(calls).toHaveLength(6);
    expect(calls[0]).toMatchObject({ url, status: 200, args: { text: 'update 1', response_type: 'ephemeral' } });
  });

  it('expires after 30 minutes on the server clock', async () => {
    let now = Date.now();
    const clocked = await startSlackApiServer({ now: () => now });
    try {
      const url = clocked.mintResponseUrl();
      now += 30 * 60 * 1000 + 1;
      const response = await postJson(url, { text: 'late' });
      expect([response.status, await response.json()]).toEqual([404, { ok: false, error: 'expired_url' }]);
    } finally {
      await clocked.close();
    }
  });

  it('refuses invalid blocks with 400, and replaces the original message', async () => {
    const posted = await client().chat.postMessage({ channel: 'C_ALERTS', text: 'Replay?' });
    const url = slack.mintResponseUrl({ channel: 'C_ALERTS', messageTs: posted.ts! });
    const bad = await postJson(url, { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_blocks' });
    expect((await postJson(url, { replace_original: true, text: 'Replayed 3 messages' })).status).toBe(200);
    expect(slack.messagesIn('C_ALERTS')).toMatchObject([{ ts: posted.ts, text: 'Replayed 3 messages' }]);
  });

  it('can fail on demand like any method', async () => {
    const url = slack.mintResponseUrl();
    slack.failNext('response_url', { status: 500 });
    expect((await postJson(url, { text: 'x' })).status).toBe(500);
  });
});

describe('files.uploadV2', () => {
  it('goes through getUploadURLExternal, the upload URL and completeUploadExternal', async () => {
    const result = await client().filesUploadV2({
      channel_id: 'C_ALERTS',
      thread_ts: '1700000000.000100',
      filename: 'orders-dlq-report.csv',
      title: 'DLQ report',
      content: 'id,error\n1,timeout\n',
      initial_comment: 'Daily report',
    });
    expect(result.ok).toBe(true);
    expect(slack.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    const [getUrl, upload, complete] = slack.calls;
    expect(getUrl?.args).toMatchObject({ filename: 'orders-dlq-report.csv', length: '19' });
    expect(upload).toMatchObject({ status: 200, args: { bytes: 19, content: 'id,error\n1,timeout\n' } });
    expect(upload?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/v1\/F/);
    expect(complete?.args).toMatchObject({ channel_id: 'C_ALERTS', initial_comment: 'Daily report', files: [{ title: 'DLQ report' }] });
    const [file] = [...slack.workspace.files.values()];
    expect(file).toMatchObject({ completed: true, channelId: 'C_ALERTS', threadTs: '1700000000.000100', title: 'DLQ report' });
  });

  it('refuses to complete a file that was never uploaded, or an unknown channel', async () => {
    const { file_id } = await client().files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    expect(await slackError(client().files.completeUploadExternal({ files: [{ id: file_id! }] }))).toBe('file_not_found');
    expect(await slackError(client().filesUploadV2({ channel_id: 'C_NOPE', filename: 'a.txt', content: 'abc' }))).toBe('channel_not_found');
  });
});

describe('directory methods', () => {
  it('answers auth.test, conversations.info, users.info and usergroups.users.list', async () => {
    slack.addChannel('C_PAYMENTS', 'payments-alerts', { isPrivate: true });
    slack.addUser('U_DAVE', { name: 'dave', realName: 'Dave Diaz', tz: 'America/New_York' });
    slack.addUserGroup('S_L3', 'l3-oncall', ['U_DAVE']);
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true, team_id: 'T_REDRIVE', user_id: 'U_REDRIVE', bot_id: 'B_REDRIVE' });
    await expect(client().conversations.info({ channel: 'C_PAYMENTS' })).resolves.toMatchObject({ channel: { name: 'payments-alerts', is_private: true, is_group: true } });
    await expect(client().users.info({ user: 'U_DAVE' })).resolves.toMatchObject({ user: { real_name: 'Dave Diaz', tz: 'America/New_York' } });
    await expect(client().usergroups.users.list({ usergroup: 'S_L3' })).resolves.toMatchObject({ users: ['U_DAVE'] });
    await expect(client().conversations.open({ users: 'U_DAVE' })).resolves.toMatchObject({ channel: { id: 'D_DAVE' } });
    expect(await slackError(client().conversations.info({ channel: 'C_NOPE' }))).toBe('channel_not_found');
    expect(await slackError(client().users.info({ user: 'U_NOPE' }))).toBe('user_not_found');
    expect(await slackError(client().usergroups.users.list({ usergroup: 'S_NOPE' }))).toBe('no_such_subteam');
  });

  it('answers users.list page by page (limit and cursor), with each member’s profile names', async () => {
    slack.addUser('U_ERIN', { name: 'erin', realName: 'Erin Evans', displayName: 'E.E.' });
    const first = await client().users.list({ limit: 2 });
    expect(first.members).toHaveLength(2);
    const cursor = first.response_metadata?.next_cursor ?? '';
    expect(cursor).not.toBe('');
    const rest: { id?: string; profile?: { display_name?: string } }[] = [];
    for (let next = cursor; next !== ''; ) {
      const page = await client().users.list({ limit: 2, cursor: next });
      rest.push(...(page.members ?? []));
      next = page.response_metadata?.next_cursor ?? '';
    }
    expect(rest.find((m) => m.id === 'U_ERIN')).toMatchObject({ name: 'erin', real_name: 'Erin Evans', profile: { display_name: 'E.E.', real_name: 'Erin Evans' } });
    expect(await slackError(client().users.list({ cursor: 'x' }))).toBe('invalid_cursor');
  });
});
