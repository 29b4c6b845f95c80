// Builds the QueueBackend for one configured SQS queue: the DLQ, its replay target (the source queue,
// another queue or a state machine), move tasks (not for FIFO), Step Functions and CloudWatch alarms.

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Config, QueueConfig, SqsQueueConfig } from '../../../config/config.schema.ts';
import { mapDlqMessage, resolveFieldMapping } from '../../../core/analysis/field-mapping.ts';
import { awsAccessFor } from '../../../config/aws-credential-sets.ts';
import { createAwsClientFactory, type AwsClientFactory } from '../aws/aws-client-factory.ts';
import type { AwsCredentials } from './sqs-client.ts';
import { RedriveError } from '../../../errors.ts';
import type { Clock } from '../../../ports/clock.port.ts';
import type { MessageMoveService, QueueBackend } from '../../../ports/queue-backend.port.ts';
import type { ReplayTarget } from '../../../ports/replay-target.port.ts';
import { CloudWatchQueueAlarms } from '../cloudwatch/cloudwatch-queue-alarms.ts';
import { SfnReplayTarget } from '../stepfunctions/sfn-replay-target.ts';
import { SqsDeadLetterQueue } from './sqs-dead-letter-queue.ts';
import { SqsMessageMoveTasks } from './sqs-message-move-tasks.ts';
import { SqsReplayTarget } from './sqs-replay-target.ts';

export interface SqsBackendClients {
  sqs: SQSClient;
  sfn: SFNClient | null;
  cloudwatch: CloudWatchClient | null;
  clock: Clock;
  alarmTopicArn: string | null;
  /** Overrides for tests (shorter visibility timeouts). */
  checkoutVisibilitySeconds?: number;
}

const queueNameOf = (url: string): string => url.split('/').pop() ?? url;

const memo = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | null = null;
  return () => {
    value ??= make().catch((error: unknown) => {
      value = null;
      throw error;
    });
    return value;
  };
};

export const createSqsQueueBackend = (queue: SqsQueueConfig, clients: SqsBackendClients): QueueBackend => {
  const fifo = queue.fifo ?? queue.queueUrl.endsWith('.fifo');
  const { mapping } = resolveFieldMapping(queue.fieldMapping);
  const tasks = new SqsMessageMoveTasks(clients.sqs);
  const alarms = clients.cloudwatch
    ? new CloudWatchQueueAlarms({ client: clients.cloudwatch, sqsQueueName: queueNameOf(queue.queueUrl), alarmTopicArn: clients.alarmTopicArn })
    : null;
  const dlq = new SqsDeadLetterQueue({
    client: clients.sqs,
    name: queue.name,
    queueUrl: queue.queueUrl,
    clock: clients.clock,
    ...(clients.checkoutVisibilitySeconds ? { checkoutVisibilitySeconds: clients.checkoutVisibilitySeconds } : {}),
    ...(alarms ? { oldestAgeSeconds: () => alarms.oldestAgeSeconds(clients.clock.now()) } : {}),
  });
  const sfnTarget = (arn: string): ReplayTarget => {
    if (!clients.sfn) throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', 'Step Functions is not configured.');
    return new SfnReplayTarget({ client: clients.sfn, stateMachineArn: arn, clock: clients.clock, failureTimeOf: (message) => mapDlqMessage(message, mapping).failedAt });
  };
  const sourceUrl = memo(async (): Promise<string> => {
    if (queue.sourceQueueUrl) return queue.sourceQueueUrl;
    const sources = await tasks.sourceQueues(queue.queueUrl);
    const first = sources[0];
    if (!first) {
      throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', `No queue uses ${queue.name} as its DLQ; set sourceQueueUrl or replayTarget in the config.`, { context: { queue: queue.name } });
    }
    return first;
  });
  const replayTarget = memo(async (): Promise<ReplayTarget> => {
    const target = queue.replayTarget;
    if (target.kind === 'sqs') return new SqsReplayTarget({ client: clients.sqs, queueUrl: target.queueUrl, label: queueNameOf(target.queueUrl) });
    if (target.kind === 'stepfunctions') return sfnTarget(target.stateMachineArn);
    if (target.kind === 'kafka') throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', 'An SQS queue cannot replay to Kafka.');
    const url = await sourceUrl();
    return new SqsReplayTarget({ client: clients.sqs, queueUrl: url, label: queueNameOf(url) });
  });
  const stateMachine = queue.stateMachineArn ?? (queue.replayTarget.kind === 'stepfunctions' ? queue.replayTarget.stateMachineArn : null);
  const moveTasks: MessageMoveService | null = fifo
    ? null
    : {
        start: async ({ ratePerSecond }) => {
          const sourceArn = await tasks.queueArn(queue.queueUrl);
          const destinationUrl = queue.replayTarget.kind === 'sqs' ? queue.replayTarget.queueUrl : (queue.sourceQueueUrl ?? null);
          const destinationArn = destinationUrl ? await tasks.queueArn(destinationUrl) : null;
          const taskHandle = await tasks.start({ sourceArn, destinationArn, ratePerSecond });
          return { taskHandle, destination: destinationArn ?? 'original source' };
        },
        list: async () => {
          const sourceArn = await tasks.queueArn(queue.queueUrl);
          return (await tasks.list(sourceArn)).map((t) => ({
            taskHandle: t.taskHandle,
            status: t.status,
            destination: t.destinationArn,
            ratePerSecond: t.rate,
            moved: t.moved,
            toMove: t.toMove,
            failureReason: t.failureReason,
            startedAt: t.startedAt,
          }));
        },
        cancel: (taskHandle) => tasks.cancel(taskHandle),
      };
  return {
    name: queue.name,
    kind: 'sqs',
    fifo,
    dlq,
    location: queue.queueUrl,
    mapping,
    replayTarget,
    reexecuteTarget: async () => (stateMachine ? sfnTarget(stateMachine) : null),
    moveTasks,
    alarms,
    close: async () => dlq.close(),
  };
};

/**
 * Backends for every SQS queue in the config. Clients come from `factory`, one set per credential set
 * (the queue's region and assumed role), shared by the queues with the same one. CloudWatch is used
 * only against real AWS or an explicit cloudwatchEndpoint, so an SQS emulator alone never calls AWS.
 */
export const createSqsBackends = (
  aws: Config['aws'],
  queues: readonly QueueConfig[],
  clock: Clock,
  credentials?: AwsCredentials,
  /** How long a job's checkout hides a message (default 60 s); tests shorten it. */
  checkoutVisibilitySeconds?: number,
  factory: AwsClientFactory = createAwsClientFactory(aws, { clock, baseCredentials: credentials }),
): QueueBackend[] => {
  const sqsQueues = queues.filter((q): q is SqsQueueConfig => q.kind === 'sqs');
  const useCloudWatch = Boolean(aws.cloudwatchEndpoint) || !aws.sqsEndpoint;
  return sqsQueues.map((queue) => {
    const clients = factory.clientsFor(awsAccessFor(aws, queue));
    const needsSfn = Boolean(queue.stateMachineArn) || queue.replayTarget.kind === 'stepfunctions';
    return createSqsQueueBackend(queue, {
      sqs: clients.sqs(),
      sfn: needsSfn ? clients.sfn() : null,
      cloudwatch: useCloudWatch ? clients.cloudwatch() : null,
      clock,
      alarmTopicArn: aws.alarmTopicArn ?? null,
      ...(checkoutVisibilitySeconds ? { checkoutVisibilitySeconds } : {}),
    });
  });
};
