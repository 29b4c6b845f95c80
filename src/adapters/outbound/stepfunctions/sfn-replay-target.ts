// SfnReplayTarget: re-executes DLQ messages as new Step Functions executions, as the runbook's
// dlq-to-stepfunctions.sh does: input = body + `reprocessed: true` + `original_failure_time`, name
// `dlq-reprocess-<job id>-<epoch ms>-<message tag>`. A message is accepted only once StartExecution
// answered (or an execution with the same name and the same input already exists: an idempotent retry).

import { createHash } from 'node:crypto';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '../../../ports/clock.port.ts';
import type { OutgoingMessage, ReplayTarget, SendResult } from '../../../ports/replay-target.port.ts';
import { awsErrorName, translateAwsError } from '../sqs/sqs-errors.ts';
import type { AwsCredentials } from '../sqs/sqs-client.ts';

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
const TAG_LENGTH = 8;
const ALREADY_EXISTS = 'ExecutionAlreadyExists';

/** A short, stable tag of a DLQ message id (hex of its SHA-256), so two messages of one job never share a name. */
export const messageTag = (messageKey: string): string => createHash('sha256').update(messageKey).digest('hex').slice(0, TAG_LENGTH);

/**
 * `dlq-reprocess-<job id>-<epoch ms>-<message tag>` with only [A-Za-z0-9_-], at most 80 characters
 * (StartExecution's rule). The runbook's `dlq-reprocess-<job id>-<epoch>` shape, made unique: two
 * messages with the same job id re-executed in the same second (or millisecond) get different names,
 * while the same message at the same instant keeps its name (so a retried start stays idempotent).
 */
export const executionName = (jobId: string, epochMs: number, messageKey: string): string => {
  const suffix = `-${Math.max(0, Math.floor(epochMs))}-${messageTag(messageKey)}`;
  const room = MAX_NAME - PREFIX.length - suffix.length;
  const id = jobId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, room) || 'message';
  return `${PREFIX}${id}${suffix}`;
};

/** `arn:<p>:states:<region>:<account>:stateMachine:<name>[:<qualifier>]` → the ARN of its execution `name`. */
export const executionArnFor = (stateMachineArn: string, name: string): string | null => {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') return null;
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
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
      const name = executionName(jobIdFor(message), now.getTime(), message.source.messageKey);
      const input = executionInput(message.body, this.#failureTimeOf(message.source) ?? now);
      try {
        const executionArn = await this.#start(name, input);
        result.accepted.push({ messageKey: message.source.messageKey, destinationId: executionArn });
      } catch (error) {
        const translated = translateAwsError(error, `StartExecution on ${this.description}`, { destination: this.description });
        // Unreachable / missing / denied before anything was accepted: nothing could be attempted.
        if (result.accepted.length === 0 && result.failed.length === 0 && translated.code !== 'INTERNAL_ERROR') throw translated;
        // A name taken by another input: the next attempt has another epoch, so another name.
        const retriable = translated.retriable || awsErrorName(error) === ALREADY_EXISTS;
        result.failed.push({ messageKey: message.source.messageKey, error: `${awsErrorName(error)}: ${translated.message}`, retriable });
      }
    }
    return result;
  }

  /**
   * StartExecution; its execution ARN. Step Functions answers a start with the name and input of an
   * execution that is still running with that execution, but one whose execution already closed with
   * ExecutionAlreadyExists, whatever the input: that case is checked with DescribeExecution, and the
   * same input means this start already happened (the SDK's retry of a start that did arrive).
   */
  async #start(name: string, input: string): Promise<string> {
    try {
      const response = await this.#client.send(new StartExecutionCommand({ stateMachineArn: this.#arn, name, input }));
      return response.executionArn ?? name;
    } catch (error) {
      if (awsErrorName(error) !== ALREADY_EXISTS) throw error;
      const existing = await this.#sameExecution(name, input);
      if (existing) return existing;
      throw error;
    }
  }

  /** The ARN of execution `name` when it was started with exactly `input`; null otherwise or when it cannot be read. */
  async #sameExecution(name: string, input: string): Promise<string | null> {
    const executionArn = executionArnFor(this.#arn, name);
    if (!executionArn) return null;
    try {
      const described = await this.#client.send(new DescribeExecutionCommand({ executionArn }));
      return described.input === input ? (described.executionArn ?? executionArn) : null;
    } catch {
      return null;
    }
  }
}

export const createSfnClient = (settings: { region: string; endpoint?: string | undefined; credentials?: AwsCredentials | undefined }): SFNClient =>
  new SFNClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
