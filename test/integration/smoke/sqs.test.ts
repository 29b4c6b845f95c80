// Smoke test: ElasticMQ from scripts/services.sh behaves like SQS where Redrive depends on it — a
// message received more than maxReceiveCount times moves to the DLQ, and a message move task
// (StartMessageMoveTask / ListMessageMoveTasks) brings it back to its source queue.
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dummyAwsCredentials, requireServices, uniqueName, waitFor } from '../../support/services.ts';

const services = inject('services');

describe.skipIf(!services)('SQS on ElasticMQ (real server)', () => {
  let sqs: SQSClient;
  const created: string[] = [];

  async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    created.push(QueueUrl!);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  async function visibleCount(url: string): Promise<number> {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  beforeAll(() => {
    const { endpoint, region } = requireServices(services).sqs;
    sqs = new SQSClient({ endpoint, region, credentials: dummyAwsCredentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    for (const url of created) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    sqs?.destroy();
  });

  it('moves a message received more than maxReceiveCount times to the DLQ, and a move task brings it back', async () => {
    const { region, accountId } = requireServices(services).sqs;
    const dlqName = uniqueName('smoke-dlq');
    const dlq = await createQueue(dlqName);
    expect(dlq.arn).toBe(`arn:aws:sqs:${region}:${accountId}:${dlqName}`);
    const source = await createQueue(uniqueName('smoke-src'), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: '{"order":42}' }));

    // With VisibilityTimeout 0 every receive returns the message at once and counts; the receive
    // after the second moves it to the DLQ instead.
    let receives = 0;
    await waitFor(
      async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0, WaitTimeSeconds: 0 }),
        );
        receives += Messages?.length ?? 0;
        return (await visibleCount(dlq.url)) === 1;
      },
      { timeoutMs: 20_000, description: 'message moved to the DLQ' },
    );
    expect(receives).toBe(2);
    expect(await visibleCount(source.url)).toBe(0);

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toBeTruthy();

    const task = await waitFor(
      async () => {
        const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
        return Results?.find((r) => r.Status === 'COMPLETED');
      },
      { timeoutMs: 20_000, description: 'message move task COMPLETED' },
    );
    expect(task).toMatchObject({ SourceArn: dlq.arn, ApproximateNumberOfMessagesMoved: 1 });

    const back = await waitFor(
      async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, WaitTimeSeconds: 1 }));
        return Messages?.[0];
      },
      { timeoutMs: 20_000, description: 'message back in the source queue' },
    );
    expect(back.Body).toBe('{"order":42}');
    expect(await visibleCount(dlq.url)).toBe(0);

    // Not asserted: cancelling the finished task. SQS refuses it; ElasticMQ 1.7.1 sometimes accepts it
    // for a while after COMPLETED (it failed 6 runs of 8), so a test of it only tests the emulator's timing.
  });

  it('cancels a running message move task', async () => {
    const dlq = await createQueue(uniqueName('smoke-dlq'));
    const target = await createQueue(uniqueName('smoke-target'));
    for (let i = 0; i < 5; i += 1) {
      await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: `m${i}` }));
    }
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: target.arn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(Results?.[0]).toMatchObject({ TaskHandle, Status: 'RUNNING', ApproximateNumberOfMessagesToMove: 5 });

    const { ApproximateNumberOfMessagesMoved: moved } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(moved).toBeLessThan(5);
    // SQS lists a cancelled task as CANCELLED; ElasticMQ (1.7.1) drops it from the list.
    await waitFor(
      async () => {
        const after = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
        return (after.Results ?? []).every((r) => r.Status !== 'RUNNING' && r.Status !== 'CANCELLING');
      },
      { description: 'move task no longer running' },
    );
    const [left, arrived] = await Promise.all([visibleCount(dlq.url), visibleCount(target.url)]);
    expect(left).toBeGreaterThan(0);
    expect(left + arrived).toBe(5);
  });

  it('has the queues its config file defines: smoke-src redrives to smoke-src-dlq after 3 receives', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'smoke-src' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: expect.stringMatching(/:smoke-src-dlq$/),
      maxReceiveCount: 3,
    });
  });

  it('reports a missing queue as the SDK error the adapter translates', async () => {
    const error = await sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName('smoke-missing') })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
