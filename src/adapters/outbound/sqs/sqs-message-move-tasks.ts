// SqsMessageMoveTasks: SQS's own DLQ redrive (StartMessageMoveTask, ListMessageMoveTasks,
// CancelMessageMoveTask) and the queue lookups it needs (ARN, redrive sources). The rate cap of
// 500 messages a second is SQS's; the app layer validates it before calling.

import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { RedriveError } from '../../../errors.ts';
import { translateAwsError } from './sqs-errors.ts';

export const MAX_MOVE_RATE_PER_SECOND = 500;

export interface MoveTask {
  taskHandle: string | null;
  status: string;
  sourceArn: string;
  destinationArn: string | null;
  rate: number | null;
  moved: number;
  toMove: number | null;
  failureReason: string | null;
  startedAt: Date | null;
}

export class SqsMessageMoveTasks {
  readonly #client: SQSClient;

  constructor(client: SQSClient) {
    this.#client = client;
  }

  async queueArn(queueUrl: string): Promise<string> {
    const response = await this.#call('GetQueueAttributes', () =>
      this.#client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })),
    );
    const arn = response.Attributes?.QueueArn;
    if (!arn) throw new RedriveError('DLQ_QUEUE_MISSING', `No ARN for ${queueUrl}.`, { context: { queueUrl } });
    return arn;
  }

  /** Queues whose redrive policy points at this DLQ (the runbook's "frontier" queue). */
  async sourceQueues(dlqUrl: string): Promise<string[]> {
    const response = await this.#call('ListDeadLetterSourceQueues', () =>
      this.#client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl })),
    );
    return response.queueUrls ?? [];
  }

  /** Starts a move; without destinationArn SQS moves each message back to the queue it came from. */
  async start(input: { sourceArn: string; destinationArn?: string | null; ratePerSecond?: number | null }): Promise<string> {
    const rate = input.ratePerSecond ?? null;
    if (rate !== null && (!(rate > 0) || rate > MAX_MOVE_RATE_PER_SECOND)) {
      throw new RedriveError('CLI_USAGE', `The move rate must be between 1 and ${MAX_MOVE_RATE_PER_SECOND} messages a second.`);
    }
    const response = await this.#call('StartMessageMoveTask', () =>
      this.#client.send(
        new StartMessageMoveTaskCommand({
          SourceArn: input.sourceArn,
          ...(input.destinationArn ? { DestinationArn: input.destinationArn } : {}),
          ...(rate !== null ? { MaxNumberOfMessagesPerSecond: Math.floor(rate) } : {}),
        }),
      ),
    );
    return response.TaskHandle ?? '';
  }

  async list(sourceArn: string): Promise<MoveTask[]> {
    const response = await this.#call('ListMessageMoveTasks', () =>
      this.#client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 })),
    );
    return (response.Results ?? []).map((r) => ({
      taskHandle: r.TaskHandle ?? null,
      status: r.Status ?? 'UNKNOWN',
      sourceArn: r.SourceArn ?? sourceArn,
      destinationArn: r.DestinationArn ?? null,
      rate: r.MaxNumberOfMessagesPerSecond ?? null,
      moved: r.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: r.ApproximateNumberOfMessagesToMove ?? null,
      failureReason: r.FailureReason ?? null,
      startedAt: r.StartedTimestamp === undefined ? null : new Date(r.StartedTimestamp),
    }));
  }

  /** Returns how many messages had moved when the task stopped. */
  async cancel(taskHandle: string): Promise<number> {
    const response = await this.#call('CancelMessageMoveTask', () =>
      this.#client.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle })),
    );
    return response.ApproximateNumberOfMessagesMoved ?? 0;
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateAwsError(error, what);
    }
  }
}
