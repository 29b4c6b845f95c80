// Kafka records as DLQ messages: `<partition>:<offset>` keys, bodies and headers as text, and the
// original bytes kept aside when text would not carry them exactly (not UTF-8, null value), so a
// replay sends what the DLQ holds byte for byte. Parses nothing inside bodies.

import { isUtf8 } from 'node:buffer';
import { BINARY_HEADER_PREFIX } from '../../../core/analysis/framework-metadata/header-bytes.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import type { WireRecord } from './kafka-wire.ts';

export interface KafkaMessageKey {
  partition: number;
  offset: bigint;
}

export const formatMessageKey = (partition: number, offset: bigint | string): string => `${partition}:${offset}`;

/** `3:1042` → partition 3, offset 1042; anything else is null. */
export const parseMessageKey = (key: string): KafkaMessageKey | null => {
  const match = /^(\d{1,9}):(\d{1,19})$/.exec(key.trim());
  if (!match) return null;
  const offset = BigInt(match[2] ?? '');
  return offset > 9_223_372_036_854_775_807n ? null : { partition: Number(match[1]), offset };
};

export type RawHeaders = Record<string, Buffer | Buffer[]>;

/** The bytes behind a message whose text form is lossy; absent for the usual UTF-8 record. */
export interface RawRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: RawHeaders;
}

// Keyed by the message object the adapter handed out: the replay target gets the same object back
// from checkout (app layer), and nothing is retained once the message is dropped.
const rawRecords = new WeakMap<DlqMessage, RawRecord>();

export const rawRecordOf = (message: DlqMessage): RawRecord | undefined => rawRecords.get(message);

const headerText = (value: Buffer | string): { text: string; lossless: boolean } => {
  if (typeof value === 'string') return { text: value, lossless: true };
  return isUtf8(value) ? { text: value.toString('utf8'), lossless: true } : { text: `${BINARY_HEADER_PREFIX}${value.toString('base64')}`, lossless: false };
};

const toBuffers = (value: Buffer | Buffer[] | string | undefined): Buffer[] => {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v));
};

/** Headers as text; repeated headers are joined with ", ", non-UTF-8 values shown as base64:... */
const headersAsText = (headers: WireRecord['headers']): { attributes: Record<string, string>; lossless: boolean } => {
  const attributes: Record<string, string> = {};
  let lossless = true;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const parts = (Array.isArray(value) ? value : [value]).map(headerText);
    if (parts.length !== 1 || parts.some((p) => !p.lossless)) lossless = false;
    attributes[name] = parts.map((p) => p.text).join(', ');
  }
  return { attributes, lossless };
};

export const toDlqMessage = (queue: string, partition: number, record: WireRecord): DlqMessage => {
  const value = record.value;
  const bodyLossless = value !== null && isUtf8(value);
  const { attributes, lossless } = Object.keys(record.headers).length === 0 ? { attributes: {}, lossless: true } : headersAsText(record.headers);
  const timestamp = Number(record.timestamp);
  const message: DlqMessage = {
    queue,
    messageKey: formatMessageKey(partition, record.offset),
    body: value === null ? '' : value.toString('utf8'),
    attributes,
    messageAttributes: {},
    enqueuedAt: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp) : null,
    receiveCount: null,
    partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    groupId: null,
    deduplicationId: null,
  };
  const keyLossless = record.key === null || isUtf8(record.key);
  if (!bodyLossless || !lossless || !keyLossless) {
    const headers: RawHeaders = {};
    for (const [name, v] of Object.entries(record.headers)) {
      const buffers = toBuffers(v);
      if (buffers.length > 0) headers[name] = buffers.length === 1 ? Buffer.from(buffers[0] as Buffer) : buffers.map((b) => Buffer.from(b));
    }
    // Copies: the decoded record points into the whole fetch response, which must not stay alive.
    const raw: RawRecord = { key: record.key === null ? null : Buffer.from(record.key), value: value === null ? null : Buffer.from(value), headers };
    rawRecords.set(message, raw);
    if (!bodyLossless || !keyLossless) message.bytes = { key: keyLossless ? null : raw.key, value: bodyLossless ? null : raw.value };
  }
  return message;
};
