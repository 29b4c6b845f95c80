// `/dlq report [--days N]`: what went through the visible DLQs over the last days (incidents, replays,
// resolves, jobs). Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { buildReport } from '../../../app/report/report.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderReport } from '../replies/report-replies.ts';
import { visibilityOf, withHiddenQueues, type AuditOperationsOptions } from './command-options.ts';

export const createReportCommand = (deps: QueueDeps, options: AuditOperationsOptions): Pick<OperationHandlers, 'report'> => ({
  report: async (command, ctx) => {
    const scope = await visibilityOf(options).scopeFor(ctx.actor);
    const report = await buildReport(deps, { days: command.days, actor: ctx.actor, scope });
    return withData(withHiddenQueues(renderReport(report), deps, scope), report);
  },
});
