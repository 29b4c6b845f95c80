// The in-process emulator's use of the one Block Kit referee (block-kit-validator.ts): verdicts on a
// message's blocks and on a view, refusals worded as Slack's, and the two field readers the
// in-process methods share. Checks only; it stores nothing.
import { checkMessageBlocks as checkBlocks, checkView as checkViewOf, type BlockKitIssue } from './block-kit-validator.ts';
import { refuse as refuseWith } from './method-handler.ts';

type Json = Record<string, unknown>;
export type Refusal = { error: string; issues: BlockKitIssue[] };

/** A non-empty string argument, else null. */
export const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
/** A `blocks` argument that is an array, else null. */
export const blocksOf = (value: unknown): Json[] | null => (Array.isArray(value) ? (value as Json[]) : null);

/** Slack's verdict on a message's blocks (null, a blocks array or anything else): null when accepted. */
export const checkMessageBlocks = (blocks: unknown): Refusal | null => {
  const verdict = checkBlocks(blocks ?? undefined);
  return verdict.ok ? null : { error: verdict.error, issues: verdict.issues };
};

/** Slack's verdict on a modal or App Home view: null when accepted. */
export const checkView = (view: Json, kind: 'modal' | 'home'): Refusal | null => {
  const verdict = checkViewOf(view, kind);
  return verdict.ok ? null : { error: verdict.error, issues: verdict.issues };
};

/** A refusal the way Slack words it: chat.* add an `errors` list, every method `[ERROR]` lines. */
export const refuse = (verdict: Refusal, withErrors: boolean): Json => refuseWith(verdict.error, verdict.issues, withErrors);
