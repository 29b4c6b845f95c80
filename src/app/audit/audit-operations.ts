// The /dlq handlers for `audit [ref]` and `report [--days N]`, merged with the queue operations by the
// composition root: each calls one use case and renders its result.

import type { OperationHandlers } from '../dlq-command-router.ts';
import type { QueueDeps } from '../queue/queue-deps.ts';
import { buildReport } from '../report/report.use-case.ts';
import { renderReport } from '../report/report-replies.ts';
import { renderAuditSearch } from './audit-replies.ts';
import { searchAuditLog } from './audit-search.use-case.ts';

export const createAuditOperations = (deps: QueueDeps): Pick<OperationHandlers, 'audit' | 'report'> => ({
  audit: async (command, ctx) => renderAuditSearch(await searchAuditLog(deps, { ref: command.ref, actor: ctx.actor })),
  report: async (command, ctx) => renderReport(await buildReport(deps, { days: command.days, actor: ctx.actor })),
});
