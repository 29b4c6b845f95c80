// SQS queue helpers for tests and benchmarks on ElasticMQ: create a queue or a source + DLQ pair
// wired like the runbook's, seed messages in batches, read depths, delete. No vitest import, so
// bench/ scripts can use them outside the test runner. Tests only, never imported by src.

import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { uniqueName } from '../../support/services.ts';

/** A queue name no other test, worker or run uses (SQS: letters, digits, - and _, at most 80). */
export const uniqueQueueName = (prefix: string, fifo = false): string => `${uniqueName(prefix)}${fifo ? '.fifo' : ''}`;

export interface CreatedQueue {
  name: string;
  url: string;
  arn: string;
}

export const createQueue = async (client: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<CreatedQueue> => {
  const fifo = name.endsWith('.fifo');
  const created = await client.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { ...(fifo ? { FifoQueue: 'true' } : {}), ...attributes } }),
  );
  const url = created.QueueUrl ?? '';
  const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { name, url, arn: attrs.Attributes?.QueueArn ?? '' };
};

/** A source queue and its DLQ, wired with a redrive policy like the runbook's. */
export const createQueuePair = async (client: SQSClient, prefix: string, fifo = false): Promise<{ source: CreatedQueue; dlq: CreatedQueue }> => {
  const base = uniqueQueueName(prefix);
  const dlq = await createQueue(client, `${base}-dlq${fifo ? '.fifo' : ''}`);
  const source = await createQueue(client, `${base}${fifo ? '.fifo' : ''}`, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: '5' }),
  });
  return { source, dlq };
};

export const deleteQueues = async (client: SQSClient, ...urls: string[]): Promise<void> => {
  for (const url of urls) await client.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
};

export interface SeedMessage {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
}

export const sendMessages = async (client: SQSClient, url: string, messages: (string | SeedMessage)[]): Promise<void> => {
  const fifo = url.endsWith('.fifo');
  for (let i = 0; i < messages.length; i += 10) {
    const part = messages.slice(i, i + 10).map((m) => (typeof m === 'string' ? { body: m } : m));
    const response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: part.map((m, j) => ({
          Id: `s${j}`,
          MessageBody: m.body,
          ...(m.attributes ? { MessageAttributes: m.attributes } : {}),
          ...(fifo ? { MessageGroupId: m.groupId ?? 'g1', MessageDeduplicationId: randomUUID() } : {}),
        })),
      }),
    );
    if ((response.Failed ?? []).length > 0) throw new Error(`seeding failed: ${JSON.stringify(response.Failed)}`);
  }
};

export const queueDepth = async (client: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> => {
  const r = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(r.Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
};
