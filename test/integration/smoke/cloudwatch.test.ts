// Smoke test: moto from scripts/services.sh serves CloudWatch metrics and alarms. moto speaks the AWS
// JSON 1.0 (awsQueryCompatible) and Query protocols, not RPC v2 CBOR, so the client names its protocol
// explicitly; a second check records that the installed client's default protocol works too.
import { AwsJson1_0Protocol } from '@aws-sdk/core/protocols';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dummyAwsCredentials, requireServices, uniqueName, waitFor } from '../../support/services.ts';

const services = inject('services');
const metricName = 'ApproximateNumberOfMessagesVisible';

describe.skipIf(!services)('CloudWatch on moto (real server)', () => {
  let cloudwatch: CloudWatchClient;
  const alarms: string[] = [];

  function makeClient(protocol: 'json' | 'default'): CloudWatchClient {
    const { endpoint, region } = requireServices(services).moto;
    return new CloudWatchClient({
      endpoint,
      region,
      credentials: dummyAwsCredentials,
      maxAttempts: 1,
      ...(protocol === 'json'
        ? {
            protocol: new AwsJson1_0Protocol({
              defaultNamespace: 'com.amazonaws.cloudwatch',
              serviceTarget: 'GraniteServiceVersion20100801',
              awsQueryCompatible: true,
            }),
          }
        : {}),
    });
  }

  async function putDepth(client: CloudWatchClient, namespace: string, queueName: string, at: Date): Promise<void> {
    await client.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: [3, 4].map((value) => ({
          MetricName: metricName,
          Dimensions: [{ Name: 'QueueName', Value: queueName }],
          Timestamp: at,
          Value: value,
          Unit: 'Count',
        })),
      }),
    );
  }

  async function maxDepth(client: CloudWatchClient, namespace: string, queueName: string, around: Date) {
    return waitFor(
      async () => {
        const { MetricDataResults } = await client.send(
          new GetMetricDataCommand({
            StartTime: new Date(around.getTime() - 10 * 60_000),
            EndTime: new Date(around.getTime() + 10 * 60_000),
            MetricDataQueries: [
              {
                Id: 'depth',
                MetricStat: {
                  Metric: { Namespace: namespace, MetricName: metricName, Dimensions: [{ Name: 'QueueName', Value: queueName }] },
                  Period: 60,
                  Stat: 'Maximum',
                },
              },
            ],
          }),
        );
        const depth = MetricDataResults?.find((r) => r.Id === 'depth');
        return depth?.Values?.length ? depth : undefined;
      },
      { description: 'metric data visible through GetMetricData' },
    );
  }

  beforeAll(() => {
    cloudwatch = makeClient('json');
  });

  afterAll(async () => {
    if (alarms.length > 0) await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: alarms }));
    cloudwatch?.destroy();
  });

  it('puts metric data and reads it back with GetMetricData', async () => {
    const namespace = uniqueName('Redrive/Smoke');
    const queueName = uniqueName('orders-dlq');
    const now = new Date();
    await putDepth(cloudwatch, namespace, queueName, now);
    const depth = await maxDepth(cloudwatch, namespace, queueName, now);
    expect(depth).toMatchObject({ StatusCode: 'Complete', Values: [4] });
  });

  it('puts an alarm, describes it, and reports a missing one as ResourceNotFound', async () => {
    const alarmName = uniqueName('smoke-dlq-depth');
    alarms.push(alarmName);
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarmName,
        Namespace: 'AWS/SQS',
        MetricName: metricName,
        Dimensions: [{ Name: 'QueueName', Value: 'orders-dlq' }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:123456789012:redrive-alarms'],
      }),
    );
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
    expect(MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: alarmName,
        MetricName: metricName,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'QueueName', Value: 'orders-dlq' }],
      }),
    ]);

    await expect(
      cloudwatch.send(new SetAlarmStateCommand({ AlarmName: `${alarmName}-missing`, StateValue: 'ALARM', StateReason: 'smoke' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound', $metadata: { httpStatusCode: 404 } });
  });

  it("also works with the client's default protocol (AWS JSON 1.0 in the installed @aws-sdk/client-cloudwatch)", async () => {
    const client = makeClient('default');
    try {
      const namespace = uniqueName('Redrive/Smoke');
      const queueName = uniqueName('orders-dlq');
      const now = new Date();
      await putDepth(client, namespace, queueName, now);
      expect(await maxDepth(client, namespace, queueName, now)).toMatchObject({ Values: [4] });
    } finally {
      client.destroy();
    }
  });
});
