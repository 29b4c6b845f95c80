// Every action_id and view callback_id Redrive puts on a Slack surface, in one place: the renderers
// use them, the Bolt listeners register them, and the manifest test collects SLACK_ACTION_IDS. Also
// the button value codec (queue + message id, ≤ 2,000 characters as Slack allows). Pure.

import { INCIDENT_ACTIONS } from './incident-actions.ts';
import { BUTTON_VALUE_MAX } from './slack-limits.ts';

/** Buttons under each peeked message and in the message modal. */
export const MESSAGE_ACTIONS = {
  view: 'dlq_message_view',
  replay: 'dlq_message_replay',
  editReplay: 'dlq_message_edit_replay',
  resolve: 'dlq_message_resolve',
} as const;

/** Buttons on job messages and App Home. */
export const JOB_ACTIONS = {
  cancel: 'dlq_job_cancel',
  /** A job paused by its canary: replay the rest (runs `resume`). */
  continueAfterCanary: 'dlq_job_canary_continue',
  /** Opens the bulk replay modal (count, rate, filter) for a queue. */
  bulkReplay: 'dlq_bulk_replay',
  /** Opens the bulk resolve modal (count, filters, replayed before, reason) for a queue. */
  bulkResolve: 'dlq_bulk_resolve',
  /** App Home: re-read the queues. */
  refreshHome: 'dlq_home_refresh',
} as const;

/** Safe redrive (issue 14): the two-person approval buttons and the pre-flight override button. */
export const SAFETY_ACTIONS = {
  approve: 'dlq_approval_approve',
  reject: 'dlq_approval_reject',
  /** Opens the modal asking an admin why the job should start despite failing pre-flight checks. */
  override: 'dlq_preflight_override',
} as const;

/**
 * The two buttons that open the bulk replay modal, by action_id: the button reads `<label>…` and the
 * modal it opens is titled `<label>`, so what was clicked is what opens (Slack modal titles ≤ 24).
 */
export const BULK_REPLAY_LABELS: Readonly<Record<string, string>> = {
  [INCIDENT_ACTIONS.redriveAll]: 'Redrive all',
  [JOB_ACTIONS.bulkReplay]: 'Bulk replay',
};

/** A bulk replay button's text: its label and an ellipsis (it opens a form). */
export const bulkReplayButtonText = (actionId: string): string => `${BULK_REPLAY_LABELS[actionId] ?? 'Bulk replay'}…`;

/** Previous / Next under a peek with more messages than one Slack message holds. */
export const PEEK_PAGE_ACTIONS = {
  previous: 'dlq_peek_previous',
  next: 'dlq_peek_next',
} as const;

/** callback_id of each modal whose submission Redrive handles. */
export const VIEW_CALLBACKS = {
  message: 'dlq_message_modal',
  resolve: 'dlq_resolve_modal',
  editReplay: 'dlq_edit_replay_modal',
  bulkReplay: 'dlq_bulk_replay_modal',
  preflightOverride: 'dlq_preflight_override_modal',
  bulkResolve: 'dlq_bulk_resolve_modal',
} as const;

/** Every action_id Redrive renders (incident buttons included): what the listeners must cover. */
export const SLACK_ACTION_IDS: readonly string[] = [
  ...Object.values(INCIDENT_ACTIONS),
  ...Object.values(MESSAGE_ACTIONS),
  ...Object.values(JOB_ACTIONS),
  ...Object.values(SAFETY_ACTIONS),
  ...Object.values(PEEK_PAGE_ACTIONS),
];

export const SLACK_VIEW_CALLBACK_IDS: readonly string[] = Object.values(VIEW_CALLBACKS);

export interface MessageRef {
  queue: string;
  id: string;
  /** Replay buttons only: the destination the confirm dialog named (the original topic), confirmed by the click. */
  to?: string;
}

/** The value of a message button, or null when queue + id would not fit a button. */
export const encodeMessageRef = (ref: MessageRef): string | null => {
  const value = JSON.stringify(ref.to === undefined ? { q: ref.queue, id: ref.id } : { q: ref.queue, id: ref.id, to: ref.to });
  return value.length <= BUTTON_VALUE_MAX ? value : null;
};

/** Reads a message button value (or modal private_metadata); null when it is not one of ours. */
export const decodeMessageRef = (value: string | undefined | null): MessageRef | null => {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { q?: unknown }).q === 'string' && typeof (parsed as { id?: unknown }).id === 'string') {
      const { q, id, to } = parsed as { q: string; id: string; to?: unknown };
      if (q !== '' && id !== '') return typeof to === 'string' && to !== '' ? { queue: q, id, to } : { queue: q, id };
    }
  } catch {
    // not ours
  }
  return null;
};
