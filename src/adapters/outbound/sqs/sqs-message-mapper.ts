// Maps SQS wire messages to the port's DlqMessage and back to SendMessage attributes. Bodies pass
// through untouched: they are arbitrary text and are never parsed here.

import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { DlqMessage, MessageAttribute } from '../../../ports/dead-letter-queue.port.ts';

const toBase64 = (value: Uint8Array): string => Buffer.from(value).toString('base64');

export const toMessageAttributes = (wire: Record<string, MessageAttributeValue> | undefined): Record<string, MessageAttribute> => {
  const out: Record<string, MessageAttribute> = {};
  for (const [name, value] of Object.entries(wire ?? {})) {
    const attribute: MessageAttribute = { dataType: value.DataType ?? 'String' };
    if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.binaryValue = toBase64(value.BinaryValue);
    out[name] = attribute;
  }
  return out;
};

export const fromMessageAttributes = (attributes: Record<string, MessageAttribute>): Record<string, MessageAttributeValue> => {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wire: MessageAttributeValue = { DataType: value.dataType };
    if (value.stringValue !== undefined) wire.StringValue = value.stringValue;
    if (value.binaryValue !== undefined) wire.BinaryValue = Buffer.from(value.binaryValue, 'base64');
    out[name] = wire;
  }
  return out;
};

const toInt = (text: string | undefined): number | null => {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};

export const toDlqMessage = (queue: string, message: Message): DlqMessage => {
  const attributes: Record<string, string> = { ...(message.Attributes ?? {}) };
  const sent = toInt(attributes.SentTimestamp);
  return {
    queue,
    messageKey: message.MessageId ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: toMessageAttributes(message.MessageAttributes),
    enqueuedAt: sent === null ? null : new Date(sent),
    receiveCount: toInt(attributes.ApproximateReceiveCount),
    partition: null,
    offset: null,
    key: null,
    groupId: attributes.MessageGroupId ?? null,
    deduplicationId: attributes.MessageDeduplicationId ?? null,
  };
};

/** Splits a list into chunks of at most `size` (SQS batch calls take 10 entries). */
export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
