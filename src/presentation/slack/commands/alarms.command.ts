// `/dlq alarms <queue>`: makes sure the SQS queue's CloudWatch depth alarm exists and lists its alarms.
// Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { ensureQueueAlarms } from '../../../app/monitors/alarms.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderAlarms } from '../replies/queue-replies.ts';

export const createAlarmsCommand = (deps: QueueDeps): Pick<OperationHandlers, 'alarms'> => ({
  alarms: async (command, ctx) => {
    const outcome = await ensureQueueAlarms(deps, { queue: command.queue, actor: ctx.actor });
    return withData(renderAlarms(command.queue, outcome.result, outcome.alarms), { queue: command.queue, result: outcome.result, alarms: outcome.alarms });
  },
});
