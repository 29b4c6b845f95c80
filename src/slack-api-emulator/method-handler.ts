// Shared shape of the emulator's method handlers, for both fronts (HTTP for the tests, fetch for
// the console): what a handler receives and the helpers that build Slack-style answers and
// refusals. Handlers never touch HTTP.
import { checkMessageBlocks, formatIssue, type BlockKitIssue } from './block-kit-validator.ts';
import type { EmulatorProfile } from './profile.ts';
import type { MessageRecord, SlackWorkspace } from './workspace.ts';

export interface MethodContext<W = SlackWorkspace> {
  ws: W;
  /** Who the workspace is: team, bot identities, link formats. */
  profile: EmulatorProfile;
  /** Parsed arguments: form fields as strings, JSON-valued fields (blocks, view, files…) parsed. */
  args: Record<string, unknown>;
  /** `http://127.0.0.1:<port>`: for URLs the server hands out (upload URLs). */
  origin: string;
  blocksJsonLimit: number;
  /** The caller's own origin for chat.getPermalink links (the console's page); '' when links are absolute. */
  permalinkBase: string;
}

/** The JSON body of a Web API answer; Slack answers HTTP 200 with `ok: false` for method errors. */
export type MethodResult = Record<string, unknown> & { ok: boolean };
export type MethodHandler<W = SlackWorkspace> = (ctx: MethodContext<W>) => MethodResult;

export const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({ ok: false, error, ...extra });

/**
 * A refusal carrying Block Kit reasons the way Slack does: chat.* methods add a top-level
 * `errors` list; every method puts `[ERROR] … [json-pointer:…]` lines in response_metadata.
 */
export function refuse(error: string, issues: BlockKitIssue[], withErrorsList: boolean): MethodResult {
  const messages = issues.map(formatIssue);
  const errors = withErrorsList ? { errors: issues.map((i) => `${i.message} [json-pointer:${i.pointer}]`) } : {};
  return fail(error, { ...errors, response_metadata: { messages } });
}

/** Slack's refusal of a message's blocks (absent or null: none to check), chat.*-worded; undefined when accepted. */
export function blocksProblem(blocks: unknown): MethodResult | undefined {
  const verdict = checkMessageBlocks(blocks ?? undefined);
  return verdict.ok ? undefined : refuse(verdict.error, verdict.issues, true);
}

export const missingArgument = (name: string): MethodResult =>
  refuse('invalid_arguments', [{ pointer: `/${name}`, message: `missing required field: ${name}` }], false);

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A message as Slack returns it in `message` fields: posted by the bot user. */
export function messageJson(m: MessageRecord, profile: EmulatorProfile): Record<string, unknown> {
  const { team, bot } = profile;
  return {
    type: 'message',
    user: bot.userId,
    bot_id: bot.botId,
    app_id: bot.appId,
    team: team.id,
    ts: m.ts,
    text: m.text ?? '',
    ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
    ...(m.threadTs !== undefined ? { thread_ts: m.threadTs } : {}),
    ...(m.broadcast ? { subtype: 'thread_broadcast' } : {}),
    ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
    ...(m.edited !== undefined ? { edited: m.edited } : {}),
    bot_profile: { id: bot.botId, app_id: bot.appId, name: bot.name, team_id: team.id },
  };
}
