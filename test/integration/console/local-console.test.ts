// The local console over HTTP on loopback, with Bolt listeners registered the way Redrive registers
// its own: a /dlq command answered through respond(), a button click, a modal whose submission is
// refused with response_action errors and then accepted, the App Home, live events, and the
// console's refusals (non-loopback Host, non-JSON POSTs).

import { afterEach, describe, expect, it } from 'vitest';
import type { BlockButtonAction } from '@slack/bolt';
import { createLocalConsole, type LocalConsole } from '../../../src/adapters/inbound/console/local-console.ts';
import { CONSOLE_USER } from '../../../src/slack-api-emulator/in-process-workspace.ts';
import { createHttpServer, type HttpServer } from '../../../src/adapters/inbound/http/http-server.ts';
import { silentLogger } from '../../support/log-capture.ts';

const logger = silentLogger();

let http: HttpServer | null = null;
afterEach(async () => {
  await http?.close();
  http = null;
});

const start = async (demo = false): Promise<{ console: LocalConsole; url: string; post(path: string, body: unknown): Promise<Record<string, unknown>> }> => {
  let running = true;
  const local = createLocalConsole({
    logger,
    channels: [{ id: 'C0DLQALERTS', name: 'dlq-alerts' }],
    queues: [{ name: 'demo-downloads-dlq', kind: 'sqs', demo }],
    demo: demo ? { get running() { return running; }, start: () => void (running = true), pause: () => void (running = false) } : null,
    slackEnv: { botToken: 'SLACK_BOT_TOKEN', signingSecret: 'SLACK_SIGNING_SECRET', appToken: 'SLACK_APP_TOKEN' },
    ackTimeoutMs: 500,
  });
  const app = local.bolt.app;
  app.command('/dlq', async ({ command, ack, respond }) => {
    await ack();
    await respond({ response_type: command.text === 'status' ? 'in_channel' : 'ephemeral', text: `you asked: ${command.text} in ${command.channel_id}` });
  });
  app.action<BlockButtonAction>('open_modal', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: { type: 'modal', callback_id: 'reason_modal', title: { type: 'plain_text', text: 'Resolve' }, submit: { type: 'plain_text', text: 'Resolve' }, blocks: [{ type: 'input', block_id: 'reason', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'plain_text_input', action_id: 'reason' } }] },
    });
  });
  app.view('reason_modal', async ({ ack, view, client, body }) => {
    const reason = view.state.values.reason?.reason?.value ?? '';
    if (reason.length < 3) return void (await ack({ response_action: 'errors', errors: { reason: 'Say why, in a few words.' } }));
    await ack();
    await client.chat.postMessage({ channel: 'C0DLQALERTS', text: `resolved by <@${body.user.id}>: ${reason}` });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Queues*' } }] } });
  });
  http = createHttpServer({ routes: local.routes, logger });
  const address = await http.listen('127.0.0.1', 0);
  local.setOrigin(address.url);
  const post = async (path: string, body: unknown) =>
    (await (await fetch(`${address.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  return { console: local, url: address.url, post };
};

const waitFor = async <T>(read: () => T | undefined, what: string): Promise<T> => {
  for (let i = 0; i < 100; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('local console over HTTP', () => {
  it('serves the page, its assets and a snapshot that labels demo queues and names the Slack variables', async () => {
    const { url } = await start(true);
    const page = await fetch(`${url}/console`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Connect a real Slack workspace');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect((await fetch(`${url}/console/`, { redirect: 'manual' })).headers.get('location')).toBe('/console');
    for (const asset of ['console.js', 'block-kit.js', 'console.css']) expect((await fetch(`${url}/console/${asset}`)).status).toBe(200);
    expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toBe('/console');
    const state = (await (await fetch(`${url}/console/state`)).json()) as { console: Record<string, unknown>; channels: unknown[] };
    expect(state.console).toMatchObject({ queues: [{ name: 'demo-downloads-dlq', demo: true }], demo: { running: true }, slackEnv: { botToken: 'SLACK_BOT_TOKEN' } });
    expect(state.channels).toContainEqual({ id: 'C0DLQALERTS', name: 'dlq-alerts', isDm: false });
  });

  it('runs /dlq through the Bolt listener: ephemeral by default, in_channel when the listener says so', async () => {
    const { console: local, post } = await start();
    expect(await post('/console/command', { channel: 'C0DLQALERTS', text: '/dlq peek q' })).toMatchObject({ ok: true });
    expect(await post('/console/command', { channel: 'C0DLQALERTS', text: 'status' })).toMatchObject({ ok: true });
    const messages = await waitFor(() => {
      const all = local.workspace.snapshot(CONSOLE_USER.id).messages;
      return all.length === 2 ? all : undefined;
    }, 'two replies');
    expect(messages.map((m) => [m.text, m.ephemeralFor])).toEqual([['you asked: peek q in C0DLQALERTS', CONSOLE_USER.id], ['you asked: status in C0DLQALERTS', null]]);
  });

  it('a button opens a modal; a refused submission shows the errors and keeps it open; a good one closes it', async () => {
    const { console: local, post } = await start();
    const posted = await local.bolt.app.client.chat.postMessage({ channel: 'C0DLQALERTS', text: 'msg', blocks: [{ type: 'actions', block_id: 'a', elements: [{ type: 'button', action_id: 'open_modal', text: { type: 'plain_text', text: 'Resolve' } }] }] });
    expect(await post('/console/action', { channel: 'C0DLQALERTS', ts: posted.ts, action: { type: 'button', action_id: 'open_modal', block_id: 'a' } })).toMatchObject({ ok: true });
    const modal = await waitFor(() => local.workspace.modalStack(CONSOLE_USER.id)[0], 'the modal');
    const refused = await post('/console/view-submission', { viewId: modal.id, values: { reason: { reason: { type: 'plain_text_input', value: 'no' } } } });
    expect(refused).toMatchObject({ ok: true, response: { response_action: 'errors', errors: { reason: 'Say why, in a few words.' } } });
    expect(local.workspace.modalStack(CONSOLE_USER.id)).toHaveLength(1);
    expect(await post('/console/view-submission', { viewId: modal.id, values: { reason: { reason: { type: 'plain_text_input', value: 'URL expired' } } } })).toMatchObject({ ok: true });
    expect(local.workspace.modalStack(CONSOLE_USER.id)).toHaveLength(0);
    await waitFor(() => local.workspace.snapshot(CONSOLE_USER.id).messages.find((m) => m.text === `resolved by <@${CONSOLE_USER.id}>: URL expired`), 'the result');
  });

  it('answers a click nobody listens to like Slack would (no ack), and opens the App Home', async () => {
    const { console: local, post } = await start();
    const posted = await local.bolt.app.client.chat.postMessage({ channel: 'C0DLQALERTS', text: 'msg' });
    const started = Date.now();
    expect(await post('/console/action', { channel: 'C0DLQALERTS', ts: posted.ts, action: { type: 'button', action_id: 'nobody', block_id: 'b' } })).toMatchObject({ ok: false });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await post('/console/home', {})).toMatchObject({ ok: true });
    await waitFor(() => local.workspace.snapshot(CONSOLE_USER.id).home ?? undefined, 'the App Home');
  });

  it('streams a snapshot then each change over Server-Sent Events', async () => {
    const { console: local, url } = await start();
    const controller = new AbortController();
    const response = await fetch(`${url}/console/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    const read = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await read(/event: snapshot/);
    await local.bolt.app.client.chat.postMessage({ channel: 'C0DLQALERTS', text: 'live one' });
    await read(/event: message\ndata: .*live one/);
    controller.abort();
  });

  it('refuses requests for another Host (DNS rebinding) and POSTs that are not JSON (cross-site forms)', async () => {
    const { url } = await start();
    const { request } = await import('node:http');
    const status = await new Promise<number>((done) => {
      request(`${url}/console/state`, { headers: { host: 'evil.example:80' } }, (res) => done(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(403);
    const form = await fetch(`${url}/console/command`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=/dlq+replay' });
    expect(form.status).toBe(400);
  });
});
