// The /dlq operations as one router table: one handler file per operation (`<op>.command.ts`, each
// calling one use case and rendering its result), assembled here. Slack, the terminal and tests share
// it, so an operation behaves the same everywhere. No handler lives here.

import type { OperationHandlers } from './dlq-router.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { createAlarmsCommand } from './alarms.command.ts';
import { createAnalyzeCommand } from './analyze.command.ts';
import { createAuditCommand } from './audit.command.ts';
import type { AuditOperationsOptions, QueueOperationsOptions } from './command-options.ts';
import { createHistoryCommand } from './history.command.ts';
import { createJobsCommands } from './jobs.command.ts';
import { createMonitorCommands } from './monitor.command.ts';
import { createPeekCommand } from './peek.command.ts';
import { createReExecuteCommand } from './re-execute.command.ts';
import { createRedriveCommands } from './redrive.command.ts';
import { createReplayCommand } from './replay.command.ts';
import { createReportCommand } from './report.command.ts';
import { createResolveCommand } from './resolve.command.ts';
import { createStatusCommand } from './status.command.ts';
import { createViewCommand } from './view.command.ts';

export type { AuditOperationsOptions, QueueOperationsOptions } from './command-options.ts';

/** Every queue operation (all but `audit` and `report`). */
export const createQueueOperations = (deps: QueueDeps, options: QueueOperationsOptions = {}): OperationHandlers => ({
  ...createStatusCommand(deps, options),
  ...createPeekCommand(deps),
  ...createViewCommand(deps),
  ...createAnalyzeCommand(deps),
  ...createReplayCommand(deps, options),
  ...createReExecuteCommand(deps),
  ...createHistoryCommand(deps),
  ...createResolveCommand(deps),
  ...createRedriveCommands(deps, options),
  ...createMonitorCommands(deps, options),
  ...createJobsCommands(deps, options),
  ...createAlarmsCommand(deps),
});

/** `audit` and `report`, merged with the queue operations by the composition root. */
export const createAuditOperations = (deps: QueueDeps, options: AuditOperationsOptions = {}): Pick<OperationHandlers, 'audit' | 'report'> => ({
  ...createAuditCommand(deps, options),
  ...createReportCommand(deps, options),
});
