// KafkaReplayTarget: produces DLQ message copies to the replay topic (runbook: back to
// `downloads.pending`) with the retry count reset to 0, the same key, and headers naming the origin
// and the operator; acks from all in-sync replicas. It never touches the DLQ offset. Without a
// configured replay topic, each copy goes to the original topic its framework headers name (Kafka
// Connect, Spring Kafka), which the app layer has the operator confirm first. Unedited records whose
// text is lossy (binary key, value or headers) are sent from their own bytes.

import type { Producer, IHeaders } from 'kafkajs';
import { setRetryCount, type FieldMapping } from '../../../core/analysis/field-mapping.ts';
import { recogniseFramework } from '../../../core/analysis/framework-metadata/recognise-framework.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import type { OutgoingMessage, ReplayTarget, SendResult } from '../../../ports/replay-target.port.ts';
import { translateKafkaError } from './kafka-errors.ts';
import { rawRecordOf } from './kafka-record-mapper.ts';
import type { KafkaWire } from './kafka-wire.ts';

export const REPLAY_HEADERS = {
  originTopic: 'x-redrive-origin-topic',
  originPartition: 'x-redrive-origin-partition',
  originOffset: 'x-redrive-origin-offset',
  replayedBy: 'x-redrive-replayed-by',
  jobId: 'x-redrive-job-id',
} as const;

export interface KafkaReplayTargetOptions {
  clients: { wire: KafkaWire; producer(): Promise<Producer> };
  /** Where copies go; null: each message to the original topic its framework headers name (destinationOf). */
  topic: string | null;
  /** The DLQ topic the messages come from, for the origin headers. */
  originTopic: string;
  /** The queue's field mapping: where the retry count lives (body paths, header names). */
  mapping: FieldMapping;
  /** Broker-side wait for the in-sync replicas (default 15 s). */
  ackTimeoutMs?: number;
  /** Keys replayed at the same time (default 16); one key's messages go one after another, in order. */
  concurrency?: number;
}

const pathsOf = (path: FieldMapping['retryCount']): readonly string[] => (typeof path === 'string' ? [path] : path);

export class KafkaReplayTarget implements ReplayTarget {
  readonly description: string;
  readonly topic: string | null;
  /** Present only without a fixed topic: the app layer has the operator confirm each original topic. */
  readonly destinationOf?: (message: DlqMessage) => string | null;
  readonly #options: KafkaReplayTargetOptions;
  readonly #retryHeaders: Set<string>;

  constructor(options: KafkaReplayTargetOptions) {
    this.#options = options;
    this.topic = options.topic;
    this.description = options.topic === null ? 'kafka:<original topic>' : `kafka:${options.topic}`;
    if (options.topic === null) this.destinationOf = (message) => recogniseFramework(message)?.originalTopic ?? null;
    this.#retryHeaders = new Set(pathsOf(options.mapping.retryCount));
  }

  async send(messages: OutgoingMessage[]): Promise<SendResult> {
    const result: SendResult = { accepted: [], failed: [] };
    if (messages.length === 0) return result;
    const sendable: { message: OutgoingMessage; topic: string }[] = [];
    for (const message of messages) {
      const topic = this.topic ?? this.destinationOf?.(message.source) ?? null;
      if (topic === null) result.failed.push({ messageKey: message.source.messageKey, error: 'DLQ_REPLAY_NO_DESTINATION: no replay topic configured and the message names no original topic.', retriable: false });
      else sendable.push({ message, topic });
    }
    if (sendable.length === 0) return result;
    let producer: Producer;
    try {
      for (const topic of new Set(sendable.map((s) => s.topic))) await this.#options.clients.wire.partitions(topic);
      producer = await this.#options.clients.producer();
    } catch (error) {
      throw translateKafkaError(error, `replay to ${this.#describe(sendable[0]?.topic ?? null)}`, { destination: this.#describe(sendable[0]?.topic ?? null) });
    }
    // Same key → same partition, in order: a key's messages are sent one after the other.
    const lanes = new Map<string, { message: OutgoingMessage; topic: string }[]>();
    sendable.forEach((s, i) => {
      const lane = s.message.source.key === null ? `\u0000${i}` : `k:${s.topic}:${s.message.source.key}`;
      lanes.set(lane, [...(lanes.get(lane) ?? []), s]);
    });
    const queue = [...lanes.values()];
    const worker = async (): Promise<void> => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const { message, topic } of lane) await this.#sendOne(producer, message, topic, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(queue.length, this.#options.concurrency ?? 16) }, worker));
    return result;
  }

  /** One produce per message, so success and failure are known per message (kafkajs reports per partition). */
  async #sendOne(producer: Producer, message: OutgoingMessage, topic: string, result: SendResult): Promise<void> {
    const destination = this.#describe(topic);
    try {
      const [meta] = await producer.send({
        topic,
        acks: -1,
        timeout: this.#options.ackTimeoutMs ?? 15_000,
        messages: [this.#record(message)],
      });
      result.accepted.push({ messageKey: message.source.messageKey, destinationId: meta ? `${topic}/${meta.partition}@${meta.baseOffset}` : null });
    } catch (error) {
      const translated = translateKafkaError(error, `replay of ${message.source.messageKey} to ${destination}`, { destination });
      result.failed.push({ messageKey: message.source.messageKey, error: `${translated.code}: ${translated.message}`, retriable: translated.retriable });
    }
  }

  #describe(topic: string | null): string {
    return topic === null ? this.description : `kafka:${topic}`;
  }

  #record(message: OutgoingMessage): { key: Buffer | string | null; value: Buffer | string | null; headers: IHeaders } {
    const source = message.source;
    const raw = rawRecordOf(source);
    // A record a framework dead-lettered (Connect, Spring, or any other recognised one) is the
    // application's own message, not the runbook's envelope: its body goes back as it is, with no retry count added.
    const body = recogniseFramework(source) ? message.body : setRetryCount(message.body, this.#options.mapping, 0);
    // Unedited and not plain UTF-8 (or a null value): send the DLQ's own bytes.
    const value = raw && body === source.body ? raw.value : body;
    const headers: IHeaders = {};
    for (const [name, v] of Object.entries(raw ? raw.headers : source.attributes)) {
      if (name.startsWith('x-redrive-')) continue;
      headers[name] = this.#retryHeaders.has(name) ? '0' : v;
    }
    headers[REPLAY_HEADERS.originTopic] = this.#options.originTopic;
    if (source.partition !== null) headers[REPLAY_HEADERS.originPartition] = String(source.partition);
    if (source.offset !== null) headers[REPLAY_HEADERS.originOffset] = source.offset;
    headers[REPLAY_HEADERS.replayedBy] = message.actor;
    if (message.jobId) headers[REPLAY_HEADERS.jobId] = message.jobId;
    return { key: raw ? raw.key : source.key, value, headers };
  }
}
