// Makes "every action is audited, failures too" hold for failures that happen before a use case
// starts its own audit record (an unknown queue, an operation the queue does not support): when a
// handler throws and the command wrote no failure record of this actor (its audit scope says so, no
// search of the audit table), one is written.

import { targetOf } from '../access/access-control.ts';
import { auditErrorText, writeAudit, type AuditDeps } from '../shared/audit-trail.ts';
import { openAuditScope } from '../shared/audit-scope.ts';
import type { Middleware } from './command-middleware.ts';

export const auditFailures = <R>(deps: AuditDeps): Middleware<R> => async (command, context, next) => {
  const scope = openAuditScope();
  try {
    return await scope.run(() => next(command, context));
  } catch (error) {
    if (!scope.records.some((r) => r.actor === context.actor && r.result === 'failure')) {
      const target = targetOf(command);
      await writeAudit(deps, { action: command.op, queue: target.queue, actor: context.actor, messageId: target.messageId, jobId: target.jobId }, 'failure', auditErrorText(error)).catch(() => undefined);
    }
    throw error;
  } finally {
    scope.close();
  }
};
