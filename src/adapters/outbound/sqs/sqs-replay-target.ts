// SqsReplayTarget: sends DLQ message copies to an SQS queue with SendMessageBatch (10 a call), keeping
// message attributes, and on FIFO queues the MessageGroupId plus a deduplication id derived from the
// DLQ message and job, so a retried send inside SQS's 5-minute window is not delivered twice.

import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutgoingMessage, ReplayTarget, SendResult } from '../../../ports/replay-target.port.ts';
import { chunk, fromMessageAttributes } from './sqs-message-mapper.ts';
import { describeBatchFailure, translateAwsError } from './sqs-errors.ts';

export interface SqsReplayTargetOptions {
  client: SQSClient;
  queueUrl: string;
  /** Shown to people, e.g. the queue name. */
  label?: string;
}

/** Stable per (DLQ message, job): the same replay retried is deduplicated, a later replay is not. */
export const replayDeduplicationId = (message: OutgoingMessage): string =>
  createHash('sha256').update(`${message.source.queue}\u0000${message.source.messageKey}\u0000${message.jobId ?? 'single'}`).digest('hex');

const SENDER_FAULTS = new Set(['InvalidParameterValue', 'MissingParameter', 'InvalidMessageContents', 'InvalidAttributeValue', 'InvalidAttributeName']);

export class SqsReplayTarget implements ReplayTarget {
  readonly description: string;
  readonly queueUrl: string;
  readonly fifo: boolean;
  readonly #client: SQSClient;

  constructor(options: SqsReplayTargetOptions) {
    this.#client = options.client;
    this.queueUrl = options.queueUrl;
    this.fifo = options.queueUrl.endsWith('.fifo');
    this.description = `sqs:${options.label ?? options.queueUrl.split('/').pop() ?? options.queueUrl}`;
  }

  async send(messages: OutgoingMessage[]): Promise<SendResult> {
    const result: SendResult = { accepted: [], failed: [] };
    for (const part of chunk(messages, 10)) {
      const entries: SendMessageBatchRequestEntry[] = part.map((m, i) => ({
        Id: `r${i}`,
        MessageBody: m.body,
        ...(Object.keys(m.source.messageAttributes).length > 0 ? { MessageAttributes: fromMessageAttributes(m.source.messageAttributes) } : {}),
        ...(this.fifo
          ? {
              ...(m.source.groupId ? { MessageGroupId: m.source.groupId } : {}),
              MessageDeduplicationId: replayDeduplicationId(m),
            }
          : {}),
      }));
      let response;
      try {
        response = await this.#client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      } catch (error) {
        const translated = translateAwsError(error, `SendMessageBatch to ${this.description}`, { destination: this.description });
        // Nothing of this batch was accepted. Throw only when nothing at all was (port contract).
        if (result.accepted.length === 0 && result.failed.length === 0) throw translated;
        for (const m of part) result.failed.push({ messageKey: m.source.messageKey, error: `${translated.code}: ${translated.message}`, retriable: translated.retriable });
        continue;
      }
      for (const ok of response.Successful ?? []) {
        const m = part[Number(ok.Id?.slice(1))];
        if (m) result.accepted.push({ messageKey: m.source.messageKey, destinationId: ok.MessageId ?? null });
      }
      for (const bad of response.Failed ?? []) {
        const m = part[Number(bad.Id?.slice(1))];
        if (m) result.failed.push({ messageKey: m.source.messageKey, error: describeBatchFailure(bad), retriable: !bad.SenderFault && !SENDER_FAULTS.has(bad.Code ?? '') });
      }
    }
    return result;
  }
}
