// response_urls as Slack serves them, for both fronts (HTTP and in process): each minted URL takes
// JSON POSTs up to 5 times within 30 minutes (docs.slack.dev "Handling user interaction") and can
// replace, delete or add to the conversation it belongs to. It speaks no HTTP and holds no
// messages: the workspace it writes to is passed in, in that workspace's own record shape.
import { checkMessage, checkMessageBlocks, formatIssue } from './block-kit-validator.ts';
import type { EmulatorProfile } from './profile.ts';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlRecord {
  mintedAt: number;
  uses: number;
  maxUses: number;
  /** The conversation the interaction happened in: responses post there. */
  channel?: string;
  /** The message the interaction came from: `replace_original` / `delete_original` act on it. */
  messageTs?: string;
  /** The thread the interaction happened in: a response without its own thread_ts goes there. */
  threadTs?: string;
  /** Who interacted: the one person who sees an ephemeral response. */
  user?: string;
}

export type ResponseUrlContext = Pick<ResponseUrlRecord, 'channel' | 'messageTs' | 'threadTs' | 'user'> & { maxUses?: number };

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What a response carries, as posted: `text` when a string, `blocks` when an array. */
export interface ResponseContent {
  text?: string;
  blocks?: unknown[];
}

/** The conversation a response_url writes to; each workspace maps this onto its own records. */
export interface ResponseUrlTarget {
  hasMessage(channel: string, ts: string): boolean;
  deleteMessage(channel: string, ts: string): void;
  replaceMessage(channel: string, ts: string, content: ResponseContent): void;
  postMessage(channel: string, content: ResponseContent & { threadTs?: string; ephemeralFor?: string }): void;
}

/** How the workspace's profile treats responses (see EmulatorProfile). */
export type ResponseUrlRules = Pick<EmulatorProfile, 'postEphemeralResponses' | 'responseUrlNeedsText'> & { blocksJsonLimit?: number };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * What Slack answers a POST to a response_url. Status codes matter: Bolt's respond() throws on
 * non-2xx. Exhausted or expired URLs answer 404, an invalid message 400 (the body wording is
 * not documented; these codes mirror the Web API's). Only an accepted post uses the URL up.
 */
export function answerResponseUrl(target: ResponseUrlTarget, record: ResponseUrlRecord, payload: unknown, now: number, rules: ResponseUrlRules): ResponseUrlAnswer {
  if (now - record.mintedAt > RESPONSE_URL_TTL_MS) return { status: 404, body: { ok: false, error: 'expired_url' } };
  if (record.uses >= record.maxUses) return { status: 404, body: { ok: false, error: 'used_url' } };
  if (!isObject(payload)) return { status: 400, body: { ok: false, error: 'invalid_payload' } };
  const { channel, messageTs } = record;
  const original = channel !== undefined && messageTs !== undefined && target.hasMessage(channel, messageTs) ? { channel, ts: messageTs } : undefined;
  if (payload.delete_original === true) {
    record.uses += 1;
    if (original !== undefined) target.deleteMessage(original.channel, original.ts);
    return { status: 200, body: { ok: true } };
  }
  const options = { blocksJsonLimit: rules.blocksJsonLimit };
  const verdict = rules.responseUrlNeedsText ? checkMessage(payload, options) : checkMessageBlocks(payload.blocks ?? undefined, options);
  if (!verdict.ok) {
    return { status: 400, body: { ok: false, error: verdict.error, response_metadata: { messages: verdict.issues.map(formatIssue) } } };
  }
  record.uses += 1;
  const content: ResponseContent = {
    ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
    ...(Array.isArray(payload.blocks) ? { blocks: payload.blocks as unknown[] } : {}),
  };
  if (payload.replace_original === true && original !== undefined) {
    target.replaceMessage(original.channel, original.ts, content);
    return { status: 200, body: { ok: true } };
  }
  // Slack's default for a response_url is ephemeral; in_channel posts for everyone.
  const inChannel = payload.response_type === 'in_channel';
  if (channel !== undefined && (inChannel || rules.postEphemeralResponses)) {
    const threadTs = nonEmpty(payload.thread_ts) ?? record.threadTs;
    const ephemeralFor = inChannel ? undefined : record.user;
    target.postMessage(channel, { ...content, ...(threadTs !== undefined ? { threadTs } : {}), ...(ephemeralFor !== undefined ? { ephemeralFor } : {}) });
  }
  return { status: 200, body: { ok: true } };
}

/** The response_urls minted so far, by id; the caller names each id (its URL format is its own). */
export class ResponseUrls {
  readonly #records = new Map<string, ResponseUrlRecord>();
  readonly #now: () => number;
  readonly #rules: ResponseUrlRules;

  constructor(now: () => number, rules: ResponseUrlRules) {
    this.#now = now;
    this.#rules = rules;
  }

  mint(id: string, context: ResponseUrlContext = {}): void {
    const { maxUses = RESPONSE_URL_MAX_USES, ...where } = context;
    const defined = Object.entries(where).filter(([, value]) => value !== undefined);
    this.#records.set(id, { mintedAt: this.#now(), uses: 0, maxUses, ...Object.fromEntries(defined) });
  }

  /** What a POST of `payload` to the response_url `id` answers; an unknown id is `invalid_url`. */
  answer(id: string, payload: unknown, target: ResponseUrlTarget): ResponseUrlAnswer {
    const record = this.#records.get(id);
    if (record === undefined) return { status: 404, body: { ok: false, error: 'invalid_url' } };
    return answerResponseUrl(target, record, payload, this.#now(), this.#rules);
  }

  /** Expired ones can never answer again: forget them so a long session stays small. */
  forgetExpired(): void {
    for (const [id, record] of this.#records) if (this.#now() - record.mintedAt > RESPONSE_URL_TTL_MS) this.#records.delete(id);
  }

  clear(): void {
    this.#records.clear();
  }
}
