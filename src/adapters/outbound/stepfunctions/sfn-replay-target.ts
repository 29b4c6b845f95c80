// SfnReplayTarget: re-executes DLQ messages as new Step Functions executions, as the runbook's
// dlq-to-stepfunctions.sh does: input = body + `reprocessed: true` + `original_failure_time`, name
// `dlq-reprocess-<job id>-<epoch>`. A message is accepted only once StartExecution answered.

import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '../../../ports/clock.port.ts';
import type { OutgoingMessage, ReplayTarget, SendResult } from '../../../ports/replay-target.port.ts';
import { awsErrorName, translateAwsError } from '../sqs/sqs-errors.ts';

export interface SfnReplayTargetOptions {
  client: SFNClient;
  stateMachineArn: string;
  clock: Clock;
  /**
   * When the message failed: the queue's field mapping reads it from the body (`failed_at`...), else
   * the time it entered the DLQ. Without it, the DLQ entry time; without that, now.
   */
  failureTimeOf?: (message: OutgoingMessage['source']) => Date | null;
}

const MAX_NAME = 80;
const PREFIX = 'dlq-reprocess-';

/** `dlq-reprocess-<job id>-<epoch>` with only [A-Za-z0-9_-], at most 80 characters (StartExecution's rule). */
export const executionName = (jobId: string, epochSeconds: number): string => {
  const suffix = `-${epochSeconds}`;
  const room = MAX_NAME - PREFIX.length - suffix.length;
  const id = jobId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, room) || 'message';
  return `${PREFIX}${id}${suffix}`;
};

/** The body as a JSON object plus the reprocessing marks; anything else is wrapped as `{ "body": "..." }`. */
export const executionInput = (body: string, originalFailureTime: Date): string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const base = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { body };
  return JSON.stringify({ ...base, reprocessed: true, original_failure_time: originalFailureTime.toISOString() });
};

/** The runbook takes the job id from the body's `job_id`; without one, the DLQ message id. */
export const jobIdFor = (message: OutgoingMessage): string => {
  try {
    const parsed: unknown = JSON.parse(message.body);
    if (parsed && typeof parsed === 'object' && 'job_id' in parsed) {
      const value = (parsed as { job_id: unknown }).job_id;
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
  } catch {
    // not JSON: fall through
  }
  return message.source.messageKey;
};

export class SfnReplayTarget implements ReplayTarget {
  readonly description: string;
  readonly #client: SFNClient;
  readonly #arn: string;
  readonly #clock: Clock;
  readonly #failureTimeOf: (message: OutgoingMessage['source']) => Date | null;

  constructor(options: SfnReplayTargetOptions) {
    this.#client = options.client;
    this.#arn = options.stateMachineArn;
    this.#clock = options.clock;
    this.#failureTimeOf = options.failureTimeOf ?? ((message) => message.enqueuedAt);
    this.description = `sfn:${options.stateMachineArn.split(':').pop() ?? options.stateMachineArn}`;
  }

  async send(messages: OutgoingMessage[]): Promise<SendResult> {
    const result: SendResult = { accepted: [], failed: [] };
    for (const message of messages) {
      const now = this.#clock.now();
      const name = executionName(jobIdFor(message), Math.floor(now.getTime() / 1000));
      try {
        const response = await this.#client.send(
          new StartExecutionCommand({ stateMachineArn: this.#arn, name, input: executionInput(message.body, this.#failureTimeOf(message.source) ?? now) }),
        );
        result.accepted.push({ messageKey: message.source.messageKey, destinationId: response.executionArn ?? name });
      } catch (error) {
        const translated = translateAwsError(error, `StartExecution on ${this.description}`, { destination: this.description });
        // Unreachable / missing / denied before anything was accepted: nothing could be attempted.
        if (result.accepted.length === 0 && result.failed.length === 0 && translated.code !== 'INTERNAL_ERROR') throw translated;
        result.failed.push({ messageKey: message.source.messageKey, error: `${awsErrorName(error)}: ${translated.message}`, retriable: translated.retriable });
      }
    }
    return result;
  }
}

export const createSfnClient = (settings: { region: string; endpoint?: string | undefined; credentials?: { accessKeyId: string; secretAccessKey: string } | undefined }): SFNClient =>
  new SFNClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
