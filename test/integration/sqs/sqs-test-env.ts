// Shared set-up for the SQS integration tests: an SQS client on the loopback ElasticMQ started by the
// global setup, unique queue names, and queue creation/deletion helpers. Tests only, never imported by src.

import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../../src/adapters/outbound/sqs/sqs-client.ts';

export interface SqsEndpoint {
  endpoint: string;
  region: string;
  accountId: string;
}

/** The moto endpoint (CloudWatch, Step Functions) from the global setup, or REDRIVE_TEST_MOTO_ENDPOINT. */
export const motoEndpoint = (): { endpoint: string; region: string } => {
  let provided: { moto?: { endpoint: string; region: string } } | null = null;
  try {
    provided = (inject as (key: string) => unknown)('services') as { moto?: { endpoint: string; region: string } } | null;
  } catch {
    provided = null;
  }
  if (provided?.moto) return provided.moto;
  const endpoint = process.env.REDRIVE_TEST_MOTO_ENDPOINT;
  if (!endpoint) throw new Error('No moto endpoint: run through the integration project (scripts/services.sh) or set REDRIVE_TEST_MOTO_ENDPOINT.');
  return { endpoint, region: 'us-east-1' };
};

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The ElasticMQ endpoint from the vitest global setup (or REDRIVE_TEST_SQS_ENDPOINT when run alone). */
export const sqsEndpoint = (): SqsEndpoint => {
  let provided: { sqs?: SqsEndpoint } | null = null;
  try {
    provided = (inject as (key: string) => unknown)('services') as { sqs?: SqsEndpoint } | null;
  } catch {
    provided = null;
  }
  if (provided?.sqs) return provided.sqs;
  const endpoint = process.env.REDRIVE_TEST_SQS_ENDPOINT;
  if (!endpoint) throw new Error('No SQS endpoint: run through the integration project (scripts/services.sh) or set REDRIVE_TEST_SQS_ENDPOINT.');
  return { endpoint, region: 'us-east-1', accountId: '000000000000' };
};

export const testSqsClient = (maxAttempts = 2): SQSClient => {
  const { endpoint, region } = sqsEndpoint();
  return createSqsClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts });
};

export const uniqueQueueName = (prefix: string, fifo = false): string =>
  `${prefix}-${randomUUID().slice(0, 8)}${fifo ? '.fifo' : ''}`;

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
