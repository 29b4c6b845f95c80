// Read and file methods of the local Slack API server: auth.test, conversations.info/open,
// users.info, users.list (paged by `limit` and `cursor`), usergroups.users.list, and the files.uploadV2 pair (getUploadURLExternal and
// completeUploadExternal; the byte upload itself is served by the HTTP layer). Test support only.
import { fail, missingArgument, str, type MethodHandler } from './method-handler.ts';
import { authTestAnswer, type EmulatorProfile } from './profile.ts';
import { dmChannelIdFor, type ChannelRecord, type FileRecord, type UserRecord } from './workspace.ts';

const channelJson = (c: ChannelRecord, profile: EmulatorProfile): Record<string, unknown> => ({
  id: c.id,
  name: c.name,
  is_channel: !c.isPrivate && c.imUser === undefined,
  is_group: c.isPrivate && c.imUser === undefined,
  is_im: c.imUser !== undefined,
  is_private: c.isPrivate,
  is_archived: c.isArchived,
  is_member: c.isMember,
  name_normalized: c.name,
  context_team_id: profile.team.id,
  ...(c.imUser !== undefined ? { user: c.imUser } : {}),
});

/** auth.test needs no workspace: both fronts serve it. */
export const authTest: MethodHandler<unknown> = ({ profile }) => authTestAnswer(profile);

const conversationsInfo: MethodHandler = ({ args, ws, profile }) => {
  const channel = typeof args.channel === 'string' ? ws.channels.get(args.channel) : undefined;
  return channel === undefined ? fail('channel_not_found') : { ok: true, channel: channelJson(channel, profile) };
};

const conversationsOpen: MethodHandler = ({ args, ws }) => {
  const users = str(args.users)?.split(',') ?? [];
  if (users.length !== 1) return fail(users.length === 0 ? 'users_list_not_supplied' : 'not_enough_users');
  const [user] = users as [string];
  if (!ws.users.has(user)) return fail('user_not_found');
  return { ok: true, channel: { id: dmChannelIdFor(user) } };
};

const usersInfo: MethodHandler = ({ args, ws, profile }) => {
  const user = typeof args.user === 'string' ? ws.users.get(args.user) : undefined;
  if (user === undefined) return fail('user_not_found');
  return { ok: true, user: memberJson(user, profile) };
};

const memberJson = (user: UserRecord, profile: EmulatorProfile): Record<string, unknown> => ({
  id: user.id,
  team_id: profile.team.id,
  name: user.name,
  real_name: user.realName,
  deleted: user.deleted,
  is_bot: user.isBot,
  tz: user.tz,
  profile: { real_name: user.realName, display_name: user.displayName ?? user.name, ...(user.email ? { email: user.email } : {}) },
});

/** Members in insertion order; the cursor is the index of the next one (Slack's is opaque). */
const usersList: MethodHandler = ({ args, ws, profile }) => {
  const limit = Math.max(1, Math.min(1000, Number(args.limit) || 1000));
  const start = Number(str(args.cursor) ?? '0');
  if (!Number.isInteger(start) || start < 0) return fail('invalid_cursor');
  const all = [...ws.users.values()];
  const page = all.slice(start, start + limit);
  const next = start + limit < all.length ? String(start + limit) : '';
  return { ok: true, members: page.map((user) => memberJson(user, profile)), response_metadata: { next_cursor: next } };
};

const usergroupUsers: MethodHandler = ({ args, ws }) => {
  const group = typeof args.usergroup === 'string' ? ws.usergroups.get(args.usergroup) : undefined;
  return group === undefined ? fail('no_such_subteam') : { ok: true, users: [...group.userIds] };
};

const getUploadUrl: MethodHandler = ({ args, ws, origin }) => {
  const filename = str(args.filename);
  if (filename === undefined) return missingArgument('filename');
  const length = Number(args.length);
  if (args.length === undefined) return missingArgument('length');
  if (!Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
  const id = ws.nextId('F');
  ws.files.set(id, { id, filename, declaredLength: length, altText: str(args.alt_text), completed: false });
  return { ok: true, upload_url: `${origin}/upload/v1/${id}`, file_id: id };
};

const fileJson = (f: FileRecord, { team, bot }: EmulatorProfile): Record<string, unknown> => ({
  id: f.id,
  name: f.filename,
  title: f.title ?? f.filename,
  size: f.content?.length ?? 0,
  user: bot.userId,
  permalink: `https://${team.domain}.slack.com/files/${bot.userId}/${f.id}/${f.filename}`,
  channels: f.channelId !== undefined ? [f.channelId] : [],
});

const completeUpload: MethodHandler = ({ args, ws, profile }) => {
  if (!Array.isArray(args.files) || args.files.length === 0) return missingArgument('files');
  const channelRef = str(args.channel_id) ?? str(args.channels);
  const channel = channelRef !== undefined ? ws.resolveChannel(channelRef) : undefined;
  if (channelRef !== undefined && channel === undefined) return fail('channel_not_found');
  const records: FileRecord[] = [];
  for (const entry of args.files as unknown[]) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const file = typeof id === 'string' ? ws.files.get(id) : undefined;
    if (file === undefined || file.content === undefined) return fail('file_not_found');
    records.push(file);
  }
  const done = records.map((file, i) => {
    const title = (args.files as Array<{ title?: unknown }>)[i]?.title;
    const completed: FileRecord = {
      ...file,
      completed: true,
      title: typeof title === 'string' ? title : file.title,
      channelId: channel?.id,
      threadTs: str(args.thread_ts),
      initialComment: str(args.initial_comment),
    };
    ws.files.set(file.id, completed);
    return fileJson(completed, profile);
  });
  return { ok: true, files: done };
};

export const DIRECTORY_METHODS: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'conversations.info': conversationsInfo,
  'conversations.open': conversationsOpen,
  'users.info': usersInfo,
  'users.list': usersList,
  'usergroups.users.list': usergroupUsers,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
};
