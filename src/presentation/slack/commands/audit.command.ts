// `/dlq audit [ref]`: the audit records of a message, job, queue or person the asker may see.
// Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { searchAuditLog } from '../../../app/access/audit-search.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderAuditSearch } from '../replies/audit-replies.ts';
import { visibilityOf, type AuditOperationsOptions } from './command-options.ts';

export const createAuditCommand = (deps: QueueDeps, options: AuditOperationsOptions): Pick<OperationHandlers, 'audit'> => ({
  audit: async (command, ctx) => {
    const scope = await visibilityOf(options).scopeFor(ctx.actor);
    const result = await searchAuditLog(deps, { ref: command.ref, actor: ctx.actor, scope, directory: options.directory ?? null });
    return withData(renderAuditSearch(result), result);
  },
});
