// response_urls of the in-process emulator (the local console's): each minted URL takes JSON POSTs
// up to 5 times within 30 minutes, as Slack's, and replaces, deletes or adds to the conversation in
// the ConsoleWorkspace (ephemeral by default, in_channel for everyone). It speaks no HTTP.
import { blocksOf, checkMessageBlocks, refuse, str } from './in-process-referee.ts';
import { CONSOLE_BOT, type ConsoleWorkspace, type Json } from './in-process-workspace.ts';
import { fail } from './method-handler.ts';
import { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from './response-urls.ts';

export interface ResponseUrlContext {
  user: string;
  channel: string | null;
  messageTs: string | null;
  threadTs: string | null;
}

interface ResponseUrl extends ResponseUrlContext {
  mintedAt: number;
  uses: number;
}

export interface ResponseUrlAnswer {
  status: number;
  body: Json;
}

export interface InProcessResponseUrls {
  /** The id of a new response_url for an interaction; `sequence` makes it unique. */
  mint(context: ResponseUrlContext, sequence: number): string;
  /** What a POST of `payload` to the response_url `id` answers. */
  answer(id: string, payload: Json): ResponseUrlAnswer;
}

export const createInProcessResponseUrls = (deps: { workspace: ConsoleWorkspace; now: () => number }): InProcessResponseUrls => {
  const ws = deps.workspace;
  const now = deps.now;
  const responseUrls = new Map<string, ResponseUrl>();

  const answer = (id: string, payload: Json): ResponseUrlAnswer => {
    const entry = responseUrls.get(id);
    if (!entry) return { status: 404, body: fail('invalid_url') };
    if (now() - entry.mintedAt > RESPONSE_URL_TTL_MS) return { status: 404, body: fail('expired_url') };
    if (entry.uses >= RESPONSE_URL_MAX_USES) return { status: 404, body: fail('used_url') };
    const original = entry.channel && entry.messageTs ? ws.message(entry.channel, entry.messageTs) : undefined;
    if (payload.delete_original === true) {
      entry.uses += 1;
      if (original) ws.deleteMessage(original.channel, original.ts);
      return { status: 200, body: { ok: true } };
    }
    const text = typeof payload.text === 'string' ? payload.text : '';
    const blocks = blocksOf(payload.blocks);
    const verdict = checkMessageBlocks(payload.blocks);
    if (verdict) return { status: 400, body: refuse(verdict, false) };
    // Only an accepted post uses the URL up (as the HTTP emulator counts).
    entry.uses += 1;
    if (payload.replace_original === true && original) {
      ws.putMessage({ ...original, text, blocks, edited: true });
      return { status: 200, body: { ok: true } };
    }
    if (!entry.channel) return { status: 200, body: { ok: true } };
    // Slack's default for a response_url is ephemeral; in_channel posts for everyone.
    const inChannel = payload.response_type === 'in_channel';
    ws.putMessage({
      channel: entry.channel,
      ts: ws.nextTs(),
      threadTs: str(payload.thread_ts) ?? entry.threadTs,
      user: CONSOLE_BOT.userId,
      text,
      blocks,
      files: [],
      edited: false,
      ephemeralFor: inChannel ? null : entry.user,
    });
    return { status: 200, body: { ok: true } };
  };

  return {
    mint: (context, sequence) => {
      // Expired ones can never answer again: forget them so a long session stays small.
      for (const [id, entry] of responseUrls) if (now() - entry.mintedAt > RESPONSE_URL_TTL_MS) responseUrls.delete(id);
      const id = `R${sequence}${Math.floor(now() % 1e6)}`;
      responseUrls.set(id, { mintedAt: now(), uses: 0, ...context });
      return id;
    },
    answer,
  };
};
