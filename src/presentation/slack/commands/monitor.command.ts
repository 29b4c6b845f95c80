// `/dlq monitor <queue> [--interval S]` and `/dlq stop-monitor <queue>`: the queue's status posted
// every interval where the caller says (a Slack thread, the terminal) until stopped. Each calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { createMonitors } from '../../../app/monitors/monitor.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { RedriveError } from '../../../errors.ts';
import { renderMonitorStarted, renderMonitorStopped } from '../replies/monitor-replies.ts';
import type { QueueOperationsOptions } from './command-options.ts';

export const createMonitorCommands = (deps: QueueDeps, options: QueueOperationsOptions): Pick<OperationHandlers, 'monitor' | 'stop-monitor'> => {
  const monitors = options.monitors ?? createMonitors(deps);
  return {
    monitor: async (command, ctx) => {
      const post = options.monitorPosterFor?.(command.queue, ctx) ?? options.monitorPost;
      if (!post) throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', 'Monitoring needs a place to post readings (a Slack thread or a terminal).');
      const first = await monitors.start({ queue: command.queue, intervalSeconds: command.intervalSeconds, actor: ctx.actor, post });
      return renderMonitorStarted(command.queue, command.intervalSeconds, first);
    },
    'stop-monitor': async (command, ctx) => renderMonitorStopped(command.queue, await monitors.stop({ queue: command.queue, actor: ctx.actor })),
  };
};
