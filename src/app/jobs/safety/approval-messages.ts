// What a two-person approval request says, as typed calls: the request posted with Approve / Reject,
// the request once decided, and the answers to the person who clicked or typed. The app decides when
// and where; presentation/slack/replies/safety-replies.ts renders them (slackApprovalMessages).

import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import type { PreflightDecision } from '../../../core/safety/preflight-decision.ts';
import type { ChatMessage } from '../../../ports/chat.port.ts';

/** The bulk replays that pre-flight and approval gate. */
export type RedriveCommand = Extract<DlqCommand, { op: 'redrive-all' | 'redrive-batch' }>;

export interface ApprovalFacts {
  requestId: string;
  command: RedriveCommand;
  requestedBy: string;
  plannedCount: number | null;
  above: number;
  expiresAt: Date;
  override: string | null;
}

export type ApprovalOutcome = { outcome: 'approved' | 'rejected'; by: string; at: Date } | { outcome: 'expired'; at: Date };

/** `R`: the answer a command handler returns to its transport (the router's reply). */
export interface ApprovalMessages<R> {
  /** The request, posted in the thread with Approve and Reject. */
  request(facts: ApprovalFacts): ChatMessage;
  /** The request message once decided: who decided and when, no buttons. */
  decided(facts: ApprovalFacts, outcome: ApprovalOutcome): ChatMessage;
  /** The starter's answer: the job waits for a second person (`posted`: the request message is up). */
  requested(facts: ApprovalFacts, posted: boolean): R;
  /** A refused click or command: why, in one sentence. */
  refused(text: string): R;
  /** Pre-flight blocked the approved job; `note` says what happens to the request. */
  preflightBlocked(command: RedriveCommand, decision: Extract<PreflightDecision, { verdict: 'blocked' }>, note: string): R;
}
