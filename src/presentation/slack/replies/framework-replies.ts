// What replies add for messages written by frameworks and for binary payloads: one summary line and
// the fact rows of the framework's failure metadata (Kafka Connect and Spring Kafka headers decoded,
// Lambda and EventBridge attributes, the SNS envelope), for every renderer (SQS and Kafka peek, view,
// the View modal); binary keys and values as length + hex preview + Confluent schema id, SQS Binary
// attributes as length + hex preview; and the prompt that asks an operator to confirm a replay to the
// original topic. Pure. Security: all of it is queue text; callers pass it through reply-format's
// `cell`/`code`/`safeText`, and the hex preview holds no control characters.

import { binarySummary, describeBinary, describeBytes, hexPreview, type BinaryPayload } from '../../../core/analysis/binary-payload.ts';
import { recogniseFramework, type FrameworkMetadata } from '../../../core/analysis/framework-metadata/recognise-framework.ts';
import { context, section, type Reply } from '../block-kit/blocks.ts';
import { messageButtons } from '../block-kit/message-buttons.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import { reply, safeText } from './reply-format.ts';

/** Lines of a stack trace kept in a fact row (the rest is in the record's headers). */
const STACK_LINES = 4;
const HEX_DUMP_BYTES = 256;

export const frameworkOf = (message: DlqMessage): FrameworkMetadata | null => recogniseFramework(message);

/** The message's value as binary, or null when it is text. */
export const binaryValueOf = (message: DlqMessage): BinaryPayload | null => describeBinary(message.body, message.bytes?.value);

/** The message's Kafka key as binary, or null when it is text (or absent). */
export const binaryKeyOf = (message: DlqMessage): BinaryPayload | null => (message.key === null ? null : describeBinary(message.key, message.bytes?.key));

/**
 * An SQS Binary message attribute (base64) as what it is: `<binary, 7 bytes: 00 00 00 00 2a c3 28>`. No
 * schema id: the Confluent wire format is a Kafka key/value convention, not an attribute's.
 */
export const binaryAttributeText = (base64: string | undefined, previewBytes: number): string =>
  `<${binarySummary({ ...describeBytes(Buffer.from(base64 ?? '', 'base64'), previewBytes), schemaId: null })}>`;

/**
 * One line naming who wrote the message and why it failed: "Kafka Connect · org.apache…DataException ·
 * original topic orders · <message>", "EventBridge target DLQ · NO_PERMISSIONS · rule orders → arn:… · <message>".
 * `short` leaves out the error message and the envelope note (table cells).
 */
export const frameworkSummary = (framework: FrameworkMetadata, detail: 'full' | 'short' = 'full'): string =>
  [
    framework.label,
    framework.errorCode ?? framework.errorType,
    framework.originalTopic === null ? framework.origin : `original topic ${framework.originalTopic}`,
    ...(detail === 'full'
      ? [framework.errorMessage === null ? null : framework.errorMessage.slice(0, 200), framework.payload === null ? null : 'Message shown; replay sends the whole envelope']
      : []),
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');

/** Fact rows for `view`: who wrote the message and what it says (`framework`, as recognised), then the Kafka key, as hex when binary. */
export const frameworkRows = (message: DlqMessage, framework: FrameworkMetadata | null): [string, string][] => {
  const rows: [string, string][] = [];
  if (framework) {
    rows.push(['written by', framework.label]);
    for (const fact of framework.facts) {
      const value = /stack trace/.test(fact.label) ? fact.value.split('\n').slice(0, STACK_LINES).join(' | ') : fact.value;
      rows.push([fact.label, value]);
    }
  }
  const key = binaryKeyOf(message);
  if (key) rows.push(['key', binarySummary(key)]);
  else if (message.key !== null && message.partition !== null) rows.push(['key', message.key]);
  return rows;
};

/** A hex dump of the first bytes, 16 a line with offsets: what a binary body looks like in `view`. */
export const binaryBodyText = (message: DlqMessage, payload: BinaryPayload): string => {
  const bytes = message.bytes?.value ?? new TextEncoder().encode(message.body);
  const lines = [binarySummary(payload, false)];
  for (let at = 0; at < Math.min(bytes.length, HEX_DUMP_BYTES); at += 16) lines.push(`${at.toString(16).padStart(4, '0')}  ${hexPreview(bytes.subarray(at, at + 16), 16)}`);
  if (bytes.length > HEX_DUMP_BYTES) lines.push(`… ${bytes.length - HEX_DUMP_BYTES} more bytes`);
  return lines.join('\n');
};

export const BINARY_BODY_NOTE = 'Body is binary (not text): shown as hex. A replay sends its bytes (key, value, headers) exactly as received.';

/**
 * Nothing was sent: the queue names no replay topic and the message's headers name its original
 * topic. Says where it would go and how to confirm: a Replay button whose dialog names the topic, or
 * `--to <topic>` in a terminal. An edited body is confirmed from the terminal only (the button would
 * send the unedited message).
 */
export const renderReplayConfirmation = (
  queue: string,
  id: string,
  destination: string,
  options: { edited: boolean; inTerminal: boolean; keys?: readonly string[] },
): Reply => {
  const keys = options.keys ?? [];
  const terminal = `redrive dlq replay ${queue} ${id} --to ${destination}${options.edited ? ' --body-file edited.json' : ''}`;
  const text = `Not replayed yet: ${queue} has no replay topic configured, and ${id} names ${destination} as its original topic. Confirm to send it there.`;
  const button = options.edited || options.inTerminal ? null : messageButtons({ queue, id, to: destination }, 'replay_confirm', 'kafka', ['replay']);
  return reply(text, [
    section(`:question: Not replayed yet: *${safeText(queue, 200)}* has no replay topic configured, and \`${safeText(id, 200, keys)}\` names *${safeText(destination, 300, keys)}* as its original topic.`),
    ...(button ? [button] : []),
    context(`Confirm ${button ? 'with the button above, or ' : ''}in a terminal: \`${safeText(terminal, 1_000, keys)}\``),
  ], { keys });
};
