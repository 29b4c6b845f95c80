// The bulk resolve modal (`resolve-batch` from Slack): count, the bulk filters, "replayed before" and a
// required reason, and the reader of its submission. Pure, like modals.ts whose inputs it shares.

import type { Block } from './blocks.ts';
import { VIEW_CALLBACKS } from './interactive-actions.ts';
import { encodeMetadata, esc, FIELDS, filterInputs, input, modal, mrkdwnSection, plainText, readFilterFields, valueOf, type ModalOrigin, type StateValues, type Submission, type View } from './modals.ts';
import { BULK_REASON_MAX, parseReplayedBefore, type DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { isFiltered } from '../../../core/analysis/replay-filter.ts';

export const BULK_RESOLVE_FIELDS = { replayedBefore: 'replayed_before' } as const;

export const bulkResolveModal = (queue: string, origin: ModalOrigin): View => {
  const blocks: Block[] = [
    mrkdwnSection(
      `Resolve messages of *${esc(queue, 200)}* (an admin operation): each is archived in Redrive's store with the reason, then deleted ` +
        '(SQS) or passed by the consumer group, whose offset moves only up to the lowest unresolved message of each partition (Kafka). ' +
        'Give a count, a filter, or both; messages that do not match stay in the DLQ.',
    ),
    input(FIELDS.count, 'How many messages (empty = every match)', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'e.g. 100' } }, { optional: true }),
    ...filterInputs('resolve-batch'),
    input(BULK_RESOLVE_FIELDS.replayedBefore, 'Only messages Redrive replayed before', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'e.g. 2026-12-04T15:00Z, 2h, now' } }, { optional: true, hint: 'A time, an age (2h: replayed at least 2 hours ago), or now (replayed at all).' }),
    input(FIELDS.reason, 'Reason', { type: 'plain_text_input', multiline: true, max_length: BULK_REASON_MAX, placeholder: { type: 'plain_text', text: 'e.g. presigned URLs expired; customers re-upload' } }),
  ];
  return modal('Bulk resolve', blocks, { callback_id: VIEW_CALLBACKS.bulkResolve, private_metadata: encodeMetadata({ queue, id: '' }, origin), submit: plainText('Resolve') });
};

export const readBulkResolveSubmission = (queue: string, values: StateValues): Submission<DlqCommand> => {
  const errors: Record<string, string> = {};
  const countText = valueOf(values, FIELDS.count);
  const count = countText === '' ? null : Number(countText);
  if (count !== null && !(Number.isInteger(count) && count > 0)) errors[FIELDS.count] = 'A positive whole number, or empty for every match.';
  const filter = readFilterFields(values, errors);
  const beforeText = valueOf(values, BULK_RESOLVE_FIELDS.replayedBefore);
  const replayedBefore = beforeText === '' ? null : parseReplayedBefore(beforeText);
  if (beforeText !== '' && replayedBefore === null) errors[BULK_RESOLVE_FIELDS.replayedBefore] = 'A time (2026-12-04T15:00Z), an age (2h), now, or empty.';
  const reason = valueOf(values, FIELDS.reason).slice(0, BULK_REASON_MAX);
  if (reason === '') errors[FIELDS.reason] = 'Say why these messages are resolved.';
  if (Object.keys(errors).length === 0 && count === null && !isFiltered(filter) && replayedBefore === null) {
    errors[FIELDS.count] = 'Give a count or at least one filter: resolving a whole DLQ unfiltered is not offered here.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { op: 'resolve-batch', queue, count, rate: null, ...(isFiltered(filter) ? { filter } : {}), ...(replayedBefore ? { replayedBefore } : {}), reason },
  };
};

