// The /dlq handlers for `audit [ref]` and `report [--days N]`, merged with the queue operations by the
// composition root: each calls one use case and renders its result.

import type { OperationHandlers } from '../../../app/commands/dlq-command-router.ts';
import { withData } from '../block-kit/blocks.ts';
import type { UserDirectory } from '../../../ports/user-directory.port.ts';
import { countHidden, SEE_ALL, type QueueVisibility } from '../../../app/shared/queue-visibility.ts';
import { withHiddenNote } from '../replies/hidden-note.ts';
import { hiddenQueuesNote } from '../../../core/auth/hidden-queues-note.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { buildReport } from '../../../app/report/report.use-case.ts';
import { renderReport } from '../replies/report-replies.ts';
import { renderAuditSearch } from '../replies/audit-replies.ts';
import { searchAuditLog } from '../../../app/access/audit-search.use-case.ts';

export interface AuditOperationsOptions {
  /** Which queues each user may view (default: all, as for the terminal). */
  visibility?: QueueVisibility;
  /** Resolves `/dlq audit @name`; null or absent where there is no Slack. */
  directory?: UserDirectory | null;
}

export const createAuditOperations = (deps: QueueDeps, options: AuditOperationsOptions = {}): Pick<OperationHandlers, 'audit' | 'report'> => {
  const visibility = options.visibility ?? SEE_ALL;
  return {
    audit: async (command, ctx) => {
      const scope = await visibility.scopeFor(ctx.actor);
      const result = await searchAuditLog(deps, { ref: command.ref, actor: ctx.actor, scope, directory: options.directory ?? null });
      return withData(renderAuditSearch(result), result);
    },
    report: async (command, ctx) => {
      const scope = await visibility.scopeFor(ctx.actor);
      const report = await buildReport(deps, { days: command.days, actor: ctx.actor, scope });
      return withData(withHiddenNote(renderReport(report), hiddenQueuesNote(countHidden(deps.registry.list().map((b) => b.name), scope))), report);
    },
  };
};
