// The least-privilege IAM policy for the configured SQS queues (`redrive iam-policy`): each AWS SDK
// command the SQS, CloudWatch and Step Functions adapters send, mapped to its IAM action and to the
// resource ARNs of exactly the queues, alarms and state machines in the config. Pure: reads no AWS.
//
// Adding an SDK call is one line in GRANTS (a test scans the adapters for every `new …Command(` and
// fails until it is there); a per-queue region is one line in regionOf.
// IAM action and resource types: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html,
// .../list_amazoncloudwatch.html, .../list_awsstepfunctions.html

import type { Config, SqsQueueConfig } from '../../../config/config.schema.ts';
import { runbookDepthAlarm } from '../cloudwatch/cloudwatch-queue-alarms.ts';

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** What one SQS queue of the config touches, as ARNs. */
interface QueueResources {
  dlq: string;
  /** Queues replays are sent to (replayTarget sqs, or the configured source queue). */
  replayQueues: string[];
  /** Where a message move task sends messages, when the config names it; [] for FIFO queues. */
  moveDestinations: string[];
  /** The DLQ as the source of move tasks; [] for FIFO queues (they take the manual path). */
  moveSources: string[];
  /** The DLQ, when its redrive source is looked up (ListDeadLetterSourceQueues). */
  sourceLookups: string[];
  alarms: string[];
  depthAlarm: string;
  stateMachines: string[];
  executions: string[];
}

interface Grant {
  /** The SDK command the adapters send (`new <command>Command(`). */
  command: string;
  action: `${'sqs' | 'cloudwatch' | 'states'}:${string}`;
  sid: string;
  /** Resource ARNs for one queue; '*' only for actions IAM does not scope to a resource. */
  on: (r: QueueResources) => string[];
}

const ANY = (): string[] => ['*'];

/** One line per SDK command: the IAM action it needs and on what. Batch calls need the single action. */
export const GRANTS: readonly Grant[] = [
  { command: 'ReceiveMessage', action: 'sqs:ReceiveMessage', sid: 'ReadDeadLetterQueues', on: (r) => [r.dlq] },
  { command: 'ChangeMessageVisibilityBatch', action: 'sqs:ChangeMessageVisibility', sid: 'ReadDeadLetterQueues', on: (r) => [r.dlq] },
  { command: 'DeleteMessageBatch', action: 'sqs:DeleteMessage', sid: 'ReadDeadLetterQueues', on: (r) => [r.dlq] },
  { command: 'GetQueueAttributes', action: 'sqs:GetQueueAttributes', sid: 'QueueAttributes', on: (r) => [r.dlq, ...r.moveDestinations] },
  { command: 'SendMessageBatch', action: 'sqs:SendMessage', sid: 'SendReplays', on: (r) => [...r.replayQueues, ...r.moveDestinations] },
  { command: 'ListDeadLetterSourceQueues', action: 'sqs:ListDeadLetterSourceQueues', sid: 'FindRedriveSources', on: (r) => r.sourceLookups },
  { command: 'StartMessageMoveTask', action: 'sqs:StartMessageMoveTask', sid: 'MessageMoveTasks', on: (r) => r.moveSources },
  { command: 'ListMessageMoveTasks', action: 'sqs:ListMessageMoveTasks', sid: 'MessageMoveTasks', on: (r) => r.moveSources },
  { command: 'CancelMessageMoveTask', action: 'sqs:CancelMessageMoveTask', sid: 'MessageMoveTasks', on: (r) => r.moveSources },
  { command: 'PutMetricAlarm', action: 'cloudwatch:PutMetricAlarm', sid: 'RunbookAlarms', on: (r) => [r.depthAlarm] },
  { command: 'DescribeAlarms', action: 'cloudwatch:DescribeAlarms', sid: 'ReadAlarms', on: (r) => [r.depthAlarm, ...r.alarms] },
  { command: 'DescribeAlarmsForMetric', action: 'cloudwatch:DescribeAlarmsForMetric', sid: 'ReadMetrics', on: ANY },
  { command: 'GetMetricData', action: 'cloudwatch:GetMetricData', sid: 'ReadMetrics', on: ANY },
  { command: 'StartExecution', action: 'states:StartExecution', sid: 'ReExecute', on: (r) => r.stateMachines },
  { command: 'DescribeExecution', action: 'states:DescribeExecution', sid: 'ReadExecutions', on: (r) => r.executions },
];

const partitionOf = (region: string): string => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (or the legacy `<region>.queue.amazonaws.com`). */
const parseQueueUrl = (url: string): { region: string | null; account: string; name: string } => {
  const { hostname, pathname } = new URL(url);
  const [account = '', name = ''] = pathname.split('/').filter(Boolean);
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(hostname)?.[1] ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com(\.cn)?$/.exec(hostname)?.[1] ?? null;
  return { region, account, name };
};

/** The queue's own region: its URL's, else the config's (a queues[].region field, where the schema has one, wins). */
const regionOf = (queue: SqsQueueConfig, url: string, aws: Config['aws']): string =>
  ('region' in queue && typeof queue.region === 'string' ? queue.region : null) ?? parseQueueUrl(url).region ?? aws.region;

export const sqsQueueArn = (url: string, fallbackRegion: string): string => {
  const { region, account, name } = parseQueueUrl(url);
  const r = region ?? fallbackRegion;
  return `arn:${partitionOf(r)}:sqs:${r}:${account}:${name}`;
};

/**
 * `arn:aws:states:<region>:<account>:stateMachine:<name>` → the executions of that machine only:
 * standard (`execution:<name>:<id>`) and, should the machine be an Express workflow, `express:<name>:<id>:<id>`.
 */
const executionsOf = (stateMachineArn: string): string[] => [
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`,
  `${stateMachineArn.replace(':stateMachine:', ':express:')}:*:*`,
];

export interface PolicyResult {
  policy: IamPolicy;
  /** Grants left out because the config does not name the resource (said on stderr). */
  notes: string[];
}

const queueResources = (queue: SqsQueueConfig, aws: Config['aws'], notes: string[]): QueueResources => {
  const region = regionOf(queue, queue.queueUrl, aws);
  const arn = (url: string): string => sqsQueueArn(url, regionOf(queue, url, aws));
  const { account, name } = parseQueueUrl(queue.queueUrl);
  const fifo = queue.fifo ?? queue.queueUrl.endsWith('.fifo');
  const target = queue.replayTarget;
  const sourceUrl = queue.sourceQueueUrl ?? null;
  const replayUrl = target.kind === 'sqs' ? target.queueUrl : target.kind === 'source' ? sourceUrl : null;
  const moveUrl = target.kind === 'sqs' ? target.queueUrl : sourceUrl;
  if (target.kind === 'source' && !sourceUrl) {
    notes.push(`${queue.name}: replays go to the DLQ's redrive source, which the config does not name; set sourceQueueUrl to grant sqs:SendMessage on it.`);
  } else if (!fifo && !moveUrl) {
    notes.push(`${queue.name}: redrive-all moves messages back to their original source, which the config does not name; set sourceQueueUrl to grant sqs:SendMessage on it.`);
  }
  const stateMachines = [queue.stateMachineArn, target.kind === 'stepfunctions' ? target.stateMachineArn : undefined].filter((a): a is string => Boolean(a));
  const alarmArn = (alarm: string): string => `arn:${partitionOf(region)}:cloudwatch:${region}:${account}:alarm:${alarm}`;
  return {
    dlq: arn(queue.queueUrl),
    replayQueues: replayUrl ? [arn(replayUrl)] : [],
    moveDestinations: !fifo && moveUrl ? [arn(moveUrl)] : [],
    moveSources: fifo ? [] : [arn(queue.queueUrl)],
    sourceLookups: target.kind === 'source' && !sourceUrl ? [arn(queue.queueUrl)] : [],
    alarms: queue.alarmNames.map(alarmArn),
    depthAlarm: alarmArn(runbookDepthAlarm(name, null).alarmName),
    stateMachines,
    executions: stateMachines.flatMap(executionsOf),
  };
};

/**
 * The policy for every SQS queue in the config: actions grouped into one statement per set of
 * resources, never a wildcard action. Kafka queues need no AWS permission. Null when no queue is SQS.
 */
export const buildIamPolicy = (config: Pick<Config, 'aws' | 'queues'>): PolicyResult | null => {
  const sqsQueues = config.queues.filter((q): q is SqsQueueConfig => q.kind === 'sqs');
  if (sqsQueues.length === 0) return null;
  const notes: string[] = [];
  const resources = sqsQueues.map((queue) => queueResources(queue, config.aws, notes));
  const statements = new Map<string, IamStatement>();
  for (const grant of GRANTS) {
    const arns = [...new Set(resources.flatMap(grant.on))].sort();
    if (arns.length === 0) continue;
    const key = `${grant.sid}\n${arns.join('\n')}`;
    const existing = statements.get(key);
    if (existing) {
      if (!existing.Action.includes(grant.action)) existing.Action.push(grant.action);
      continue;
    }
    const taken = [...statements.values()].filter((s) => s.Sid === grant.sid || s.Sid.startsWith(`${grant.sid}N`)).length;
    statements.set(key, { Sid: taken === 0 ? grant.sid : `${grant.sid}N${taken + 1}`, Effect: 'Allow', Action: [grant.action], Resource: arns });
  }
  return { policy: { Version: '2012-10-17', Statement: [...statements.values()] }, notes };
};
