// The pre-flight Override… modal (issue 14): an admin types why a bulk replay should start despite
// failing checks; the submission runs the same command again with that reason. Pure: builder and reader.

import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { VIEW_CALLBACKS, type MessageRef } from './interactive-actions.ts';
import { encodeMetadata, modal, REASON_MAX, type ModalOrigin, type StateValues, type Submission, type View } from './modals.ts';
import { escapeMrkdwn } from '../../../core/text/escape-mrkdwn.ts';
import { truncate } from '../../../core/text/truncate.ts';

export const OVERRIDE_FIELD = 'override_reason';

/** `value`: the Override… button's value (the command as JSON), kept in the modal's metadata. */
export const overrideModal = (queue: string, value: string, origin: ModalOrigin): View =>
  modal('Override pre-flight', [
    { type: 'section', text: { type: 'mrkdwn', text: `Start the bulk replay of *${escapeMrkdwn(truncate(queue, 200))}* although pre-flight checks fail. Your reason is audited with the checks you override.` } },
    {
      type: 'input',
      block_id: OVERRIDE_FIELD,
      label: { type: 'plain_text', text: 'Why start it anyway?' },
      element: { type: 'plain_text_input', action_id: OVERRIDE_FIELD, multiline: true, max_length: REASON_MAX, placeholder: { type: 'plain_text', text: 'e.g. alarm is stale, consumer fixed in deploy 412' } },
    },
  ], { callback_id: VIEW_CALLBACKS.preflightOverride, private_metadata: encodeMetadata({ queue, id: value }, origin), submit: { type: 'plain_text', text: 'Start anyway' } });

/** The command from the metadata with the typed reason; an empty reason keeps the modal open. */
export const readOverrideSubmission = (decode: (value: string) => DlqCommand | null) => (ref: MessageRef, values: StateValues): Submission<DlqCommand> => {
  const reason = (values[OVERRIDE_FIELD]?.[OVERRIDE_FIELD]?.value ?? '').trim();
  if (reason === '') return { ok: false, errors: { [OVERRIDE_FIELD]: 'Say why the job should start despite the failing checks.' } };
  const command = decode(ref.id);
  if (!command) return { ok: false, errors: { [OVERRIDE_FIELD]: 'This form no longer names a job; start it again.' } };
  return { ok: true, value: { ...command, override: reason.slice(0, REASON_MAX) } as DlqCommand };
};
