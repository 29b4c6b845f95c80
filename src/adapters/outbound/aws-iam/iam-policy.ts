// The least-privilege IAM policy for the configured SQS queues (`redrive iam-policy`): each AWS SDK
// command the SQS, CloudWatch and Step Functions adapters send, mapped to its IAM action and to the
// resource ARNs of exactly the queues, alarms and state machines in the config. Pure: reads no AWS.
//
// Adding an SDK call is one line in GRANTS (a test scans the adapters for every `new …Command(` and
// fails until it is there); a queue's region is one line in regionOf, its credentials one in roleOf.
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

/** The region of a queue's CloudWatch metrics and alarms: queues[].region where the schema has it, else its URL's, else aws.region. */
const regionOf = (queue: SqsQueueConfig, aws: Config['aws']): string =>
  ('region' in queue && typeof queue.region === 'string' ? queue.region : null) ?? parseQueueUrl(queue.queueUrl).region ?? aws.region;

/** The IAM role a queue's AWS calls run under (queues[].assumeRoleArn where the schema has it), else null: Redrive's own credentials. */
const roleOf = (queue: SqsQueueConfig): string | null => ('assumeRoleArn' in queue && typeof queue.assumeRoleArn === 'string' ? queue.assumeRoleArn : null);

/** A queue's ARN: the region and account of its URL (a URL without them, e.g. an emulator's, takes `fallbackRegion`). */
const sqsQueueArn = (url: string, fallbackRegion: string): string => {
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

const queueResources = (queue: SqsQueueConfig, aws: Config['aws'], notes: string[]): QueueResources => {
  const region = regionOf(queue, aws);
  const arn = (url: string): string => sqsQueueArn(url, region);
  const { account: queueAccount, name } = parseQueueUrl(queue.queueUrl);
  // Alarms live in the account whose credentials create them: the assumed role's, else the queue's.
  const account = /^arn:[\w-]+:iam::(\d{12}):/.exec(roleOf(queue) ?? '')?.[1] ?? queueAccount;
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
    // The runbook's named alarms and the ones pre-flight must see in OK before a bulk replay.
    alarms: [...queue.alarmNames, ...(queue.preflight?.alarms ?? [])].map(alarmArn),
    depthAlarm: alarmArn(runbookDepthAlarm(name, null).alarmName),
    stateMachines,
    executions: stateMachines.flatMap(executionsOf),
  };
};

export type PolicyOutcome =
  | { kind: 'policy'; policy: IamPolicy; notes: string[] }
  /** No SQS queue runs under these credentials: nothing to grant. */
  | { kind: 'none' }
  | { kind: 'unknown-role'; roles: string[] };

/**
 * The policy for the SQS queues whose calls run under one set of credentials: Redrive's own (`role`
 * null: the queues without assumeRoleArn, plus sts:AssumeRole on the queues' roles) or one assumed
 * role's (its queues). Actions are grouped into one statement per set of resources, never a wildcard
 * action. Kafka queues need no AWS permission.
 */
export const buildIamPolicy = (config: Pick<Config, 'aws' | 'queues'>, role: string | null = null): PolicyOutcome => {
  const sqsQueues = config.queues.filter((q): q is SqsQueueConfig => q.kind === 'sqs');
  const roles = [...new Set(sqsQueues.map(roleOf).filter((r): r is string => r !== null))].sort();
  if (role !== null && !roles.includes(role)) return { kind: 'unknown-role', roles };
  const mine = sqsQueues.filter((q) => roleOf(q) === role);
  const assumed = role === null ? roles : [];
  if (mine.length === 0 && assumed.length === 0) return { kind: 'none' };
  const notes: string[] = [];
  const resources = mine.map((queue) => queueResources(queue, config.aws, notes));
  // A Kafka queue's pre-flight alarms are read with Redrive's own credentials, in an account the config does not name.
  if (role === null) {
    for (const queue of config.queues) {
      const alarms = queue.kind === 'kafka' ? (queue.preflight?.alarms ?? []) : [];
      if (alarms.length > 0) notes.push(`${queue.name}: pre-flight reads the alarms ${alarms.join(', ')} with these credentials in ${config.aws.region}; grant cloudwatch:DescribeAlarms on arn:${partitionOf(config.aws.region)}:cloudwatch:${config.aws.region}:<account>:alarm:<name> for each.`);
    }
  }
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
  // Credentials, not a queue operation: the per-queue roles Redrive's own principal switches to.
  if (assumed.length > 0) statements.set('sts', { Sid: 'AssumeQueueRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: assumed });
  for (const r of assumed) {
    const names = sqsQueues.filter((q) => roleOf(q) === r).map((q) => q.name);
    notes.push(`${names.join(', ')} run${names.length === 1 ? 's' : ''} under ${r}: attach \`redrive iam-policy --role ${r}\` to that role, and let its trust policy allow this principal.`);
  }
  return { kind: 'policy', policy: { Version: '2012-10-17', Statement: [...statements.values()] }, notes };
};
