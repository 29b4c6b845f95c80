// The emulated Slack workspace behind the HTTP emulator: fixed identities, channels, users and
// user groups, plus what the app created (messages, ephemerals, views, files). State only: it
// answers no requests. The token here is a test value that never reaches real Slack.

import { TEST_PROFILE } from './profile.ts';
import type { ResponseContent, ResponseUrlTarget } from './response-urls.ts';
import { TriggerIds } from './trigger-ids.ts';

export const TEST_TEAM_ID = TEST_PROFILE.team.id;
export const TEST_TEAM_DOMAIN = TEST_PROFILE.team.domain;
export const TEST_APP_ID = TEST_PROFILE.bot.appId;
export const TEST_BOT_ID = TEST_PROFILE.bot.botId;
export const TEST_BOT_USER_ID = TEST_PROFILE.bot.userId;
export const TEST_BOT_TOKEN = TEST_PROFILE.bot.token;

export interface ChannelRecord {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** Whether the bot is in the channel; posting elsewhere answers `not_in_channel`. */
  isMember: boolean;
  /** For DMs: the other user. */
  imUser?: string;
}

export interface UserRecord {
  id: string;
  name: string;
  realName: string;
  /** The profile's display name; the username when not set. */
  displayName?: string;
  tz: string;
  isBot: boolean;
  deleted: boolean;
  email?: string;
}

export interface MessageRecord {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  metadata?: unknown;
  edited?: { user: string; ts: string };
  /** Set for chat.postEphemeral messages: the only user who sees it. */
  ephemeralFor?: string;
}

export interface ViewRecord {
  id: string;
  type: 'modal' | 'home';
  view: Record<string, unknown>;
  hash: string;
  externalId?: string;
  /** For home tabs: whose App Home. */
  userId?: string;
  rootViewId: string;
  previousViewId: string | null;
}

export interface FileRecord {
  id: string;
  filename: string;
  declaredLength: number;
  content?: Buffer;
  title?: string;
  altText?: string;
  completed: boolean;
  channelId?: string;
  threadTs?: string;
  initialComment?: string;
}

export const DEFAULT_CHANNELS: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'C_ALERTS', name: 'alerts' },
  { id: 'C_L3', name: 'l3-escalations' },
  { id: 'C_GENERAL', name: 'general' },
];

export const DEFAULT_USERS: ReadonlyArray<Pick<UserRecord, 'id' | 'name' | 'realName'>> = [
  { id: 'U_ALICE', name: 'alice', realName: 'Alice Adams' },
  { id: 'U_BOB', name: 'bob', realName: 'Bob Brown' },
  { id: 'U_CAROL', name: 'carol', realName: 'Carol Chen' },
];

export const DEFAULT_USERGROUPS: ReadonlyArray<{ id: string; handle: string; userIds: string[] }> = [
  { id: 'S_ONCALL', handle: 'dlq-oncall', userIds: ['U_ALICE', 'U_BOB'] },
];

/** DM channel id Slack-style: one D… channel per user, derived from the user id. */
export const dmChannelIdFor = (userId: string): string => `D${userId.slice(1)}`;

export class SlackWorkspace implements ResponseUrlTarget {
  readonly channels = new Map<string, ChannelRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly usergroups = new Map<string, { id: string; handle: string; userIds: string[] }>();
  /** Messages by `${channel}/${ts}`, updated in place by chat.update and removed by chat.delete. */
  readonly messages = new Map<string, MessageRecord>();
  readonly ephemerals: MessageRecord[] = [];
  readonly views = new Map<string, ViewRecord>();
  readonly files = new Map<string, FileRecord>();
  readonly triggers = new TriggerIds();
  private readonly now: () => number;
  private seq = 0;

  constructor(now: () => number) {
    this.now = now;
    this.addUser({ id: TEST_BOT_USER_ID, name: 'redrive', realName: 'Redrive', isBot: true });
    for (const c of DEFAULT_CHANNELS) this.addChannel(c.id, c.name);
    for (const u of DEFAULT_USERS) this.addUser(u);
    for (const g of DEFAULT_USERGROUPS) this.addUserGroup(g.id, g.handle, g.userIds);
  }

  addChannel(id: string, name: string, options: Partial<Omit<ChannelRecord, 'id' | 'name'>> = {}): ChannelRecord {
    const channel: ChannelRecord = { id, name, isPrivate: false, isArchived: false, isMember: true, ...options };
    this.channels.set(id, channel);
    return channel;
  }

  addUser(user: Pick<UserRecord, 'id'> & Partial<UserRecord>): UserRecord {
    const record: UserRecord = {
      name: user.id.toLowerCase(),
      realName: user.name ?? user.id,
      tz: 'Europe/London',
      isBot: false,
      deleted: false,
      ...user,
    };
    this.users.set(record.id, record);
    const dm = dmChannelIdFor(record.id);
    this.channels.set(dm, { id: dm, name: dm, isPrivate: true, isArchived: false, isMember: true, imUser: record.id });
    return record;
  }

  addUserGroup(id: string, handle: string, userIds: string[]): void {
    this.usergroups.set(id, { id, handle, userIds: [...userIds] });
  }

  /** A channel id, `#name`, or a user id (posting to a user id goes to the DM with them). */
  resolveChannel(ref: unknown): ChannelRecord | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    if (ref.startsWith('#')) return [...this.channels.values()].find((c) => c.name === ref.slice(1) && !c.imUser);
    if (this.users.has(ref)) return this.channels.get(dmChannelIdFor(ref));
    return this.channels.get(ref);
  }

  /** Unique, increasing message timestamps in Slack's `seconds.micro` format. */
  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(8, '0')}`;
  }

  message(channel: string, ts: unknown): MessageRecord | undefined {
    return typeof ts === 'string' ? this.messages.get(`${channel}/${ts}`) : undefined;
  }

  putMessage(message: MessageRecord): void {
    const defined = Object.entries(message).filter(([, value]) => value !== undefined);
    this.messages.set(`${message.channel}/${message.ts}`, Object.fromEntries(defined) as unknown as MessageRecord);
  }

  hasMessage(channel: string, ts: string): boolean {
    return this.messages.has(`${channel}/${ts}`);
  }

  deleteMessage(channel: string, ts: string): boolean {
    return this.messages.delete(`${channel}/${ts}`);
  }

  /** A response_url's `replace_original`: the new content in place of the old, whatever it lacks dropped. */
  replaceMessage(channel: string, ts: string, content: ResponseContent): void {
    const original = this.message(channel, ts);
    if (original !== undefined) this.putMessage({ ...original, text: content.text, blocks: content.blocks });
  }

  /** A response_url's new message (ephemeral ones kept apart, as chat.postEphemeral's). */
  postMessage(channel: string, content: ResponseContent & { threadTs?: string; ephemeralFor?: string }): void {
    const message: MessageRecord = { channel, ts: this.nextTs(), text: content.text, blocks: content.blocks, threadTs: content.threadTs, ephemeralFor: content.ephemeralFor };
    if (message.ephemeralFor !== undefined) this.ephemerals.push(message);
    else this.putMessage(message);
  }

  /** Forgets what the app created (messages, views, files, used trigger ids); keeps the directory. */
  resetActivity(): void {
    this.messages.clear();
    this.ephemerals.length = 0;
    this.views.clear();
    this.files.clear();
    this.triggers.clear();
  }

  messagesIn(channel: string): MessageRecord[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  homeViewOf(userId: string): ViewRecord | undefined {
    return [...this.views.values()].find((v) => v.type === 'home' && v.userId === userId);
  }

  viewByExternalId(externalId: unknown): ViewRecord | undefined {
    return [...this.views.values()].find((v) => v.externalId !== undefined && v.externalId === externalId);
  }
}
