// The local console's Web API methods (chat.*, files upload v2, views.*, usergroups/users/
// conversations info, auth.test) over the in-memory ConsoleWorkspace, with Slack's shapes, error
// codes and Block Kit referee, so code that works here works against Slack. Handlers only: the
// fetch front (in-process-api.ts) routes, authenticates and counts; nothing here speaks HTTP.
import { deleteMessage, getPermalink } from './chat-methods.ts';
import { authTest } from './directory-methods.ts';
import { blocksProblem, fail, messageJson, str, type MethodContext, type MethodHandler, type MethodResult } from './method-handler.ts';
import { viewJson, viewProblem } from './view-methods.ts';
import { CONSOLE_BOT, CONSOLE_USER, type ConsoleMessage, type ConsoleView, type ConsoleWorkspace, type Json } from './in-process-workspace.ts';

/** A `blocks` argument that is an array, else null (the page's "no blocks"). */
const blocksOf = (value: unknown): Json[] | null => (Array.isArray(value) ? (value as Json[]) : null);

const post = ({ ws, args, profile }: MethodContext<ConsoleWorkspace>, user: string, ephemeralFor: string | null): MethodResult => {
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
    message: messageJson({ channel: channel.id, ts: message.ts, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { threadTs } : {}), ...(broadcast ? { broadcast } : {}) }, profile),
  };
};

const userFromTrigger = ({ ws, args, profile }: MethodContext<ConsoleWorkspace>): string | MethodResult => {
  const trigger = str(args.trigger_id) ?? str(args.interactivity_pointer);
  if (!trigger) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
  const use = ws.triggers.use(trigger, profile.mintedTriggersOnly);
  return use.ok ? (use.user ?? CONSOLE_USER.id) : fail(use.error);
};

/** The last steps every views.* method shares: `args.view` present and within Block Kit's limits, then shown. */
const showView = ({ args, profile }: MethodContext<ConsoleWorkspace>, kind: 'modal' | 'home', show: (view: Json) => ConsoleView): MethodResult => {
  const view = args.view as Json | undefined;
  if (!view || typeof view !== 'object') return fail('invalid_arguments');
  const problem = viewProblem(view, kind);
  if (problem) return problem;
  return { ok: true, view: viewJson(show(view), profile) };
};

/** views.open and views.push: a fresh trigger_id, then a modal on top (`pushed`) or a new stack. */
const openView = (ctx: MethodContext<ConsoleWorkspace>, pushed: boolean): MethodResult => {
  const { ws } = ctx;
  const user = userFromTrigger(ctx);
  if (typeof user !== 'string') return user;
  return showView(ctx, 'modal', (view) => ws.openModal(user, view, pushed));
};

export const CONSOLE_METHODS: Record<string, MethodHandler<ConsoleWorkspace>> = {
  'auth.test': authTest,
  'chat.postMessage': (ctx) => post(ctx, CONSOLE_BOT.userId, null),
  'chat.postEphemeral': (ctx) => {
    const user = str(ctx.args.user);
    if (!user) return fail('user_not_in_channel');
    const result = post(ctx, CONSOLE_BOT.userId, user);
    return result.ok ? { ok: true, message_ts: result.ts } : result;
  },
  'chat.update': ({ ws, args }) => {
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
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
  'files.getUploadURLExternal': ({ ws, args, origin }) => {
    const filename = str(args.filename);
    if (!filename) return fail('invalid_arguments');
    const id = ws.nextId('F');
    ws.addFile({ id, name: filename, title: null, altText: str(args.alt_text) ?? null, mimetype: filename.endsWith('.png') ? 'image/png' : 'application/octet-stream', size: Number(args.length ?? 0) });
    return { ok: true, upload_url: `${origin}/upload/${id}`, file_id: id };
  },
  'files.completeUploadExternal': ({ ws, args }) => {
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
  'views.open': (ctx) => openView(ctx, false),
  'views.push': (ctx) => openView(ctx, true),
  'views.update': (ctx) => {
    const { ws, args } = ctx;
    const existing = ws.view(args.view_id) ?? ws.viewByExternalId(args.external_id);
    if (!existing) return fail('not_found');
    if (str(args.hash) && args.hash !== existing.hash) return fail('hash_conflict');
    return showView(ctx, existing.type, (view) => ws.updateView(existing, view));
  },
  'views.publish': (ctx) => {
    const { ws, args } = ctx;
    const user = str(args.user_id);
    if (!user) return fail('invalid_arguments');
    return showView(ctx, 'home', (view) => ws.publishHome(user, view));
  },
  'usergroups.users.list': () => ({ ok: true, users: [CONSOLE_USER.id] }),
  // The console has one person and the bot: `/dlq audit @<console user>` finds them.
  'users.list': () => ({
    ok: true,
    members: [CONSOLE_USER, { id: CONSOLE_BOT.userId, name: CONSOLE_BOT.name }].map((u) => ({ id: u.id, name: u.name, real_name: u.name, profile: { display_name: u.name, real_name: u.name } })),
    response_metadata: { next_cursor: '' },
  }),
  'users.info': ({ args }) => {
    const id = str(args.user) ?? CONSOLE_USER.id;
    const name = id === CONSOLE_USER.id ? CONSOLE_USER.name : id === CONSOLE_BOT.userId ? CONSOLE_BOT.name : id.toLowerCase();
    return { ok: true, user: { id, name, real_name: name, is_bot: id === CONSOLE_BOT.userId, profile: { display_name: name, real_name: name } } };
  },
  'conversations.info': ({ ws, args }) => {
    const channel = ws.resolveChannel(args.channel);
    return channel ? { ok: true, channel: { id: channel.id, name: channel.name, is_channel: !channel.isDm, is_im: channel.isDm, is_member: true } } : fail('channel_not_found');
  },
  'conversations.join': ({ ws, args }) => {
    const channel = ws.resolveChannel(args.channel);
    return channel ? { ok: true, channel: { id: channel.id, name: channel.name } } : fail('channel_not_found');
  },
};

