// response_url behaviour for the local Slack API server: each minted URL takes JSON POSTs up to
// 5 times within 30 minutes (docs.slack.dev "Handling user interaction"), and can replace,
// delete or add to the message it belongs to. Test support only.
import { checkMessage, formatIssue } from './block-kit-validator.ts';
import type { MessageRecord, SlackWorkspace } from './workspace.ts';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlRecord {
  id: string;
  mintedAt: number;
  uses: number;
  maxUses: number;
  /** The conversation the interaction happened in: `response_type: 'in_channel'` posts there. */
  channel?: string;
  /** The message the interaction came from: `replace_original` / `delete_original` act on it. */
  messageTs?: string;
}

export interface ResponseUrlOptions {
  channel?: string;
  messageTs?: string;
  maxUses?: number;
}

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * What Slack answers a POST to a response_url. Status codes matter: Bolt's respond() throws on
 * non-2xx. Exhausted or expired URLs answer 404, an invalid message 400 (the body wording is
 * not documented; these codes mirror the Web API's).
 */
export function answerResponseUrl(
  ws: SlackWorkspace,
  record: ResponseUrlRecord,
  payload: unknown,
  now: number,
  blocksJsonLimit: number,
): ResponseUrlAnswer {
  if (now - record.mintedAt > RESPONSE_URL_TTL_MS) return { status: 404, body: { ok: false, error: 'expired_url' } };
  if (record.uses >= record.maxUses) return { status: 404, body: { ok: false, error: 'used_url' } };
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { status: 400, body: { ok: false, error: 'invalid_payload' } };
  }
  const args = payload as Record<string, unknown>;
  const original = record.channel !== undefined ? ws.message(record.channel, record.messageTs) : undefined;
  if (args.delete_original === true) {
    record.uses += 1;
    if (original !== undefined) ws.messages.delete(`${original.channel}/${original.ts}`);
    return { status: 200, body: { ok: true } };
  }
  const verdict = checkMessage(args, { blocksJsonLimit });
  if (!verdict.ok) {
    return { status: 400, body: { ok: false, error: verdict.error, response_metadata: { messages: verdict.issues.map(formatIssue) } } };
  }
  record.uses += 1;
  const content = {
    text: typeof args.text === 'string' ? args.text : undefined,
    blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
  };
  if (args.replace_original === true && original !== undefined) {
    ws.putMessage({ ...original, ...content });
  } else if (args.response_type === 'in_channel' && record.channel !== undefined) {
    const message: MessageRecord = { channel: record.channel, ts: ws.nextTs(), ...content };
    if (typeof args.thread_ts === 'string') message.threadTs = args.thread_ts;
    ws.putMessage(message);
  }
  return { status: 200, body: { ok: true } };
}
