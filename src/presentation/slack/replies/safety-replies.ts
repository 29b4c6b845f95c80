// What safe redrive says (issue 14): a pre-flight block (which check, what it saw; an Override…
// button for Slack), the approval request with Approve / Reject, the request once decided, and the
// refusals. Pure renderers; queue text passes through reply-format's safeText.

import { context, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { SAFETY_ACTIONS, encodeMessageRef } from '../block-kit/interactive-actions.ts';
import { BUTTON_VALUE_MAX, SECTION_TEXT_MAX } from '../block-kit/slack-limits.ts';
import { slackDate } from './incident-blocks.ts';
import type { PreflightDecision, PreflightFailure } from '../../../core/safety/preflight-decision.ts';
import type { ApprovalFacts, ApprovalMessages, ApprovalOutcome, RedriveCommand } from '../../../app/jobs/safety/approval-messages.ts';
import { reply, safeText } from './reply-format.ts';
import { truncate } from '../../../core/text/truncate.ts';
import { isSlackUserId } from '../../../core/text/slack-text.ts';

const mention = (actor: string): string => (isSlackUserId(actor) ? `<@${actor}>` : safeText(actor, 80));

const failureLines = (failures: readonly PreflightFailure[]): string =>
  failures.map((f) => `• *${f.check === 'consumer-lag' ? 'consumer group' : f.check === 'http' ? 'health URL' : 'alarm'}* \`${safeText(f.target, 300)}\`: ${safeText(f.saw, 400)}`).join('\n');

/** What the job would do, in a few words: "redrive-batch of 500 message(s)". */
export const describeCommand = (command: RedriveCommand): string =>
  command.op === 'redrive-batch' && command.count !== null ? `redrive-batch of ${command.count} message(s)` : `${command.op} (every message${command.op === 'redrive-batch' ? ' the filter matches' : ''})`;

/** The Override… button's value: the command to run again with a reason, or null when it would not fit. */
export const encodeOverride = (command: RedriveCommand): string | null => {
  const value = JSON.stringify({ ...command, override: null });
  return value.length <= BUTTON_VALUE_MAX ? value : null;
};

export const decodeOverride = (value: string | null | undefined): RedriveCommand | null => {
  try {
    const parsed = JSON.parse(value ?? '') as Record<string, unknown>;
    if ((parsed.op === 'redrive-all' || parsed.op === 'redrive-batch') && typeof parsed.queue === 'string' && parsed.queue !== '') return parsed as unknown as RedriveCommand;
  } catch {
    // not ours
  }
  return null;
};

/**
 * The job did not start: each failing check and what it saw. `how`: where an admin may override
 * (a button in Slack, `--override` in the terminal), or a note when overriding is not offered here.
 */
export const renderPreflightBlocked = (command: RedriveCommand, decision: Extract<PreflightDecision, { verdict: 'blocked' }>, how: 'button' | 'flag' | string): Reply => {
  const title = `Pre-flight blocked ${describeCommand(command)} on ${command.queue}`;
  const note =
    how === 'button' || how === 'flag'
      ? `Nothing was replayed. Fix the downstream and try again, or, as an admin, start it anyway with a reason (${how === 'button' ? 'the Override… button, or ' : ''}\`--override "reason"\`; audited).`
      : how;
  const overrideValue = how === 'button' ? encodeOverride(command) : null;
  const blocks: Block[] = [
    section(truncate(`:no_entry: *Pre-flight blocked* ${safeText(describeCommand(command), 200)} on *${safeText(command.queue, 200)}*:\n${failureLines(decision.failures)}`, SECTION_TEXT_MAX)),
    ...(decision.passed.length > 0 ? [context(safeText(`Passed: ${decision.passed.join('; ')}`, 2_000))] : []),
    context(note),
    ...(overrideValue
      ? [{ type: 'actions', block_id: 'preflight_actions', elements: [{ type: 'button', action_id: SAFETY_ACTIONS.override, text: { type: 'plain_text', text: 'Override…' }, value: overrideValue }] }]
      : []),
  ];
  const plain = `${title}:\n${decision.failures.map((f) => `- ${f.check} ${f.target}: ${f.saw}`).join('\n')}`;
  return { ...reply(plain, blocks, { private: true }), terminal: `${plain}\n${how === 'flag' || how === 'button' ? 'Nothing was replayed. An admin may start it anyway: --override "reason" (audited).' : how}` };
};

const summary = (f: ApprovalFacts): string => {
  const planned = f.plannedCount === null ? 'an unknown number of messages (the depth could not be read)' : `${f.plannedCount} message(s)`;
  return `${mention(f.requestedBy)} asks to run *${safeText(describeCommand(f.command), 200)}* on *${safeText(f.command.queue, 200)}*: ${planned}, above this queue's approval bound of ${f.above}.`;
};

/** The request in the thread: who asks for what, until when, with Approve and Reject. */
export const renderApprovalRequest = (f: ApprovalFacts): Reply => {
  const value = encodeMessageRef({ queue: f.command.queue, id: f.requestId }) ?? '';
  const text = `Approval needed: ${describeCommand(f.command)} on ${f.command.queue} (request ${f.requestId})`;
  return reply(text, [
    section(`:raised_hand: *Approval needed.* ${summary(f)}`),
    ...(f.override ? [context(`Pre-flight overridden by the starter: ${safeText(f.override, 500)}`)] : []),
    context(`Another operator or admin must approve before ${slackDate(f.expiresAt)}; the request expires then. Request \`${safeText(f.requestId, 80)}\`.`),
    {
      type: 'actions',
      block_id: 'approval_actions',
      elements: [
        { type: 'button', action_id: SAFETY_ACTIONS.approve, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value },
        { type: 'button', action_id: SAFETY_ACTIONS.reject, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value },
      ],
    },
  ]);
};

/** The request message once decided: no buttons, who decided and when. */
export const renderApprovalDecided = (f: ApprovalFacts, decided: ApprovalOutcome): Reply => {
  const how =
    decided.outcome === 'expired'
      ? `:hourglass: *Expired* at ${slackDate(decided.at)} without approval; nothing was replayed. Start the job again to ask anew.`
      : decided.outcome === 'approved'
        ? `:white_check_mark: *Approved* by ${mention(decided.by)} at ${slackDate(decided.at)}; the job starts, progress follows in the thread.`
        : `:x: *Rejected* by ${mention(decided.by)} at ${slackDate(decided.at)}; nothing was replayed.`;
  const text = `${describeCommand(f.command)} on ${f.command.queue}: ${decided.outcome} (request ${f.requestId})`;
  return reply(text, [section(summary(f)), section(how)]);
};

/** The starter's answer: the job waits for a second person. */
export const renderApprovalRequested = (f: ApprovalFacts, posted: boolean): Reply => {
  const text = `Approval needed for ${describeCommand(f.command)} on ${f.command.queue}: request ${f.requestId}`;
  const where = posted ? 'The request is posted with Approve / Reject buttons' : `Another operator can run \`/dlq approve ${f.command.queue} ${f.requestId}\``;
  return reply(text, [
    section(`:raised_hand: ${summary(f)} It needs a second person's approval (two-person rule).`),
    context(`${where}; it expires at ${slackDate(f.expiresAt)}. Request \`${safeText(f.requestId, 80)}\`. Nothing was replayed yet.`),
  ], { private: true });
};

/** A refused click or command: why, in one sentence. */
export const renderApprovalRefused = (text: string): Reply => reply(text, [section(`:no_entry: ${safeText(text, 1_000)}`)], { private: true });

/** The approval requests' messages and answers, rendered for Slack (app/jobs/safety/approval-messages.ts). */
export const slackApprovalMessages: ApprovalMessages<Reply> = {
  request: (facts) => {
    const rendered = renderApprovalRequest(facts);
    return { text: rendered.text, blocks: rendered.blocks };
  },
  decided: (facts, outcome) => {
    const rendered = renderApprovalDecided(facts, outcome);
    return { text: rendered.text, blocks: rendered.blocks };
  },
  requested: renderApprovalRequested,
  refused: renderApprovalRefused,
  preflightBlocked: renderPreflightBlocked,
};
