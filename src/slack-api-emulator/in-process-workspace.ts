// The in-process emulator's workspace (the local console's): channels, messages and threads,
// ephemeral replies, files, modals and App Home views, held in memory and announced to the page as
// events. The in-process Web API (in-process-api.ts) writes here; the console's page reads it. It
// renders nothing and decides nothing.

import { CONSOLE_PROFILE } from './profile.ts';
import type { ResponseContent, ResponseUrlTarget } from './response-urls.ts';
import { TriggerIds } from './trigger-ids.ts';

const { team, bot } = CONSOLE_PROFILE;
/** The console's team and bot as the page reads them (no token: the page never sees it). */
export const CONSOLE_TEAM: { readonly id: string; readonly name: string } = { id: team.id, name: team.name };
export const CONSOLE_BOT: { readonly userId: string; readonly botId: string; readonly appId: string; readonly name: string } = { userId: bot.userId, botId: bot.botId, appId: bot.appId, name: bot.name };
/** The one person at the console (the machine's own user, on loopback). */
export const CONSOLE_USER = { id: 'U0CONSOLE', name: 'you' } as const;

export type Json = Record<string, unknown>;

export interface ConsoleChannel {
  id: string;
  name: string;
  /** DM with the bot (the App Home's Messages tab). */
  isDm: boolean;
}

export interface ConsoleFile {
  id: string;
  name: string;
  title: string | null;
  altText: string | null;
  mimetype: string;
  size: number;
}

export interface ConsoleMessage {
  channel: string;
  ts: string;
  threadTs: string | null;
  /** Bot messages carry CONSOLE_BOT.userId; what the person typed carries their id. */
  user: string;
  text: string;
  blocks: Json[] | null;
  files: ConsoleFile[];
  edited: boolean;
  /** Only this user sees it (chat.postEphemeral, respond with response_type ephemeral). */
  ephemeralFor: string | null;
  /** A thread reply also shown in the channel (chat.postMessage `reply_broadcast`). */
  broadcast?: boolean;
}

export interface ConsoleView {
  id: string;
  type: 'modal' | 'home';
  user: string;
  view: Json;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
}

export type WorkspaceEvent =
  | { type: 'channel'; channel: ConsoleChannel }
  | { type: 'message'; message: ConsoleMessage }
  | { type: 'message-deleted'; channel: string; ts: string }
  | { type: 'modals'; user: string; stack: ConsoleView[] }
  | { type: 'home'; view: ConsoleView };

export interface WorkspaceSnapshot {
  team: typeof CONSOLE_TEAM;
  bot: typeof CONSOLE_BOT;
  user: typeof CONSOLE_USER;
  channels: ConsoleChannel[];
  messages: ConsoleMessage[];
  modals: ConsoleView[];
  home: ConsoleView | null;
}

const MAX_MESSAGES_PER_CHANNEL = 2_000;

/** What survives a restart: the conversation (channels, messages, files, App Homes), not open modals. */
export interface PersistedWorkspace {
  version: 1;
  channels: ConsoleChannel[];
  messages: ConsoleMessage[];
  files: { file: ConsoleFile; base64: string | null }[];
  homes: ConsoleView[];
  ids: number;
  lastTs: number;
}

export class ConsoleWorkspace implements ResponseUrlTarget {
  readonly #channels = new Map<string, ConsoleChannel>();
  /** `${channel}/${ts}` → message, insertion order = time order. */
  readonly #messages = new Map<string, ConsoleMessage>();
  readonly #files = new Map<string, { file: ConsoleFile; bytes: Buffer | null }>();
  readonly #views = new Map<string, ConsoleView>();
  /** Modal stacks per user, root first. */
  readonly #modals = new Map<string, string[]>();
  readonly #homes = new Map<string, string>();
  readonly #listeners = new Set<(event: WorkspaceEvent) => void>();
  /** trigger_ids handed out for interactions: whose, and whether a views.* call used it. */
  readonly triggers = new TriggerIds();
  readonly #now: () => number;
  #lastTs = 0;
  #ids = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  subscribe(listener: (event: WorkspaceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: WorkspaceEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  nextId(prefix: string): string {
    this.#ids += 1;
    return `${prefix}0${String(this.#ids).padStart(6, '0')}`;
  }

  /** A Slack-shaped `seconds.micros` timestamp, strictly increasing. */
  nextTs(): string {
    const micros = Math.max(this.#now() * 1000, this.#lastTs + 1);
    this.#lastTs = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  addChannel(id: string, name: string): ConsoleChannel {
    const existing = this.#channels.get(id);
    if (existing) return existing;
    const channel: ConsoleChannel = { id, name, isDm: id.startsWith('D') };
    this.#channels.set(id, channel);
    this.#emit({ type: 'channel', channel });
    return channel;
  }

  /**
   * The channel a Web API call names. Channel ids the bot has not seen yet are created (the console
   * has every channel the config mentions); a user id means the DM with that user.
   */
  resolveChannel(ref: unknown): ConsoleChannel | null {
    if (typeof ref !== 'string' || ref === '') return null;
    const byId = this.#channels.get(ref);
    if (byId) return byId;
    const byName = [...this.#channels.values()].find((c) => `#${c.name}` === ref || c.name === ref);
    if (byName) return byName;
    if (/^[UW][A-Z0-9_]+$/.test(ref)) return this.addChannel(`D${ref.slice(1)}`, `DM with Redrive`);
    if (/^[CGD][A-Z0-9_]+$/.test(ref)) return this.addChannel(ref, ref.toLowerCase());
    return null;
  }

  message(channel: string, ts: unknown): ConsoleMessage | undefined {
    return typeof ts === 'string' ? this.#messages.get(`${channel}/${ts}`) : undefined;
  }

  putMessage(message: ConsoleMessage): ConsoleMessage {
    this.#messages.set(`${message.channel}/${message.ts}`, message);
    this.#trim(message.channel);
    this.#emit({ type: 'message', message });
    return message;
  }

  deleteMessage(channel: string, ts: string): boolean {
    const deleted = this.#messages.delete(`${channel}/${ts}`);
    if (deleted) this.#emit({ type: 'message-deleted', channel, ts });
    return deleted;
  }

  hasMessage(channel: string, ts: string): boolean {
    return this.#messages.has(`${channel}/${ts}`);
  }

  /** A response_url's `replace_original`: the page shows the message as edited. */
  replaceMessage(channel: string, ts: string, content: ResponseContent): void {
    const original = this.message(channel, ts);
    if (original) this.putMessage({ ...original, text: content.text ?? '', blocks: (content.blocks as Json[] | undefined) ?? null, edited: true });
  }

  /** A response_url's new message, from the bot (ephemeral ones shown only to their user). */
  postMessage(channel: string, content: ResponseContent & { threadTs?: string; ephemeralFor?: string }): void {
    this.putMessage({
      channel,
      ts: this.nextTs(),
      threadTs: content.threadTs ?? null,
      user: CONSOLE_BOT.userId,
      text: content.text ?? '',
      blocks: (content.blocks as Json[] | undefined) ?? null,
      files: [],
      edited: false,
      ephemeralFor: content.ephemeralFor ?? null,
    });
  }

  #trim(channel: string): void {
    const inChannel = [...this.#messages.values()].filter((m) => m.channel === channel);
    for (const old of inChannel.slice(0, Math.max(0, inChannel.length - MAX_MESSAGES_PER_CHANNEL))) this.#messages.delete(`${old.channel}/${old.ts}`);
  }

  addFile(file: ConsoleFile): void {
    this.#files.set(file.id, { file, bytes: null });
  }

  fileRecord(id: string): { file: ConsoleFile; bytes: Buffer | null } | undefined {
    return this.#files.get(id);
  }

  setFileBytes(id: string, bytes: Buffer): boolean {
    const record = this.#files.get(id);
    if (!record) return false;
    record.bytes = bytes;
    record.file = { ...record.file, size: bytes.length };
    return true;
  }

  view(id: unknown): ConsoleView | undefined {
    return typeof id === 'string' ? this.#views.get(id) : undefined;
  }

  viewByExternalId(externalId: unknown): ConsoleView | undefined {
    if (typeof externalId !== 'string' || externalId === '') return undefined;
    return [...this.#views.values()].find((v) => v.view.external_id === externalId);
  }

  modalStack(user: string): ConsoleView[] {
    return (this.#modals.get(user) ?? []).map((id) => this.#views.get(id)).filter((v): v is ConsoleView => v !== undefined);
  }

  /** views.open (a new stack) or views.push (on top of the user's stack). */
  openModal(user: string, view: Json, push: boolean): ConsoleView {
    const stack = push ? [...(this.#modals.get(user) ?? [])] : [];
    const id = this.nextId('V');
    const record: ConsoleView = { id, type: 'modal', user, view, hash: this.nextTs(), rootViewId: stack[0] ?? id, previousViewId: stack[stack.length - 1] ?? null };
    this.#views.set(id, record);
    this.#modals.set(user, [...stack, id].slice(-3));
    this.#emit({ type: 'modals', user, stack: this.modalStack(user) });
    return record;
  }

  /** views.update, and `response_action: update` on a submission. */
  updateView(existing: ConsoleView, view: Json): ConsoleView {
    const record: ConsoleView = { ...existing, view, hash: this.nextTs() };
    this.#views.set(existing.id, record);
    if (record.type === 'home') this.#emit({ type: 'home', view: record });
    else this.#emit({ type: 'modals', user: record.user, stack: this.modalStack(record.user) });
    return record;
  }

  /** Closes the top modal (or every modal with `all`). */
  closeModal(user: string, viewId: string | null, all = false): void {
    const stack = this.#modals.get(user) ?? [];
    const next = all ? [] : stack.filter((id) => id !== (viewId ?? stack[stack.length - 1]));
    this.#modals.set(user, next);
    this.#emit({ type: 'modals', user, stack: this.modalStack(user) });
  }

  publishHome(user: string, view: Json): ConsoleView {
    const existingId = this.#homes.get(user);
    const existing = existingId ? this.#views.get(existingId) : undefined;
    if (existing) return this.updateView(existing, view);
    const id = this.nextId('V');
    const record: ConsoleView = { id, type: 'home', user, view, hash: this.nextTs(), rootViewId: id, previousViewId: null };
    this.#views.set(id, record);
    this.#homes.set(user, id);
    this.#emit({ type: 'home', view: record });
    return record;
  }

  /** The conversation as data, for a file that outlives the process (Slack keeps its history too). */
  toPersisted(): PersistedWorkspace {
    return {
      version: 1,
      channels: [...this.#channels.values()],
      messages: [...this.#messages.values()],
      files: [...this.#files.values()].map(({ file, bytes }) => ({ file, base64: bytes ? bytes.toString('base64') : null })),
      homes: [...this.#homes.values()].map((id) => this.#views.get(id)).filter((v): v is ConsoleView => v !== undefined),
      ids: this.#ids,
      lastTs: this.#lastTs,
    };
  }

  /** Loads a persisted conversation into this (empty) workspace; no events are emitted. */
  restore(data: PersistedWorkspace): void {
    for (const channel of data.channels) this.#channels.set(channel.id, channel);
    for (const message of data.messages) this.#messages.set(`${message.channel}/${message.ts}`, message);
    for (const { file, base64 } of data.files) this.#files.set(file.id, { file, bytes: base64 === null ? null : Buffer.from(base64, 'base64') });
    for (const home of data.homes) {
      this.#views.set(home.id, home);
      this.#homes.set(home.user, home.id);
    }
    this.#ids = Math.max(this.#ids, data.ids);
    this.#lastTs = Math.max(this.#lastTs, data.lastTs);
  }

  snapshot(user: string): WorkspaceSnapshot {
    const homeId = this.#homes.get(user);
    return {
      team: CONSOLE_TEAM,
      bot: CONSOLE_BOT,
      user: CONSOLE_USER,
      channels: [...this.#channels.values()],
      messages: [...this.#messages.values()].filter((m) => m.ephemeralFor === null || m.ephemeralFor === user),
      modals: this.modalStack(user),
      home: homeId ? (this.#views.get(homeId) ?? null) : null,
    };
  }
}
