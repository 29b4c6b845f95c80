// Modal views Redrive opens (resolve with a reason, edit and replay, bulk replay) and the readers of
// their submissions. Pure: builders return view objects, readers turn `view.state.values` into a
// command or per-field errors (Slack's `response_action: errors`). Queue text is escaped; input
// elements are plain text, so a body shown there can never ping anyone.

import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { MAX_CANARY, MAX_RATE_PER_SECOND } from '../../../core/command/parse-dlq-command.ts';
import type { Block } from './blocks.ts';
import { BULK_REPLAY_LABELS, JOB_ACTIONS, VIEW_CALLBACKS, type MessageRef } from './interactive-actions.ts';
import { BULK_REPLAY_EFFECT, effectFor, REPLAY_EFFECT, RESOLVE_EFFECT } from './backend-effects.ts';
import type { QueueKind } from '../../../core/model.ts';
import { toSlackId } from '../../../core/text/slack-text.ts';
import { truncate } from '../../../core/text/truncate.ts';
import { isFiltered, parseDuration, type ReplayFilter } from '../../../core/analysis/replay-filter.ts';
import { PLAIN_TEXT_INPUT_MAX, MODAL_TITLE_MAX, SECTION_TEXT_MAX, VIEW_BLOCKS_MAX, PRIVATE_METADATA_MAX } from './slack-limits.ts';

export type View = Record<string, unknown> & { type: 'modal' | 'home'; blocks: Block[] };

export const REASON_MAX = 500;

export const plainText = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, MODAL_TITLE_MAX) });
export const mrkdwnSection = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_TEXT_MAX) } });
export const esc = (text: string, max = 300): string => toSlackId(text, max);

export const modal = (title: string, blocks: Block[], extra: Record<string, unknown> = {}): View => ({
  type: 'modal',
  title: plainText(title),
  close: plainText('Close'),
  blocks,
  ...extra,
});

/** A modal that only says something (an error, a refusal) where a modal was expected. */
export const noticeModal = (title: string, mrkdwnText: string): View => modal(title, [mrkdwnSection(mrkdwnText)]);

/** The blocks a use case rendered (the message view), in a modal that remembers where it came from. */
export const blocksModal = (title: string, blocks: Block[], ref: MessageRef, origin: ModalOrigin): View =>
  modal(title, blocks.slice(0, VIEW_BLOCKS_MAX), { callback_id: VIEW_CALLBACKS.message, private_metadata: encodeMetadata(ref, origin) });

export const FIELDS = {
  reason: 'reason',
  body: 'body',
  count: 'count',
  rate: 'rate',
  category: 'category',
  domain: 'domain',
  signature: 'signature',
  olderThan: 'older_than',
  override: 'preflight_override',
  canary: 'canary',
} as const;

export const input = (blockId: string, label: string, element: Record<string, unknown>, options: { optional?: boolean; hint?: string } = {}): Block => ({
  type: 'input',
  block_id: blockId,
  label: { type: 'plain_text', text: label },
  element: { action_id: blockId, ...element },
  optional: options.optional ?? false,
  ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
});

const refLine = (ref: MessageRef): string => `\`${esc(ref.id)}\` in *${esc(ref.queue, 200)}*`;

/** private_metadata (≤ 3,000 characters): the message (or queue) and where the modal came from. */
export const encodeMetadata = (ref: MessageRef, origin: ModalOrigin): string => {
  const value = JSON.stringify({ q: ref.queue, id: ref.id, c: origin.channel, m: origin.messageTs, t: origin.threadTs });
  return value.length <= PRIVATE_METADATA_MAX ? value : JSON.stringify({ q: ref.queue, id: ref.id });
};

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export const decodeMetadata = (metadata: string | undefined): { ref: MessageRef; origin: ModalOrigin } | null => {
  try {
    const parsed = JSON.parse(metadata ?? '') as Record<string, unknown>;
    const queue = str(parsed.q);
    if (!queue) return null;
    return { ref: { queue, id: str(parsed.id) ?? '' }, origin: { channel: str(parsed.c), messageTs: str(parsed.m), threadTs: str(parsed.t) } };
  } catch {
    return null;
  }
};

export const resolveModal = (ref: MessageRef, origin: ModalOrigin, kind: QueueKind | null): View =>
  modal('Resolve message', [
    mrkdwnSection(`Resolve ${refLine(ref)}? ${effectFor(RESOLVE_EFFECT, kind)}`),
    input(FIELDS.reason, 'Reason', { type: 'plain_text_input', multiline: true, max_length: REASON_MAX, placeholder: { type: 'plain_text', text: 'e.g. presigned URL expired, customer re-uploaded' } }),
  ], { callback_id: VIEW_CALLBACKS.resolve, private_metadata: encodeMetadata(ref, origin), submit: plainText('Resolve') });

/** The Edit and replay form's blocks (the listener adds callback, metadata and submit). */
export const editReplayBlocks = (ref: MessageRef, body: string, kind: QueueKind | null): Block[] => [
  mrkdwnSection(`Edit the body of ${refLine(ref)}, then replay it. The body must be valid JSON; nothing is sent otherwise. ${effectFor(REPLAY_EFFECT, kind)}`),
  input(FIELDS.body, 'Body (JSON)', { type: 'plain_text_input', multiline: true, initial_value: body, max_length: PLAIN_TEXT_INPUT_MAX }),
];

/** Wraps the blocks the `view` operation rendered for editing: a form when they hold the input. */
export const editReplayModal = (ref: MessageRef, blocks: Block[], origin: ModalOrigin): View =>
  blocks.some((b) => b.type === 'input')
    ? modal('Edit and replay', blocks, { callback_id: VIEW_CALLBACKS.editReplay, private_metadata: encodeMetadata(ref, origin), submit: plainText('Replay') })
    : modal('Edit and replay', blocks);

/** Where a modal came from, so its submission answers there: channel, clicked message, its thread. */
export interface ModalOrigin {
  channel: string | null;
  messageTs: string | null;
  threadTs: string | null;
}

/** The optional filter inputs of the bulk modals; `op` names the command whose flags they mirror. */
export const filterInputs = (op: 'redrive-batch' | 'resolve-batch'): Block[] => [
  input(FIELDS.category, 'Only this error category', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'e.g. transient' } }, { optional: true }),
  input(FIELDS.domain, 'Only this URL domain (and subdomains)', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'e.g. cdn.example.com' } }, { optional: true }),
  input(FIELDS.signature, 'Only this error signature (part of it)', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'as `analyze` shows it' } }, { optional: true }),
  input(FIELDS.olderThan, 'Only messages older than', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'e.g. 2h, 30m, 7d' } }, { optional: true, hint: `Filters use the queue's field mapping, like \`${op} --category/--domain/--signature/--older-than\`.` }),
];

/** The bulk replay form, titled as the button that opened it says (`BULK_REPLAY_LABELS`). */
export const bulkReplayModal = (queue: string, origin: ModalOrigin, kind: QueueKind | null, openedBy: string = JOB_ACTIONS.bulkReplay): View =>
  modal(BULK_REPLAY_LABELS[openedBy] ?? 'Bulk replay', [
    mrkdwnSection(`Replay messages of *${esc(queue, 200)}* back to their source (an admin operation). ${effectFor(BULK_REPLAY_EFFECT, kind)}`),
    input(FIELDS.count, 'How many messages (empty = all)', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'e.g. 100' } }, { optional: true }),
    input(FIELDS.rate, 'Rate, messages a second (empty = no cap)', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: `1 to ${MAX_RATE_PER_SECOND}` } }, { optional: true }),
    input(FIELDS.canary, 'Canary: replay this many first, watch for returns (0 = none)', { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'empty = the queue\'s setting' } }, { optional: true, hint: 'Any canary message back in the DLQ within the watch window pauses the job before the rest is replayed.' }),
    ...filterInputs('redrive-batch'),
    input(FIELDS.override, 'Override failing pre-flight checks: why', { type: 'plain_text_input', max_length: REASON_MAX, placeholder: { type: 'plain_text', text: 'empty = respect the checks' } }, { optional: true, hint: 'Admins only; audited with the checks overridden.' }),
  ], { callback_id: VIEW_CALLBACKS.bulkReplay, private_metadata: encodeMetadata({ queue, id: '' }, origin), submit: plainText('Start') });

/** `view.state.values` as Slack sends it: block_id → action_id → element state. */
export type StateValues = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

export const valueOf = (values: StateValues, field: string): string => (values[field]?.[field]?.value ?? '').trim();

export type Submission<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export const readResolveSubmission = (ref: MessageRef, values: StateValues): Submission<DlqCommand> => {
  const reason = valueOf(values, FIELDS.reason);
  if (reason === '') return { ok: false, errors: { [FIELDS.reason]: 'Say why this message is resolved.' } };
  return { ok: true, value: { op: 'resolve', queue: ref.queue, id: ref.id, reason: reason.slice(0, REASON_MAX) } };
};

export const readEditReplaySubmission = (ref: MessageRef, values: StateValues): Submission<DlqCommand> => {
  const raw = values[FIELDS.body]?.[FIELDS.body]?.value ?? '';
  try {
    JSON.parse(raw);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'parse error';
    return { ok: false, errors: { [FIELDS.body]: truncate(`Not valid JSON: ${why}. Nothing was sent.`, 150) } };
  }
  return { ok: true, value: { op: 'replay', queue: ref.queue, id: ref.id, body: raw } };
};

/** The filter inputs a bulk modal shares (category, domain, signature, older than); errors go into `errors`. */
export const readFilterFields = (values: StateValues, errors: Record<string, string>): ReplayFilter => {
  const olderText = valueOf(values, FIELDS.olderThan);
  const olderThanSeconds = olderText === '' ? null : parseDuration(olderText);
  if (olderThanSeconds === null && olderText !== '') errors[FIELDS.olderThan] = 'A duration like 90s, 30m, 2h or 7d, or empty.';
  const text = (field: string): string | null => valueOf(values, field).slice(0, 200) || null;
  return { category: text(FIELDS.category)?.toLowerCase() ?? null, domain: text(FIELDS.domain)?.toLowerCase() ?? null, signature: text(FIELDS.signature), olderThanSeconds };
};

export const readBulkSubmission = (queue: string, values: StateValues): Submission<DlqCommand> => {
  const errors: Record<string, string> = {};
  const countText = valueOf(values, FIELDS.count);
  const rateText = valueOf(values, FIELDS.rate);
  const count = countText === '' ? null : Number(countText);
  const rate = rateText === '' ? null : Number(rateText);
  if (count !== null && !(Number.isInteger(count) && count > 0)) errors[FIELDS.count] = 'A positive whole number, or empty for all.';
  if (rate !== null && !(Number.isFinite(rate) && rate > 0 && rate <= MAX_RATE_PER_SECOND)) errors[FIELDS.rate] = `A number from 1 to ${MAX_RATE_PER_SECOND}, or empty.`;
  const canaryText = valueOf(values, FIELDS.canary);
  const canary = canaryText === '' ? null : Number(canaryText);
  if (canary !== null && !(Number.isInteger(canary) && canary >= 0 && canary <= MAX_CANARY)) errors[FIELDS.canary] = `A whole number from 0 to ${MAX_CANARY}, or empty for the queue's setting.`;
  const filter = readFilterFields(values, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const overrideText = valueOf(values, FIELDS.override).slice(0, REASON_MAX);
  const override = overrideText === '' ? {} : { override: overrideText };
  // Everything, unfiltered: redrive-all (a message move task where the queue has one).
  const withCanary = canary === null ? {} : { canary };
  if (count === null && !isFiltered(filter)) return { ok: true, value: { op: 'redrive-all', queue, rate, ...override, ...withCanary } };
  return { ok: true, value: { op: 'redrive-batch', queue, count, rate, ...(isFiltered(filter) ? { filter } : {}), ...override, ...withCanary } };
};
