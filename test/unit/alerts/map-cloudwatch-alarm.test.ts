import { describe, expect, it } from 'vitest';
import { cloudWatchAlarmSchema } from '../../../src/adapters/inbound/sns/sns-message.schema.ts';
import { findQueueForAlarm, mapCloudWatchAlarm, queueNameDimensions } from '../../../src/core/alerts/map-cloudwatch-alarm.ts';
import { sqsQueueNameOf } from '../../../src/core/alerts/alert-mapping.ts';
import { TEST_QUEUES, cloudWatchAlarm } from '../../fixtures/alerts/alert-builders.ts';

const delivery = (alarm = cloudWatchAlarm()) => ({ messageId: 'msg-1', topicArn: 'arn:aws:sns:eu-west-1:123456789012:redrive-alarms', alarm });

describe('mapCloudWatchAlarm', () => {
  it('maps the captured ALARM to the queue whose URL ends with the QueueName dimension, firing at L1', () => {
    const mapping = mapCloudWatchAlarm(delivery(), TEST_QUEUES);
    expect(mapping).toMatchObject({
      kind: 'mapped',
      alert: { queue: 'orders-dlq', state: 'firing', level: 'L1', name: 'SQS-DLQ-orders-processing-dlq-visible', dedupKey: 'sns:msg-1' },
    });
    if (mapping.kind !== 'mapped') return;
    expect(mapping.alert.details).toMatchObject({
      newState: 'ALARM',
      oldState: 'OK',
      threshold: 10,
      metricName: 'ApproximateNumberOfMessagesVisible',
      queueNames: ['orders-processing-dlq'],
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:redrive-alarms',
    });
  });

  it.each([
    ['OK', 'ok', null],
    ['ALARM', 'firing', 'L1'],
  ] as const)('%s → state %s, level %s', (newState, state, level) => {
    expect(mapCloudWatchAlarm(delivery(cloudWatchAlarm({ NewStateValue: newState })), TEST_QUEUES)).toMatchObject({ kind: 'mapped', alert: { state, level } });
  });

  it('ignores INSUFFICIENT_DATA (neither firing nor ok) without looking for a queue', () => {
    expect(mapCloudWatchAlarm(delivery(cloudWatchAlarm({ NewStateValue: 'INSUFFICIENT_DATA' })), [])).toMatchObject({ kind: 'ignored', dedupKey: 'sns:msg-1' });
  });

  it('uses configured levels by alarm name, then the default level', () => {
    const alarm = cloudWatchAlarm({ AlarmName: 'orders-critical' });
    expect(mapCloudWatchAlarm(delivery(alarm), TEST_QUEUES, { levels: { 'orders-critical': 'L2' } })).toMatchObject({ alert: { level: 'L2' } });
    expect(mapCloudWatchAlarm(delivery(alarm), TEST_QUEUES, { defaultLevel: 'L3' })).toMatchObject({ alert: { level: 'L3' } });
  });

  it.each([
    ['an explicit alarmNames entry (wins over the dimension)', { AlarmName: 'orders-dlq-depth-high', queueName: 'billing-dlq' }, 'orders-dlq'],
    ['the QueueName dimension against the queue URL', { AlarmName: 'anything', queueName: 'billing-dlq' }, 'billing'],
    ['the alarm name equal to a queue name', { AlarmName: 'billing', queueName: 'nope' }, 'billing'],
    ['an alarm name naming a Kafka queue', { AlarmName: 'downloads-dlq', queueName: 'nope' }, 'downloads-dlq'],
  ])('finds the queue by %s', (_how, overrides, queue) => {
    expect(findQueueForAlarm(cloudWatchAlarm(overrides), TEST_QUEUES)?.name).toBe(queue);
  });

  it('reads QueueName from metric-math alarms too', () => {
    const alarm = cloudWatchAlarm({
      AlarmName: 'math',
      Trigger: { Metrics: [{ MetricStat: { Metric: { Dimensions: [{ name: 'QueueName', value: 'billing-dlq' }] } } }, {}] },
    });
    expect(queueNameDimensions(alarm)).toEqual(['billing-dlq']);
    expect(findQueueForAlarm(alarm, TEST_QUEUES)?.name).toBe('billing');
  });

  it('reports an unknown queue with what it looked for', () => {
    expect(mapCloudWatchAlarm(delivery(cloudWatchAlarm({ AlarmName: 'stray', queueName: 'stray-dlq' })), TEST_QUEUES)).toEqual({
      kind: 'unknown-queue',
      name: 'stray',
      dedupKey: 'sns:msg-1',
      lookedFor: 'alarm name "stray" or QueueName "stray-dlq"',
    });
  });

  it('clips the state reason so an alarm cannot carry a huge text', () => {
    const mapping = mapCloudWatchAlarm(delivery(cloudWatchAlarm({ NewStateReason: 'x'.repeat(5_000) })), TEST_QUEUES);
    expect(mapping.kind === 'mapped' && String(mapping.alert.details.reason).length).toBe(1_000);
  });

  it('accepts the captured alarm through the schema, with {Name, Value} dimensions normalised', () => {
    const parsed = cloudWatchAlarmSchema.parse({ ...cloudWatchAlarm(), Trigger: { Dimensions: [{ Name: 'QueueName', Value: 'billing-dlq' }] } });
    expect(parsed.Trigger?.Dimensions).toEqual([{ name: 'QueueName', value: 'billing-dlq' }]);
  });
});

describe('sqsQueueNameOf', () => {
  it.each([
    ['https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq', 'orders-dlq'],
    ['http://127.0.0.1:9324/000000000000/jobs.fifo/', 'jobs.fifo'],
    ['http://localhost:9324/queue/a%20b', 'a b'],
    ['plain-name', 'plain-name'],
  ])('%s → %s', (url, name) => {
    expect(sqsQueueNameOf(url)).toBe(name);
  });
});
