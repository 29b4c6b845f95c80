// Makes "every action is audited, failures too" hold for failures that happen before a use case
// starts its own audit record (an unknown queue, an operation the queue does not support): when a
// handler throws and no failure record of this actor appeared since the call began, one is written.

import { isRedriveError } from '../../errors.ts';
import { targetOf } from '../access/access-control.ts';
import { writeAudit, type AuditDeps } from '../shared/audit-trail.ts';
import type { Middleware } from './dlq-command-pipeline.ts';

const errorText = (error: unknown): string =>
  isRedriveError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

export const auditFailures = <R>(deps: AuditDeps): Middleware<R> => async (command, context, next) => {
  const started = deps.clock.now();
  try {
    return await next(command, context);
  } catch (error) {
    const recorded = await deps.store.searchAudit({ actor: context.actor, since: started, limit: 20 }).catch(() => []);
    if (!recorded.some((r) => r.result === 'failure')) {
      const target = targetOf(command);
      await writeAudit(deps, { action: command.op, queue: target.queue, actor: context.actor, messageId: target.messageId, jobId: target.jobId }, 'failure', errorText(error)).catch(() => undefined);
    }
    throw error;
  }
};
