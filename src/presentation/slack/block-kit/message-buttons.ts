// The buttons under a DLQ message (peek results, the message modal): View, Replay with a confirm
// dialog, Edit and replay, Resolve (which opens a modal asking for a reason). Pure. The queue and id
// only travel in button values (never rendered as mrkdwn here), and the confirm text is escaped.

import { toSlackId } from '../../../core/text/slack-text.ts';
import type { QueueKind } from '../../../core/model.ts';
import { effectFor, REPLAY_EFFECT } from './backend-effects.ts';
import type { Block } from './blocks.ts';
import { bulkReplayButtonText, encodeMessageRef, JOB_ACTIONS, MESSAGE_ACTIONS, type MessageRef } from './interactive-actions.ts';
import { BLOCK_ID_MAX, BUTTON_VALUE_MAX } from './slack-limits.ts';

type Button = Record<string, unknown>;

// Compact on purpose: peek puts one of these under each message within Slack's ~13 KB message budget.
const button = (text: string, actionId: string, value: string, extra: Record<string, unknown> = {}): Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
  value,
  ...extra,
});

/**
 * Replay confirm: says what the backend does to the DLQ (SQS deletes after the send, Kafka keeps it).
 * With `ref.to` (no replay topic configured), the dialog names the original topic the copy goes to.
 */
const replayConfirm = (ref: MessageRef, kind: QueueKind | null): Record<string, unknown> => ({
  title: { type: 'plain_text', text: ref.to === undefined ? 'Replay this message?' : 'Replay to its original topic?' },
  // Slack caps a confirm's text at 300 characters: the ids are cut, never the effect.
  text: {
    type: 'mrkdwn',
    text: (ref.to === undefined
      ? `Replay ${toSlackId(ref.id, 60)}? ${effectFor(REPLAY_EFFECT, kind)}`
      : `Sends ${toSlackId(ref.id, 60)} to ${toSlackId(ref.to, 80)}, the original topic its headers name (the queue has no replay topic configured); the message stays in the DLQ topic until it is resolved.`
    ).slice(0, 300),
  },
  confirm: { type: 'plain_text', text: 'Replay' },
  deny: { type: 'plain_text', text: 'Cancel' },
});

export type MessageButton = 'view' | 'replay' | 'editReplay' | 'resolve';

/**
 * An actions block for one message, or null when its queue + id do not fit a button value.
 * `blockId` must be unique within the message or view. `ref.to` goes only into the Replay button.
 */
export const messageButtons = (ref: MessageRef, blockId: string, kind: QueueKind | null, which: readonly MessageButton[] = ['view', 'replay', 'resolve']): Block | null => {
  const plainRef = { queue: ref.queue, id: ref.id };
  const value = encodeMessageRef(plainRef);
  const replayValue = encodeMessageRef(ref);
  if (value === null || replayValue === null) return null;
  const all: Record<MessageButton, Button> = {
    view: button('View', MESSAGE_ACTIONS.view, value),
    replay: button(ref.to === undefined ? 'Replay' : 'Replay to original topic', MESSAGE_ACTIONS.replay, replayValue, { style: 'primary', confirm: replayConfirm(ref, kind) }),
    editReplay: button('Edit and replay', MESSAGE_ACTIONS.editReplay, value),
    resolve: button('Resolve', MESSAGE_ACTIONS.resolve, value, { style: 'danger' }),
  };
  return { type: 'actions', block_id: blockId.slice(0, BLOCK_ID_MAX), elements: which.map((w) => all[w]) };
};

/**
 * "Bulk replay…" and "Bulk resolve…" under a peek: open the bulk replay modal (count, rate, filters)
 * and the bulk resolve modal (count, filters, replayed before, reason) for the queue.
 */
export const bulkReplayButton = (queue: string): Block | null =>
  queue.length > BUTTON_VALUE_MAX
    ? null
    : { type: 'actions', block_id: 'peek_bulk', elements: [button(bulkReplayButtonText(JOB_ACTIONS.bulkReplay), JOB_ACTIONS.bulkReplay, queue), button('Bulk resolve…', JOB_ACTIONS.bulkResolve, queue)] };
