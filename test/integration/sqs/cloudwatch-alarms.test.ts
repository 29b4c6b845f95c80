// CloudWatch against moto through the configurable wire protocol: the runbook's depth alarm is
// created once and then left unchanged (idempotent), listed, and depth history comes from GetMetricData.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchClient, type CloudWatchProtocol } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import { CloudWatchQueueAlarms, DEPTH_METRIC } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-queue-alarms.ts';
import { motoEndpoint, services, TEST_CREDENTIALS, uniqueQueueName } from './sqs-test-env.ts';

describe.skipIf(!services).each<CloudWatchProtocol>(['json', 'query'])('CloudWatchQueueAlarms on moto (%s protocol)', (protocol) => {
  let client: CloudWatchClient;
  let region: string;
  beforeAll(() => {
    const moto = motoEndpoint();
    region = moto.region;
    client = createCloudWatchClient({ endpoint: moto.endpoint, region, protocol, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(() => client?.destroy());

  it('creates the runbook alarm once, then reports it unchanged, and updates it when the spec differs', async () => {
    const queue = uniqueQueueName('cw-dlq');
    const topic = `arn:aws:sns:${region}:000000000000:redrive-alerts`;
    const alarms = new CloudWatchQueueAlarms({ client, sqsQueueName: queue, alarmTopicArn: topic });
    const first = await alarms.ensureDepthAlarm();
    expect(first.result).toBe('created');
    expect(first.alarm).toMatchObject({ name: `${queue}-depth-alarm`, metric: DEPTH_METRIC, threshold: 10, periodSeconds: 300, evaluationPeriods: 2, actions: [topic] });
    expect((await alarms.ensureDepthAlarm()).result).toBe('unchanged');
    const stricter = new CloudWatchQueueAlarms({ client, sqsQueueName: queue, alarmTopicArn: topic, alarm: { threshold: 5 } });
    const updated = await stricter.ensureDepthAlarm();
    expect(updated.result).toBe('updated');
    expect(updated.alarm.threshold).toBe(5);
    const listed = await alarms.list();
    expect(listed.map((a) => a.name)).toEqual([`${queue}-depth-alarm`]);
  });

  it('reads depth history with GetMetricData', async () => {
    const queue = uniqueQueueName('cw-hist');
    const now = new Date();
    const minute = (n: number) => new Date(Math.floor(now.getTime() / 60_000) * 60_000 - n * 60_000);
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/SQS',
        MetricData: [3, 2, 1].map((ago, i) => ({
          MetricName: DEPTH_METRIC,
          Dimensions: [{ Name: 'QueueName', Value: queue }],
          Timestamp: minute(ago),
          Value: (i + 1) * 10,
        })),
      }),
    );
    const alarms = new CloudWatchQueueAlarms({ client, sqsQueueName: queue, alarmTopicArn: null });
    const points = await alarms.depthHistory({ since: minute(10), until: new Date(now.getTime() + 60_000), periodSeconds: 60 });
    expect(points.map((p) => p.value)).toEqual([10, 20, 30]);
    expect(points[0]!.at.getTime()).toBeLessThan(points[2]!.at.getTime());
  });
});
