// Maps a CloudWatch alarm state change (delivered through SNS) to a configured queue, a state and a
// level. Pure: the SNS adapter has already verified and parsed the message.

import type { JsonObject } from '../model.ts';
import { clip, sqsQueueNameOf, type AlertLevel, type AlertMapping, type AlertQueue } from './alert-mapping.ts';

export interface CloudWatchDimension {
  name: string;
  value: string;
}

/** The CloudWatch alarm notification body (the SNS Message), reduced to what Redrive reads. */
export interface CloudWatchAlarm {
  AlarmName: string;
  AlarmDescription?: string | null | undefined;
  AWSAccountId?: string | undefined;
  AlarmArn?: string | undefined;
  Region?: string | undefined;
  NewStateValue: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  OldStateValue?: string | undefined;
  NewStateReason?: string | undefined;
  StateChangeTime?: string | undefined;
  Trigger?:
    | {
        MetricName?: string | undefined;
        Namespace?: string | undefined;
        Statistic?: string | undefined;
        Threshold?: number | undefined;
        ComparisonOperator?: string | undefined;
        Period?: number | undefined;
        EvaluationPeriods?: number | undefined;
        Dimensions?: CloudWatchDimension[] | undefined;
        /** Metric-math alarms carry their dimensions per metric instead. */
        Metrics?: { MetricStat?: { Metric?: { Dimensions?: CloudWatchDimension[] | undefined } | undefined } | undefined }[] | undefined;
      }
    | undefined;
}

export interface CloudWatchDelivery {
  /** SNS MessageId: an SNS retry or a second replica sees the same one. */
  messageId: string;
  topicArn: string;
  alarm: CloudWatchAlarm;
}

export interface CloudWatchMappingOptions {
  /** Level a firing alarm implies, by alarm name; default `defaultLevel`. */
  levels?: Readonly<Record<string, AlertLevel>>;
  /** SPEC "Incidents and escalation": a CloudWatch ALARM implies L1 unless configured otherwise. */
  defaultLevel?: AlertLevel;
}

/** Every QueueName dimension of the alarm, plain or metric-math. */
export const queueNameDimensions = (alarm: CloudWatchAlarm): string[] => {
  const dimensions = [
    ...(alarm.Trigger?.Dimensions ?? []),
    ...(alarm.Trigger?.Metrics ?? []).flatMap((metric) => metric.MetricStat?.Metric?.Dimensions ?? []),
  ];
  return [...new Set(dimensions.filter((d) => d.name === 'QueueName').map((d) => d.value))];
};

/**
 * Finds the queue: an explicit `alarmNames` entry wins, then the QueueName dimension against the last
 * path segment of each SQS queue URL, then a queue named like the alarm.
 */
export const findQueueForAlarm = (alarm: CloudWatchAlarm, queues: readonly AlertQueue[]): AlertQueue | null => {
  const byAlarmName = queues.find((queue) => queue.alarmNames.includes(alarm.AlarmName));
  if (byAlarmName) return byAlarmName;
  for (const queueName of queueNameDimensions(alarm)) {
    const byDimension = queues.find((queue) => queue.kind === 'sqs' && sqsQueueNameOf(queue.queueUrl) === queueName);
    if (byDimension) return byDimension;
  }
  return queues.find((queue) => queue.name === alarm.AlarmName) ?? null;
};

const alarmDetails = (delivery: CloudWatchDelivery, level: AlertLevel | null): JsonObject => {
  const { alarm } = delivery;
  const trigger = alarm.Trigger;
  const details: JsonObject = {
    source: 'cloudwatch',
    alarmName: clip(alarm.AlarmName, 255),
    newState: alarm.NewStateValue,
    oldState: alarm.OldStateValue ?? null,
    reason: clip(alarm.NewStateReason ?? '', 1_000),
    stateChangeTime: alarm.StateChangeTime ?? null,
    alarmArn: alarm.AlarmArn ?? null,
    region: alarm.Region ?? null,
    topicArn: delivery.topicArn,
    messageId: delivery.messageId,
    level,
    metricName: trigger?.MetricName ?? null,
    namespace: trigger?.Namespace ?? null,
    threshold: trigger?.Threshold ?? null,
    comparison: trigger?.ComparisonOperator ?? null,
    queueNames: queueNameDimensions(alarm),
  };
  return details;
};

export const mapCloudWatchAlarm = (
  delivery: CloudWatchDelivery,
  queues: readonly AlertQueue[],
  options: CloudWatchMappingOptions = {},
): AlertMapping => {
  const { alarm } = delivery;
  const name = alarm.AlarmName;
  const dedupKey = `sns:${delivery.messageId}`;
  if (alarm.NewStateValue === 'INSUFFICIENT_DATA') {
    // Neither firing nor ok: a missing metric says nothing about the DLQ; the depth poller decides.
    return { kind: 'ignored', name, dedupKey, reason: 'INSUFFICIENT_DATA is neither firing nor ok; the depth poller keeps measuring the queue' };
  }
  const queue = findQueueForAlarm(alarm, queues);
  if (!queue) {
    const dims = queueNameDimensions(alarm);
    const lookedFor = `alarm name "${name}"${dims.length > 0 ? ` or QueueName ${dims.map((d) => `"${d}"`).join(', ')}` : ''}`;
    return { kind: 'unknown-queue', name, dedupKey, lookedFor };
  }
  const firing = alarm.NewStateValue === 'ALARM';
  const level = firing ? (options.levels?.[name] ?? options.defaultLevel ?? 'L1') : null;
  return {
    kind: 'mapped',
    alert: { queue: queue.name, state: firing ? 'firing' : 'ok', level, name, dedupKey, details: alarmDetails(delivery, level) },
  };
};
