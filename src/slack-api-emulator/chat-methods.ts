// chat.* methods of the Slack API emulator: post, update, ephemeral, permalink, delete, with
// Slack's channel checks and the Block Kit referee. Permalink and delete serve the console too.
import { checkMessage } from './block-kit-validator.ts';
import { fail, messageJson, refuse, str, type MethodContext, type MethodHandler, type MethodResult } from './method-handler.ts';
import type { ChannelRecord, MessageRecord } from './workspace.ts';

type ChannelLookup = { channel: ChannelRecord } | { error: MethodResult };

/** Where the bot may write: known, not archived, and the bot is a member (DMs always). */
function writableChannel(ctx: MethodContext, ref: unknown): ChannelLookup {
  const channel = ctx.ws.resolveChannel(ref);
  if (channel === undefined) return { error: fail('channel_not_found') };
  if (channel.isArchived) return { error: fail('is_archived') };
  if (!channel.isMember) return { error: fail('not_in_channel') };
  return { channel };
}

function contentProblem(ctx: MethodContext, args: Record<string, unknown>): MethodResult | undefined {
  const verdict = checkMessage(args, { blocksJsonLimit: ctx.blocksJsonLimit });
  return verdict.ok ? undefined : refuse(verdict.error, verdict.issues, true);
}

/**
 * `reply_broadcast`: a boolean (a form field arrives as "true"/"false", "1"/"0"); anything else is
 * refused. Slack ignores it on a message that is not a thread reply.
 */
function readBroadcast(value: unknown): boolean | 'invalid' {
  if (value === undefined || value === false || value === 'false' || value === '0' || value === 0) return false;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  return 'invalid';
}

const postMessage: MethodHandler = (ctx) => {
  const { args, ws } = ctx;
  const target = writableChannel(ctx, args.channel);
  if ('error' in target) return target.error;
  const broadcast = readBroadcast(args.reply_broadcast);
  if (broadcast === 'invalid') return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] reply_broadcast must be a boolean'] } });
  const problem = contentProblem(ctx, args);
  if (problem) return problem;
  const threadTs = str(args.thread_ts);
  const message: MessageRecord = {
    channel: target.channel.id,
    ts: ws.nextTs(),
    text: str(args.text),
    blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
    threadTs,
    ...(broadcast && threadTs !== undefined ? { broadcast: true } : {}),
    metadata: args.metadata,
  };
  ws.putMessage(message);
  return { ok: true, channel: message.channel, ts: message.ts, message: messageJson(message, ctx.profile) };
};

const update: MethodHandler = (ctx) => {
  const { args, ws } = ctx;
  const channel = ws.resolveChannel(args.channel);
  if (channel === undefined) return fail('channel_not_found');
  const existing = ws.message(channel.id, args.ts);
  if (existing === undefined) return fail('message_not_found');
  const problem = contentProblem(ctx, args);
  if (problem) return problem;
  const updated: MessageRecord = {
    ...existing,
    text: args.text !== undefined ? str(args.text) : existing.text,
    blocks: Array.isArray(args.blocks) ? args.blocks : existing.blocks,
    metadata: args.metadata ?? existing.metadata,
    edited: { user: ctx.profile.bot.userId, ts: ws.nextTs() },
  };
  ws.putMessage(updated);
  return { ok: true, channel: channel.id, ts: updated.ts, text: updated.text ?? '', message: messageJson(updated, ctx.profile) };
};

const postEphemeral: MethodHandler = (ctx) => {
  const { args, ws } = ctx;
  const target = writableChannel(ctx, args.channel);
  if ('error' in target) return target.error;
  const user = str(args.user);
  if (user === undefined || !ws.users.has(user)) return fail('user_not_in_channel');
  const problem = contentProblem(ctx, args);
  if (problem) return problem;
  const message: MessageRecord = {
    channel: target.channel.id,
    ts: ws.nextTs(),
    text: str(args.text),
    blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
    threadTs: str(args.thread_ts),
    ephemeralFor: user,
  };
  ws.ephemerals.push(message);
  return { ok: true, message_ts: message.ts };
};

/** What chat.getPermalink and chat.delete need of a workspace; both workspaces have it, so both fronts serve these two. */
export interface MessageLookup {
  resolveChannel(ref: unknown): { id: string } | null | undefined;
  message(channel: string, ts: unknown): { ts: string; threadTs?: string | null } | undefined;
  deleteMessage(channel: string, ts: string): boolean;
}

export const getPermalink: MethodHandler<MessageLookup> = ({ args, ws, profile, permalinkBase }) => {
  const channel = ws.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const message = ws.message(channel.id, args.message_ts);
  if (message === undefined) return fail('message_not_found');
  const permalink = profile.permalink({ channel: channel.id, ts: message.ts, threadTs: message.threadTs ?? null, base: permalinkBase });
  return { ok: true, channel: channel.id, permalink };
};

export const deleteMessage: MethodHandler<MessageLookup> = ({ args, ws }) => {
  const channel = ws.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const message = ws.message(channel.id, args.ts);
  if (message === undefined) return fail('message_not_found');
  ws.deleteMessage(channel.id, message.ts);
  return { ok: true, channel: channel.id, ts: message.ts };
};

export const CHAT_METHODS: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'chat.delete': deleteMessage,
};
