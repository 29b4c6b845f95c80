// What Replay, Resolve and bulk replay do to the DLQ, per backend, in the words every confirm dialog
// and form shows (and the README repeats). Pure. One place, so a dialog can never promise an SQS
// deletion on Kafka (where a replayed record stays in the topic until it is resolved) or the reverse.

import type { QueueKind } from '../../../core/model.ts';

/** Replay of one message (the Replay confirm, Edit and replay). */
export const REPLAY_EFFECT: Readonly<Record<QueueKind, string>> = {
  sqs: 'It is sent to the replay target, then deleted from the DLQ once the send is accepted.',
  kafka: 'A copy is produced to the replay topic; the message stays in the DLQ topic until it is resolved.',
};

/** Resolve of one message (the Resolve form). */
export const RESOLVE_EFFECT: Readonly<Record<QueueKind, string>> = {
  sqs: "Its body and attributes are archived in Redrive's store, then it is deleted from the DLQ.",
  kafka: "It is recorded as resolved in Redrive's store (body kept) and the consumer group's offset is committed up to the lowest unresolved offset; the record itself stays in the topic until retention removes it.",
};

/** Bulk replay (the Bulk replay form; `redrive-all` / `redrive-batch`). */
export const BULK_REPLAY_EFFECT: Readonly<Record<QueueKind, string>> = {
  sqs:
    'Leave the count empty and set no filter to replay every message with a message move task (≤ 500/s), which deletes each message from the DLQ as it moves it. ' +
    'FIFO queues, a count or a filter replay in batches of 10, each message deleted from the DLQ once its send is accepted.',
  kafka: 'Messages are produced to the replay topic in batches of 10 and stay in the DLQ topic until they are resolved.',
};

/** The effect for this backend, or both backends' effects when the kind is not known. */
export const effectFor = (effects: Readonly<Record<QueueKind, string>>, kind: QueueKind | null | undefined): string =>
  kind ? effects[kind] : `On SQS: ${effects.sqs} On Kafka: ${effects.kafka}`;
