// The SNS envelope as SNS itself writes it: moto's SNS delivers a publish to a subscribed (moto) SQS
// queue with raw delivery off, which is the body an SNS subscription DLQ holds. That body, carried
// into ElasticMQ unchanged, is recognised (topic, inner Message) by peek/view and replayed as is.

import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../../src/adapters/outbound/sqs/sqs-client.ts';
import { createSqsBackends } from '../../../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { mapDlqMessage } from '../../../src/core/analysis/field-mapping.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { uniqueName, waitFor } from '../../support/services.ts';
import { createQueue, deleteQueues, motoEndpoint, services, sqsEndpoint, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from './sqs-test-env.ts';

describe.skipIf(!services)('SNS subscription DLQ: the envelope moto SNS writes, on ElasticMQ', () => {
  let sns: SNSClient;
  let motoSqs: SQSClient;
  let elasticmq: SQSClient;
  let topicArn: string;
  let motoQueueUrl: string;
  let dlq: CreatedQueue;
  const inner = JSON.stringify({ invoice_id: 'inv-42', error_message: 'HTTP 503 from billing' });

  beforeAll(async () => {
    const moto = motoEndpoint();
    sns = new SNSClient({ endpoint: moto.endpoint, region: moto.region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    motoSqs = createSqsClient({ endpoint: moto.endpoint, region: moto.region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    elasticmq = testSqsClient();
    topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('invoices') }))).TopicArn ?? '';
    motoQueueUrl = (await motoSqs.send(new CreateQueueCommand({ QueueName: uniqueName('sns-sub') }))).QueueUrl ?? '';
    const arn = (await motoSqs.send(new GetQueueAttributesCommand({ QueueUrl: motoQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
    dlq = await createQueue(elasticmq, uniqueName('sns-dlq'));
  });
  afterAll(async () => {
    await sns?.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await motoSqs?.send(new DeleteQueueCommand({ QueueUrl: motoQueueUrl }));
    await deleteQueues(elasticmq, dlq.url);
    for (const client of [sns, motoSqs, elasticmq]) client?.destroy();
  });

  it('recognises the real envelope: topic as origin, the inner Message mapped and shown', async () => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'invoice', Message: inner, MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } } }));
    const envelope = await waitFor(async () => (await motoSqs.send(new ReceiveMessageCommand({ QueueUrl: motoQueueUrl, WaitTimeSeconds: 1 }))).Messages?.[0]?.Body, { description: 'the SNS delivery' });
    await elasticmq.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: envelope }));

    const parsed = parseConfig({ aws: { region: sqsEndpoint().region, sqsEndpoint: sqsEndpoint().endpoint }, queues: [{ name: 'invoices-dlq', kind: 'sqs', queueUrl: dlq.url }] });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const [backend] = createSqsBackends(parsed.config.aws, parsed.config.queues, systemClock, TEST_CREDENTIALS);
    const [message] = (await backend?.dlq.peek({ limit: 1, timeoutMs: 5_000 })) ?? [];
    expect(message?.body).toBe(envelope);
    const mapped = mapDlqMessage(message!);
    expect(mapped.framework).toMatchObject({ framework: 'aws-sns', payload: inner, origin: `topic ${topicArn.split(':').pop()}`, originalTopic: null });
    expect(mapped.framework?.facts.find((f) => f.label === 'topic')?.value).toBe(topicArn);
    expect(mapped.framework?.facts.find((f) => f.label === 'SNS attributes')?.value).toBe('tenant');
    expect(mapped.errorText).toBe('HTTP 503 from billing');
  });
});
