// Runs one queue action and writes its audit record (store first, log line second) whatever the
// outcome, with the queue's open incident attached. Records carry ids and results, never bodies.

import { isRedriveError } from '../../errors.ts';
import type { AuditRecordInput, JsonObject } from '../../core/model.ts';
import type { QueueDeps } from './queue-deps.ts';

export interface ActionInput {
  action: string;
  queue: string | null;
  actor: string;
  messageId?: string | null;
  traceId?: string | null;
  partition?: number | null;
  offset?: string | null;
  jobId?: string | null;
  details?: JsonObject;
}

const errorText = (error: unknown): string =>
  isRedriveError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

export const writeAudit = async (
  deps: QueueDeps,
  input: ActionInput,
  result: AuditRecordInput['result'],
  error: string | null,
  details?: JsonObject,
): Promise<void> => {
  const incident = input.queue ? await deps.store.findOpenIncident(input.queue).catch(() => null) : null;
  const record: AuditRecordInput = {
    at: deps.clock.now(),
    action: input.action,
    queue: input.queue,
    messageId: input.messageId ?? null,
    traceId: input.traceId ?? null,
    partition: input.partition ?? null,
    offset: input.offset ?? null,
    actor: input.actor,
    result,
    error,
    incidentId: incident?.id ?? null,
    jobId: input.jobId ?? null,
    details: { ...(input.details ?? {}), ...(details ?? {}) },
  };
  await deps.store.appendAudit(record);
  deps.metrics.actionCompleted(input.action, result);
  deps.logger?.info({ audit: true, action: input.action, queue: input.queue, messageId: record.messageId, jobId: record.jobId, actor: input.actor, result, error }, `audit: ${input.action} ${result}`);
};

/** Runs `run`; audits success with the details it returns, or failure with the error (then rethrows). */
export const audited = async <T>(
  deps: QueueDeps,
  input: ActionInput,
  run: (input: ActionInput) => Promise<T>,
  detailsOf?: (value: T) => JsonObject,
): Promise<T> => {
  let value: T;
  try {
    value = await run(input);
  } catch (error) {
    await writeAudit(deps, input, 'failure', errorText(error));
    throw error;
  }
  await writeAudit(deps, input, 'success', null, detailsOf?.(value));
  return value;
};
