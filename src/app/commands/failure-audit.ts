// Makes "every action is audited, failures too" hold for failures that happen before a use case
// starts its own audit record (an unknown queue, an operation the queue does not support): when a
// handler throws and no failure record of this actor appeared since the call began, one is written.

import type { OperationHandler, OperationHandlers } from './dlq-command-router.ts';
import { isRedriveError } from '../../errors.ts';
import { targetOf } from '../access/access-control.ts';
import { writeAudit, type AuditDeps } from '../shared/audit-trail.ts';

const errorText = (error: unknown): string =>
  isRedriveError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

export const withFailureAudit = (handlers: OperationHandlers, deps: AuditDeps): OperationHandlers => {
  const wrapped: Record<string, OperationHandler> = {};
  for (const [op, handler] of Object.entries(handlers) as [string, OperationHandler | undefined][]) {
    if (!handler) continue;
    wrapped[op] = async (command, ctx) => {
      const started = deps.clock.now();
      try {
        return await handler(command, ctx);
      } catch (error) {
        const recorded = await deps.store.searchAudit({ actor: ctx.actor, since: started, limit: 20 }).catch(() => []);
        if (!recorded.some((r) => r.result === 'failure')) {
          const target = targetOf(command);
          await writeAudit(deps, { action: command.op, queue: target.queue, actor: ctx.actor, messageId: target.messageId, jobId: target.jobId }, 'failure', errorText(error)).catch(() => undefined);
        }
        throw error;
      }
    };
  }
  return wrapped as OperationHandlers;
};
