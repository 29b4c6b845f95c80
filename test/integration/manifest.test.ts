// manifest.yml against the code: every slash command, action_id, view callback_id and event the
// Bolt listeners register is declared (interactivity on for actions and views, event subscriptions
// for events), and the bot scopes are exactly those the Web API methods the code calls need.
// Listeners are found by registering them on a recording App, so a new listener is checked without
// touching this test; action ids come from the one list in presentation/slack/block-kit/interactive-actions.ts.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { registerSlackListeners, type SlackListenerDeps } from '../../src/adapters/inbound/slack/register-listeners.ts';
import { SLACK_ACTION_IDS, SLACK_VIEW_CALLBACK_IDS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { SLACK_METHOD_SCOPES, SLASH_COMMAND_SCOPE } from '../../src/adapters/outbound/slack-chat/slack-scopes.ts';

const ROOT = join(import.meta.dirname, '..', '..');

interface Manifest {
  features?: { slash_commands?: { command: string; url?: string }[]; app_home?: { home_tab_enabled?: boolean } };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled?: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;

type Matcher = string | RegExp | Record<string, unknown>;

/** A Bolt App that only records what is registered on it. */
const recordingApp = () => {
  const registered = { commands: [] as Matcher[], actions: [] as Matcher[], views: [] as Matcher[], events: [] as Matcher[], shortcuts: [] as Matcher[], options: [] as Matcher[] };
  const app = {
    command: (id: Matcher) => registered.commands.push(id),
    action: (id: Matcher) => registered.actions.push(id),
    view: (id: Matcher) => registered.views.push(id),
    event: (id: Matcher) => registered.events.push(id),
    shortcut: (id: Matcher) => registered.shortcuts.push(id),
    options: (id: Matcher) => registered.options.push(id),
    message: () => undefined,
    use: () => undefined,
    error: () => undefined,
  };
  return { app: app as unknown as App, registered };
};

const idOf = (m: Matcher, key: string): string | RegExp | undefined => (typeof m === 'string' || m instanceof RegExp ? m : (m[key] as string | RegExp | undefined));
const matches = (m: Matcher, key: string, id: string): boolean => {
  const pattern = idOf(m, key);
  return pattern instanceof RegExp ? pattern.test(id) : pattern === id;
};

const { app, registered } = recordingApp();
const unused = () => {
  throw new Error('not called while registering');
};
registerSlackListeners(app, {
  router: { handleText: unused, handleArgs: unused, handleCommand: unused },
  incidents: { acknowledge: unused },
  chat: null,
  logger: { child: () => ({}) } as never,
  readHome: unused,
} as unknown as SlackListenerDeps);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

// The local console and the Slack API emulator fake the Web API (they answer methods, they do not call them): not callers.
const EMULATORS = [join('src', 'adapters', 'inbound', 'console'), join('src', 'slack-api-emulator')];
const CALLERS = sourceFiles(join(ROOT, 'src')).filter((p) => !EMULATORS.some((dir) => relative(ROOT, p).startsWith(dir)));
const NAMESPACES = 'chat|files|views|usergroups|users|conversations|reactions|pins|bookmarks|reminders|team|auth|dnd|emoji|search|apps';
/** `client.chat.postMessage(`, `views.open(`, `call('files.uploadV2'`, `client.filesUploadV2(`. */
const CALL = new RegExp(`\\b(?:client\\.)?(${NAMESPACES})\\.([a-z][A-Za-z]*(?:\\.[a-z][A-Za-z]*)?)\\s*\\(|call\\('(${NAMESPACES})\\.([A-Za-z.]+)'`, 'g');
/** Methods of Redrive's own Chat port (chat.reply(...), chat.ephemeral(...)), not Slack's. */
const PORT_METHODS = new Set(['chat.post', 'chat.reply', 'chat.ephemeral', 'chat.permalink', 'chat.uploadFile']);
/** A local variable named like a namespace (`views.filter(...)` over an array) is not a Web API call. */
const JS_METHODS = new Set(['filter', 'map', 'find', 'some', 'every', 'flatMap', 'forEach', 'reduce', 'slice', 'push', 'includes', 'join', 'sort', 'get', 'set', 'has', 'at', 'concat', 'indexOf', 'keys', 'values', 'entries']);

const calledMethods = (): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  for (const path of CALLERS) {
    const text = readFileSync(path, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    for (const m of text.matchAll(CALL)) {
      const method = `${m[1] ?? m[3]}.${m[2] ?? m[4]}`;
      if (PORT_METHODS.has(method) || JS_METHODS.has((m[2] ?? m[4] ?? '').split('.')[0] ?? '')) continue;
      found.set(method, [...(found.get(method) ?? []), relative(ROOT, path)]);
    }
    if (/\bfilesUploadV2\s*\(/.test(text)) found.set('files.uploadV2', [...(found.get('files.uploadV2') ?? []), relative(ROOT, path)]);
  }
  return found;
};

describe('manifest.yml', () => {
  it('declares every slash command the code registers', () => {
    const declared = (manifest.features?.slash_commands ?? []).map((c) => c.command);
    expect(registered.commands.length).toBeGreaterThan(0);
    for (const command of registered.commands) expect(declared, String(command)).toContain(command);
  });

  it('turns interactivity on when the code registers buttons or modals, at the events URL', () => {
    expect(registered.actions.length + registered.views.length).toBeGreaterThan(0);
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
    expect(manifest.settings?.interactivity?.request_url).toMatch(/\/slack\/events$/);
  });

  it('has a listener for every action_id in the one list (a button nobody listens to shows the clicker an error)', () => {
    for (const id of SLACK_ACTION_IDS) expect(registered.actions.some((m) => matches(m, 'action_id', id)), `action_id ${id}`).toBe(true);
    // Views need a listener only when they can be submitted; the View modal has no submit button.
    expect(registered.views.length).toBeGreaterThan(0);
  });

  it('lists every action and view the listeners register in the one list (so it stays the one list)', () => {
    for (const m of registered.actions) {
      const id = idOf(m, 'action_id');
      if (typeof id === 'string') expect(SLACK_ACTION_IDS, `registered action ${id}`).toContain(id);
    }
    for (const m of registered.views) {
      const id = idOf(m, 'callback_id');
      if (typeof id === 'string') expect(SLACK_VIEW_CALLBACK_IDS, `registered view ${id}`).toContain(id);
    }
    for (const id of [...SLACK_ACTION_IDS, ...SLACK_VIEW_CALLBACK_IDS]) expect(id.length).toBeLessThanOrEqual(255);
  });

  it('subscribes to every event the code listens to (App Home on when app_home_opened is)', () => {
    const events = manifest.settings?.event_subscriptions?.bot_events ?? [];
    for (const event of registered.events) expect(events, String(event)).toContain(idOf(event, 'type'));
    if (registered.events.includes('app_home_opened')) expect(manifest.features?.app_home?.home_tab_enabled).toBe(true);
    // And subscribes to nothing it ignores.
    for (const event of events) expect(registered.events.map((e) => idOf(e, 'type')), event).toContain(event);
  });

  it('knows the scope of every Web API method the code calls', () => {
    const methods = calledMethods();
    expect([...methods.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'files.uploadV2', 'usergroups.users.list']));
    for (const [method, files] of methods) expect(Object.hasOwn(SLACK_METHOD_SCOPES, method), `${method} (called in ${files.join(', ')}): add it to SLACK_METHOD_SCOPES`).toBe(true);
  });

  it('asks for exactly the bot scopes the called methods and the slash command use', () => {
    const needed = new Set<string>();
    for (const method of calledMethods().keys()) {
      const scope = SLACK_METHOD_SCOPES[method];
      if (scope) needed.add(scope);
    }
    if (registered.commands.length > 0) needed.add(SLASH_COMMAND_SCOPE);
    expect([...(manifest.oauth_config?.scopes?.bot ?? [])].sort()).toEqual([...needed].sort());
  });
});
