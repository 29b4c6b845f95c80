// What `/dlq audit [ref]` searches for: a ref typed by a person turned into store queries. Pure.
// A ref may be an audit id, a Slack user (`<@U123>`, `<@U123|name>` or `U123`), a terminal actor
// (`cli:alice`), a configured queue name, or a message id, trace id, job id or incident id. A plain
// `@name` (Slack sends what was typed: the manifest keeps `should_escape: false`) is a user name the
// app layer resolves to member ids first (`userNameOf`, then `planUserSearch`).

import type { AuditQuery } from '../model.ts';
import { isSlackUserId } from '../text/slack-text.ts';

/** Records shown without a ref, and at most with one. */
export const AUDIT_DEFAULT_LIMIT = 20;

export type AuditRefKind = 'latest' | 'audit id' | 'user' | 'queue' | 'id';

export interface AuditSearchPlan {
  kind: AuditRefKind;
  /** Run each, merge by record id, newest first, keep AUDIT_DEFAULT_LIMIT. */
  queries: AuditQuery[];
}

const USER_NAME = /^@([^<>@|\n]{1,80})$/;
const MENTION = /^<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>$/;

export const planAuditSearch = (ref: string | null, queueNames: readonly string[]): AuditSearchPlan => {
  const limit = AUDIT_DEFAULT_LIMIT;
  const trimmed = ref?.trim() ?? '';
  if (trimmed === '') return { kind: 'latest', queries: [{ limit }] };
  const mention = MENTION.exec(trimmed);
  if (mention) return { kind: 'user', queries: [{ actor: mention[1] ?? '', limit }] };
  const numeric = /^#?(\d{1,15})$/.exec(trimmed);
  // A number is most likely an audit id, but SQS-style or job ids can be numeric too: search both.
  if (numeric) return { kind: 'audit id', queries: [{ id: Number(numeric[1]), limit: 1 }, { ref: trimmed, limit }] };
  if (queueNames.includes(trimmed)) return { kind: 'queue', queries: [{ queue: trimmed, limit }] };
  if ((isSlackUserId(trimmed) && trimmed.length >= 3) || trimmed.startsWith('cli:')) return { kind: 'user', queries: [{ actor: trimmed, limit }, { ref: trimmed, limit }] };
  return { kind: 'id', queries: [{ ref: trimmed, limit }] };
};

/** The name in a plain `@name` ref (as typed: a Slack name, display name or real name), else null. */
export const userNameOf = (ref: string | null): string | null => {
  const name = USER_NAME.exec(ref?.trim() ?? '')?.[1]?.trim() ?? '';
  return name === '' ? null : name;
};

/** The records of any of these Slack member ids (a name can match more than one person). */
export const planUserSearch = (userIds: readonly string[]): AuditSearchPlan => ({
  kind: 'user',
  queries: userIds.map((actor) => ({ actor, limit: AUDIT_DEFAULT_LIMIT })),
});
