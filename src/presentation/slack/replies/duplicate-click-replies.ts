// The answer to a second click on a Replay / Resolve button (a double click or a Slack retry): who did
// it first and when, or that the first attempt failed, or that it is still running. Pure.

import { isSlackUserId } from '../../../core/text/slack-text.ts';
import type { ClickOutcome, OnceOp } from '../../../app/commands/command-middleware.ts';
import { section, type Reply } from '../block-kit/blocks.ts';
import { slackDate } from './incident-blocks.ts';
import { reply, safeText } from './reply-format.ts';

const PAST: Record<OnceOp, string> = { replay: 'replayed', resolve: 'resolved' };

const mention = (actor: string): string => (isSlackUserId(actor) ? `<@${actor}>` : safeText(actor, 80));

export const renderAlreadyDone = (op: OnceOp, id: string, outcome: ClickOutcome | null): Reply => {
  if (!outcome) {
    const text = `This message is already being ${PAST[op]} (a second click or a Slack retry); nothing was done twice.`;
    return reply(text, [section(`:hourglass: ${safeText(text, 500)}`)], { private: true });
  }
  const when = slackDate(outcome.at);
  if (outcome.result === 'failure') {
    const text = `A ${op} of ${id} by ${outcome.actor} failed: ${outcome.error ?? 'unknown error'}. Click again to retry.`;
    return reply(text, [section(`:x: A ${op} of \`${safeText(id, 200)}\` by ${mention(outcome.actor)} at ${when} failed: ${safeText(outcome.error ?? 'unknown error', 1_000)}. Click again to retry.`)], { private: true });
  }
  const text = `Already ${PAST[op]} by ${outcome.actor} at ${outcome.at.toISOString()}.`;
  return reply(text, [section(`:information_source: Already ${PAST[op]} by ${mention(outcome.actor)} at ${when}; nothing was done twice.`)], { private: true });
};
