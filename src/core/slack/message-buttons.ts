// The buttons under a DLQ message (peek results, the message modal): View, Replay with a confirm
// dialog, Edit and replay, Resolve (which opens a modal asking for a reason). Pure. The queue and id
// only travel in button values (never rendered as mrkdwn here), and the confirm text is escaped.

import { toSlackId } from '../text/slack-text.ts';
import type { QueueKind } from '../model.ts';
import { effectFor, REPLAY_EFFECT } from './backend-effects.ts';
import type { Block } from './blocks.ts';
import { bulkReplayButtonText, encodeMessageRef, JOB_ACTIONS, MESSAGE_ACTIONS, type MessageRef } from './interactive-actions.ts';

type Button = Record<string, unknown>;

// Compact on purpose: peek puts one of these under each message within Slack's ~13 KB message budget.
const button = (text: string, actionId: string, value: string, extra: Record<string, unknown> = {}): Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
  value,
  ...extra,
});

/** Replay confirm: says what the backend does to the DLQ (SQS deletes after the send, Kafka keeps it). */
const replayConfirm = (ref: MessageRef, kind: QueueKind | null): Record<string, unknown> => ({
  title: { type: 'plain_text', text: 'Replay this message?' },
  // Slack caps a confirm's text at 300 characters: the id is cut, never the effect.
  text: { type: 'mrkdwn', text: `Replay ${toSlackId(ref.id, 60)}? ${effectFor(REPLAY_EFFECT, kind)}`.slice(0, 300) },
  confirm: { type: 'plain_text', text: 'Replay' },
  deny: { type: 'plain_text', text: 'Cancel' },
});

export type MessageButton = 'view' | 'replay' | 'editReplay' | 'resolve';

/**
 * An actions block for one message, or null when its queue + id do not fit a button value.
 * `blockId` must be unique within the message or view.
 */
export const messageButtons = (ref: MessageRef, blockId: string, kind: QueueKind | null, which: readonly MessageButton[] = ['view', 'replay', 'resolve']): Block | null => {
  const value = encodeMessageRef(ref);
  if (value === null) return null;
  const all: Record<MessageButton, Button> = {
    view: button('View', MESSAGE_ACTIONS.view, value),
    replay: button('Replay', MESSAGE_ACTIONS.replay, value, { style: 'primary', confirm: replayConfirm(ref, kind) }),
    editReplay: button('Edit and replay', MESSAGE_ACTIONS.editReplay, value),
    resolve: button('Resolve', MESSAGE_ACTIONS.resolve, value, { style: 'danger' }),
  };
  return { type: 'actions', block_id: blockId.slice(0, 255), elements: which.map((w) => all[w]) };
};

/**
 * "Bulk replay…" and "Bulk resolve…" under a peek: open the bulk replay modal (count, rate, filters)
 * and the bulk resolve modal (count, filters, replayed before, reason) for the queue.
 */
export const bulkReplayButton = (queue: string): Block | null =>
  queue.length > 2_000
    ? null
    : { type: 'actions', block_id: 'peek_bulk', elements: [button(bulkReplayButtonText(JOB_ACTIONS.bulkReplay), JOB_ACTIONS.bulkReplay, queue), button('Bulk resolve…', JOB_ACTIONS.bulkResolve, queue)] };
