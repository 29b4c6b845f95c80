// Runs one queue action and writes its audit record (store first, one pino line with component
// `audit` second) whatever the outcome, with the queue's open incident attached. Records carry ids
// and results, never bodies. Access denials are written here too (app/access). Each stored record is
// also noted in the running command's audit scope (audit-scope.ts).

import { isRedriveError } from '../../errors.ts';
import type { AuditRecordInput, JsonObject } from '../../core/model.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { QueueDeps } from './queue-deps.ts';
import { noteAudited } from './audit-scope.ts';

export interface ActionInput {
  action: string;
  queue: string | null;
  actor: string;
  messageId?: string | null;
  traceId?: string | null;
  partition?: number | null;
  offset?: string | null;
  jobId?: string | null;
  /** Known incident (a button on its message); otherwise the queue's open incident is attached. */
  incidentId?: string | null;
  details?: JsonObject;
}

/** What writing an audit record needs: the queue use cases' deps satisfy it. */
export type AuditDeps = Pick<QueueDeps, 'store' | 'clock' | 'logger' | 'auditLogger'> & { metrics: Pick<Metrics, 'actionCompleted'> };

/** How an error reads in an audit record: `CODE: message` for Redrive's own errors. */
export const auditErrorText = (error: unknown): string =>
  isRedriveError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

export const writeAudit = async (
  deps: AuditDeps,
  input: ActionInput,
  result: AuditRecordInput['result'],
  error: string | null,
  details?: JsonObject,
): Promise<void> => {
  const incident = input.incidentId || !input.queue ? null : await deps.store.findOpenIncident(input.queue).catch(() => null);
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
    incidentId: input.incidentId ?? incident?.id ?? null,
    jobId: input.jobId ?? null,
    details: { ...(input.details ?? {}), ...(details ?? {}) },
  };
  const stored = await deps.store.appendAudit(record);
  noteAudited(stored);
  deps.metrics.actionCompleted(input.action, result, input.queue ?? null);
  const { details: _details, ...fields } = stored;
  (deps.auditLogger ?? deps.logger)?.info({ audit: true, auditId: stored.id, ...fields, at: stored.at.toISOString() }, `audit: ${input.action} ${result}`);
};

/** Runs `run`; audits success with the details it returns, or failure with the error (then rethrows). */
export const audited = async <T>(
  deps: AuditDeps,
  input: ActionInput,
  run: (input: ActionInput) => Promise<T>,
  detailsOf?: (value: T) => JsonObject,
): Promise<T> => {
  let value: T;
  try {
    value = await run(input);
  } catch (error) {
    await writeAudit(deps, input, 'failure', auditErrorText(error));
    throw error;
  }
  await writeAudit(deps, input, 'success', null, detailsOf?.(value));
  return value;
};
