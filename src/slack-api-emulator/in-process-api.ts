// The Slack API emulator in process, for the local console: a `fetch` for Bolt's WebClient and
// respond() that answers the Web API methods Redrive calls (chat.*, files upload v2, views.*,
// usergroups/users/conversations info, auth.test) and response_urls, from the in-memory
// ConsoleWorkspace. Nothing leaves the process: any URL outside the console's base is refused, so
// the console never reaches the network. Slack's own shapes, error codes and Block Kit referee
// (block-kit-validator.ts, shared with the HTTP emulator) are kept, so code that works here works
// against Slack.

import { blocksProblem, fail as failWith, messageJson, str } from './method-handler.ts';
import { authTestAnswer, CONSOLE_API_ORIGIN, CONSOLE_PROFILE } from './profile.ts';
import { ResponseUrls } from './response-urls.ts';
import { parseJsonFields as parseFields } from './request-body.ts';
import { viewJson, viewProblem } from './view-methods.ts';
import type { Json } from './in-process-workspace.ts';
import { CONSOLE_BOT, CONSOLE_USER, type ConsoleMessage, type ConsoleView, type ConsoleWorkspace } from './in-process-workspace.ts';

export { CONSOLE_API_ORIGIN };
export const CONSOLE_API_URL = `${CONSOLE_API_ORIGIN}/api/`;
export const CONSOLE_BOT_TOKEN = CONSOLE_PROFILE.bot.token;

/** What the console logs through (structurally any pino-like logger); the emulator imports no logger. */
export interface ConsoleApiLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

type Handler = (args: Json) => Json;

const fail = (error: string, extra: Json = {}): Json => failWith(error, extra);

/** A `blocks` argument that is an array, else null (the page's "no blocks"). */
const blocksOf = (value: unknown): Json[] | null => (Array.isArray(value) ? (value as Json[]) : null);

const jsonResponse = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

export interface ConsoleSlackApi {
  /** Pass as Bolt's `clientOptions.fetch`: serves the WebClient and respond(). */
  fetch: (url: string | URL, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => Promise<Response>;
  /** A response_url for an interaction (5 uses within 30 minutes, as Slack's). */
  mintResponseUrl(context: { user: string; channel: string | null; messageTs: string | null; threadTs: string | null }): string;
  /** A trigger_id for an interaction by `user` (views.open/push need one). */
  mintTriggerId(user: string): string;
  /** Every method called so far with its count (for the page's footer and tests). */
  calls(): Record<string, number>;
}

export const createConsoleSlackApi = (deps: { workspace: ConsoleWorkspace; logger: ConsoleApiLogger; now?: () => number; permalinkBase?: () => string }): ConsoleSlackApi => {
  const ws = deps.workspace;
  const now = deps.now ?? Date.now;
  const responseUrls = new ResponseUrls(now, CONSOLE_PROFILE);
  const triggers = new Map<string, { user: string; used: boolean }>();
  const counts: Record<string, number> = {};
  let sequence = 0;

  const post = (args: Json, user: string, ephemeralFor: string | null): Json => {
    const channel = ws.resolveChannel(args.channel);
    if (!channel) return fail('channel_not_found');
    const text = typeof args.text === 'string' ? args.text : '';
    const blocks = blocksOf(args.blocks);
    if (text === '' && !blocks) return fail('no_text');
    const problem = blocksProblem(args.blocks);
    if (problem) return problem;
    const threadTs = str(args.thread_ts) ?? null;
    // reply_broadcast (a boolean; "true" from a form): a thread reply also shown in the channel, as in Slack.
    const broadcast = threadTs !== null && (args.reply_broadcast === true || args.reply_broadcast === 'true');
    const message: ConsoleMessage = { channel: channel.id, ts: ws.nextTs(), threadTs, user, text, blocks, files: [], edited: false, ephemeralFor, ...(broadcast ? { broadcast } : {}) };
    ws.putMessage(message);
    return {
      ok: true, channel: channel.id, ts: message.ts,
      message: messageJson({ channel: channel.id, ts: message.ts, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { threadTs } : {}), ...(broadcast ? { broadcast } : {}) }, CONSOLE_PROFILE),
    };
  };

  const userFromTrigger = (args: Json): string | Json => {
    const trigger = str(args.trigger_id) ?? str(args.interactivity_pointer);
    if (!trigger) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
    const known = triggers.get(trigger);
    if (!known) return fail('invalid_trigger_id');
    if (known.used) return fail('exchanged_trigger_id');
    known.used = true;
    return known.user;
  };

  /** The last steps every views.* method shares: `args.view` present and within Block Kit's limits, then shown. */
  const showView = (args: Json, kind: 'modal' | 'home', show: (view: Json) => ConsoleView): Json => {
    const view = args.view as Json | undefined;
    if (!view || typeof view !== 'object') return fail('invalid_arguments');
    const problem = viewProblem(view, kind);
    if (problem) return problem;
    return { ok: true, view: viewJson(show(view), CONSOLE_PROFILE) };
  };

  /** views.open and views.push: a fresh trigger_id, then a modal on top (`pushed`) or a new stack. */
  const openView = (args: Json, pushed: boolean): Json => {
    const user = userFromTrigger(args);
    if (typeof user !== 'string') return user;
    return showView(args, 'modal', (view) => ws.openModal(user, view, pushed));
  };

  const methods: Record<string, Handler> = {
    'auth.test': () => authTestAnswer(CONSOLE_PROFILE),
    'chat.postMessage': (args) => post(args, CONSOLE_BOT.userId, null),
    'chat.postEphemeral': (args) => {
      const user = str(args.user);
      if (!user) return fail('user_not_in_channel');
      const result = post(args, CONSOLE_BOT.userId, user);
      return result.ok ? { ok: true, message_ts: result.ts } : result;
    },
    'chat.update': (args) => {
      const channel = ws.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      const existing = ws.message(channel.id, args.ts);
      if (!existing) return fail('message_not_found');
      const problem = blocksProblem(args.blocks);
      if (problem) return problem;
      const updated = ws.putMessage({
        ...existing,
        text: typeof args.text === 'string' ? args.text : existing.text,
        blocks: blocksOf(args.blocks) ?? existing.blocks,
        edited: true,
      });
      return { ok: true, channel: channel.id, ts: updated.ts, text: updated.text };
    },
    'chat.delete': (args) => {
      const channel = ws.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      return ws.deleteMessage(channel.id, String(args.ts ?? '')) ? { ok: true, channel: channel.id, ts: args.ts } : fail('message_not_found');
    },
    'chat.getPermalink': (args) => {
      const channel = ws.resolveChannel(args.channel);
      if (!channel) return fail('channel_not_found');
      const message = ws.message(channel.id, args.message_ts);
      if (!message) return fail('message_not_found');
      const permalink = CONSOLE_PROFILE.permalink({ channel: channel.id, ts: message.ts, threadTs: message.threadTs, base: deps.permalinkBase?.() ?? '' });
      return { ok: true, channel: channel.id, permalink };
    },
    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      if (!filename) return fail('invalid_arguments');
      const id = ws.nextId('F');
      ws.addFile({ id, name: filename, title: null, altText: str(args.alt_text) ?? null, mimetype: filename.endsWith('.png') ? 'image/png' : 'application/octet-stream', size: Number(args.length ?? 0) });
      return { ok: true, upload_url: `${CONSOLE_API_ORIGIN}/upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (args) => {
      const files = Array.isArray(args.files) ? (args.files as { id?: string; title?: string }[]) : [];
      const attached = [];
      for (const entry of files) {
        const record = entry.id ? ws.fileRecord(entry.id) : undefined;
        if (!record?.bytes) return fail('file_not_found');
        attached.push({ ...record.file, title: entry.title ?? record.file.title });
      }
      const channel = ws.resolveChannel(args.channel_id);
      if (channel) {
        ws.putMessage({ channel: channel.id, ts: ws.nextTs(), threadTs: str(args.thread_ts) ?? null, user: CONSOLE_BOT.userId, text: typeof args.initial_comment === 'string' ? args.initial_comment : '', blocks: null, files: attached, edited: false, ephemeralFor: null });
      }
      return { ok: true, files: attached.map((f) => ({ id: f.id, title: f.title ?? f.name, name: f.name })) };
    },
    'views.open': (args) => openView(args, false),
    'views.push': (args) => openView(args, true),
    'views.update': (args) => {
      const existing = ws.view(args.view_id) ?? ws.viewByExternalId(args.external_id);
      if (!existing) return fail('not_found');
      if (str(args.hash) && args.hash !== existing.hash) return fail('hash_conflict');
      return showView(args, existing.type, (view) => ws.updateView(existing, view));
    },
    'views.publish': (args) => {
      const user = str(args.user_id);
      if (!user) return fail('invalid_arguments');
      return showView(args, 'home', (view) => ws.publishHome(user, view));
    },
    'usergroups.users.list': () => ({ ok: true, users: [CONSOLE_USER.id] }),
    // The console has one person and the bot: `/dlq audit @<console user>` finds them.
    'users.list': () => ({
      ok: true,
      members: [CONSOLE_USER, { id: CONSOLE_BOT.userId, name: CONSOLE_BOT.name }].map((u) => ({ id: u.id, name: u.name, real_name: u.name, profile: { display_name: u.name, real_name: u.name } })),
      response_metadata: { next_cursor: '' },
    }),
    'users.info': (args) => {
      const id = str(args.user) ?? CONSOLE_USER.id;
      const name = id === CONSOLE_USER.id ? CONSOLE_USER.name : id === CONSOLE_BOT.userId ? CONSOLE_BOT.name : id.toLowerCase();
      return { ok: true, user: { id, name, real_name: name, is_bot: id === CONSOLE_BOT.userId, profile: { display_name: name, real_name: name } } };
    },
    'conversations.info': (args) => {
      const channel = ws.resolveChannel(args.channel);
      return channel ? { ok: true, channel: { id: channel.id, name: channel.name, is_channel: !channel.isDm, is_im: channel.isDm, is_member: true } } : fail('channel_not_found');
    },
    'conversations.join': (args) => {
      const channel = ws.resolveChannel(args.channel);
      return channel ? { ok: true, channel: { id: channel.id, name: channel.name } } : fail('channel_not_found');
    },
  };

  const readArgs = async (url: URL, body: unknown): Promise<Json> => {
    const fields: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (typeof body === 'string') {
      const trimmed = body.trimStart();
      if (trimmed.startsWith('{')) Object.assign(fields, JSON.parse(body) as Json);
      else Object.assign(fields, Object.fromEntries(new URLSearchParams(body)));
    } else if (body instanceof FormData) {
      for (const [key, value] of body.entries()) fields[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return parseFields(fields);
  };

  const bytesOf = async (body: unknown): Promise<Buffer> => {
    if (body instanceof FormData) {
      for (const [, value] of body.entries()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
      return Buffer.alloc(0);
    }
    if (typeof body === 'string') return Buffer.from(body);
    if (body instanceof Uint8Array) return Buffer.from(body);
    return Buffer.alloc(0);
  };

  return {
    fetch: async (input, init = {}) => {
      const url = new URL(String(input));
      if (url.origin !== CONSOLE_API_ORIGIN) {
        // The console never calls out; a URL from elsewhere is a bug worth a log line, not a request.
        deps.logger.warn({ url: url.origin }, 'console Slack API: refused a request outside the console');
        throw new TypeError(`The local console does not reach ${url.origin}`);
      }
      const upload = /^\/upload\/([A-Z0-9]+)$/.exec(url.pathname);
      if (upload?.[1]) {
        const ok = ws.setFileBytes(upload[1], await bytesOf(init.body));
        return new Response(ok ? 'OK' : 'Not Found', { status: ok ? 200 : 404 });
      }
      const response = /^\/response\/([A-Za-z0-9]+)$/.exec(url.pathname);
      if (response?.[1]) {
        let payload: unknown;
        try {
          payload = JSON.parse(typeof init.body === 'string' ? init.body : '');
        } catch {
          payload = null;
        }
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return jsonResponse(400, fail('invalid_payload'));
        const answer = responseUrls.answer(response[1], payload, ws);
        return jsonResponse(answer.status, answer.body);
      }
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
      const method = api?.[1];
      if (!method) return new Response('Not Found', { status: 404 });
      counts[method] = (counts[method] ?? 0) + 1;
      const handler = methods[method];
      if (!handler) {
        deps.logger.warn({ method }, 'console Slack API: method not emulated; answered unknown_method');
        return jsonResponse(200, fail('unknown_method', { req_method: method }));
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(init.headers?.Authorization ?? init.headers?.authorization ?? '')?.[1];
      let args: Json;
      try {
        args = await readArgs(url, init.body);
      } catch {
        return jsonResponse(200, fail('invalid_form_data'));
      }
      const token = bearer ?? str(args.token);
      if (token !== CONSOLE_BOT_TOKEN) return jsonResponse(200, fail(token ? 'invalid_auth' : 'not_authed'));
      deps.logger.debug({ method }, 'console Slack API call');
      const result = handler(args);
      if (result.ok === false && (result.response_metadata as { messages?: string[] } | undefined)?.messages) {
        // Slack would refuse this too: say why in the log, where a developer looks first.
        deps.logger.warn({ method, error: result.error, messages: (result.response_metadata as { messages: string[] }).messages.slice(0, 10) }, 'console Slack API: refused, as Slack would');
      }
      return jsonResponse(200, result);
    },
    mintResponseUrl: (context) => {
      sequence += 1;
      responseUrls.forgetExpired();
      const id = `R${sequence}${Math.floor(now() % 1e6)}`;
      const { user, channel, messageTs, threadTs } = context;
      responseUrls.mint(id, { user, channel: channel ?? undefined, messageTs: messageTs ?? undefined, threadTs: threadTs ?? undefined });
      return `${CONSOLE_API_ORIGIN}/response/${id}`;
    },
    mintTriggerId: (user) => {
      sequence += 1;
      // Slack's trigger_ids expire after 3 s; keep the last few hundred, the newest are the ones in use.
      if (triggers.size > 500) for (const id of [...triggers.keys()].slice(0, triggers.size - 500)) triggers.delete(id);
      const id = `${now()}.${sequence}.console`;
      triggers.set(id, { user, used: false });
      return id;
    },
    calls: () => ({ ...counts }),
  };
};
