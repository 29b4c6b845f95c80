// Smoke test: moto from scripts/services.sh serves SNS — a topic is created, listed, published to
// and deleted. (HTTP delivery to Redrive's own endpoint is covered by the alert route tests.)
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dummyAwsCredentials, requireServices, uniqueName } from '../../support/services.ts';

const services = inject('services');

describe.skipIf(!services)('SNS on moto (real server)', () => {
  let sns: SNSClient;
  const topics: string[] = [];

  beforeAll(() => {
    const { endpoint, region } = requireServices(services).moto;
    sns = new SNSClient({ endpoint, region, credentials: dummyAwsCredentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    for (const arn of topics) await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    sns?.destroy();
  });

  it('creates a topic, lists it and publishes to it', async () => {
    const name = uniqueName('smoke-alarms');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    topics.push(TopicArn!);
    expect(TopicArn).toMatch(new RegExp(`^arn:aws:sns:${requireServices(services).moto.region}:\\d{12}:${name}$`));

    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toContain(TopicArn);

    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Subject: 'ALARM: orders-dlq depth', Message: JSON.stringify({ AlarmName: 'x' }) }),
    );
    expect(MessageId).toBeTruthy();

    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes?.TopicArn).toBe(TopicArn);
  });
});
