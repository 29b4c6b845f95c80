// CloudWatchQueueAlarms: the runbook's depth alarm for one SQS queue (put-metric-alarm: visible
// messages, Average over 300 s, 2 periods, > 10, notifying the bot's SNS topic), created or updated
// idempotently, the queue's alarms listed, and depth history through GetMetricData.

import {
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmSummary, MetricPoint, QueueAlarms } from '../../../ports/queue-backend.port.ts';
import { translateAwsError } from '../sqs/sqs-errors.ts';

export const DEPTH_METRIC = 'ApproximateNumberOfMessagesVisible';
export const AGE_METRIC = 'ApproximateAgeOfOldestMessage';

export interface DepthAlarmSpec {
  alarmName: string;
  description: string;
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  alarmActions: string[];
}

export interface CloudWatchQueueAlarmsOptions {
  client: CloudWatchClient;
  /** The SQS queue name (the metric's QueueName dimension). */
  sqsQueueName: string;
  alarmTopicArn: string | null;
  /** Overrides of the runbook's alarm. */
  alarm?: Partial<DepthAlarmSpec>;
}

export const runbookDepthAlarm = (sqsQueueName: string, alarmTopicArn: string | null, overrides: Partial<DepthAlarmSpec> = {}): DepthAlarmSpec => ({
  alarmName: `${sqsQueueName}-depth-alarm`,
  description: `Alert when DLQ ${sqsQueueName} has more than ${overrides.threshold ?? 10} messages (Redrive)`,
  threshold: 10,
  periodSeconds: 300,
  evaluationPeriods: 2,
  alarmActions: alarmTopicArn ? [alarmTopicArn] : [],
  ...overrides,
});

const summarize = (alarm: MetricAlarm): AlarmSummary => ({
  name: alarm.AlarmName ?? '',
  metric: alarm.MetricName ?? '',
  threshold: alarm.Threshold ?? null,
  comparison: alarm.ComparisonOperator ?? null,
  periodSeconds: alarm.Period ?? null,
  evaluationPeriods: alarm.EvaluationPeriods ?? null,
  state: alarm.StateValue ?? null,
  actions: alarm.AlarmActions ?? [],
});

const matches = (alarm: MetricAlarm, spec: DepthAlarmSpec, queue: string): boolean =>
  alarm.MetricName === DEPTH_METRIC &&
  alarm.Namespace === 'AWS/SQS' &&
  alarm.Statistic === 'Average' &&
  alarm.Period === spec.periodSeconds &&
  alarm.EvaluationPeriods === spec.evaluationPeriods &&
  alarm.Threshold === spec.threshold &&
  alarm.ComparisonOperator === 'GreaterThanThreshold' &&
  (alarm.AlarmDescription ?? '') === spec.description &&
  JSON.stringify([...(alarm.AlarmActions ?? [])].sort()) === JSON.stringify([...spec.alarmActions].sort()) &&
  (alarm.Dimensions ?? []).some((d) => d.Name === 'QueueName' && d.Value === queue);

export class CloudWatchQueueAlarms implements QueueAlarms {
  readonly spec: DepthAlarmSpec;
  readonly #client: CloudWatchClient;
  readonly #queue: string;

  constructor(options: CloudWatchQueueAlarmsOptions) {
    this.#client = options.client;
    this.#queue = options.sqsQueueName;
    this.spec = runbookDepthAlarm(options.sqsQueueName, options.alarmTopicArn, options.alarm);
  }

  async ensureDepthAlarm(): Promise<{ result: 'created' | 'updated' | 'unchanged'; alarm: AlarmSummary }> {
    const existing = await this.#describe([this.spec.alarmName]);
    const current = existing[0];
    if (current && matches(current, this.spec, this.#queue)) return { result: 'unchanged', alarm: summarize(current) };
    await this.#call('PutMetricAlarm', () =>
      this.#client.send(
        new PutMetricAlarmCommand({
          AlarmName: this.spec.alarmName,
          AlarmDescription: this.spec.description,
          MetricName: DEPTH_METRIC,
          Namespace: 'AWS/SQS',
          Statistic: 'Average',
          Period: this.spec.periodSeconds,
          Threshold: this.spec.threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          Dimensions: [{ Name: 'QueueName', Value: this.#queue }],
          EvaluationPeriods: this.spec.evaluationPeriods,
          AlarmActions: this.spec.alarmActions,
          OKActions: this.spec.alarmActions,
          TreatMissingData: 'notBreaching',
        }),
      ),
    );
    const [after] = await this.#describe([this.spec.alarmName]);
    return {
      result: current ? 'updated' : 'created',
      alarm: after
        ? summarize(after)
        : { name: this.spec.alarmName, metric: DEPTH_METRIC, threshold: this.spec.threshold, comparison: 'GreaterThanThreshold', periodSeconds: this.spec.periodSeconds, evaluationPeriods: this.spec.evaluationPeriods, state: null, actions: this.spec.alarmActions },
    };
  }

  async list(): Promise<AlarmSummary[]> {
    const out = new Map<string, AlarmSummary>();
    for (const metric of [DEPTH_METRIC, AGE_METRIC, 'ApproximateNumberOfMessagesNotVisible']) {
      const response = await this.#call('DescribeAlarmsForMetric', () =>
        this.#client.send(new DescribeAlarmsForMetricCommand({ MetricName: metric, Namespace: 'AWS/SQS', Dimensions: [{ Name: 'QueueName', Value: this.#queue }] })),
      );
      // Filter again here: moto's Query protocol ignores the Dimensions filter.
      for (const alarm of response.MetricAlarms ?? []) {
        if ((alarm.Dimensions ?? []).some((d) => d.Name === 'QueueName' && d.Value === this.#queue)) out.set(alarm.AlarmName ?? '', summarize(alarm));
      }
    }
    for (const alarm of await this.#describe([this.spec.alarmName])) out.set(alarm.AlarmName ?? '', summarize(alarm));
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async depthHistory(range: { since: Date; until: Date; periodSeconds: number }): Promise<MetricPoint[]> {
    return this.metricHistory(DEPTH_METRIC, range, 'Maximum');
  }

  async oldestAgeSeconds(now: Date): Promise<number | null> {
    const points = await this.metricHistory(AGE_METRIC, { since: new Date(now.getTime() - 15 * 60_000), until: now, periodSeconds: 60 }, 'Maximum');
    return points.at(-1)?.value ?? null;
  }

  async metricHistory(metric: string, range: { since: Date; until: Date; periodSeconds: number }, stat: string): Promise<MetricPoint[]> {
    const points: MetricPoint[] = [];
    let nextToken: string | undefined;
    do {
      const response = await this.#call('GetMetricData', () =>
        this.#client.send(
          new GetMetricDataCommand({
            StartTime: range.since,
            EndTime: range.until,
            ScanBy: 'TimestampAscending',
            NextToken: nextToken,
            MetricDataQueries: [
              {
                Id: 'depth',
                MetricStat: {
                  Metric: { Namespace: 'AWS/SQS', MetricName: metric, Dimensions: [{ Name: 'QueueName', Value: this.#queue }] },
                  Period: range.periodSeconds,
                  Stat: stat,
                },
              },
            ],
          }),
        ),
      );
      for (const result of response.MetricDataResults ?? []) {
        (result.Timestamps ?? []).forEach((at, i) => points.push({ at: new Date(at), value: result.Values?.[i] ?? 0 }));
      }
      nextToken = response.NextToken;
    } while (nextToken);
    return points.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  async #describe(names: string[]): Promise<MetricAlarm[]> {
    const response = await this.#call('DescribeAlarms', () => this.#client.send(new DescribeAlarmsCommand({ AlarmNames: names })));
    return response.MetricAlarms ?? [];
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateAwsError(error, `CloudWatch ${what} for ${this.#queue}`, { queue: this.#queue });
    }
  }
}
