// `/dlq analyze <queue>`: the DLQ's messages grouped by error signature, with a verdict per group.
// Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { analyzeQueue } from '../../../app/messages/analyze-queue.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderAnalysis } from '../replies/analysis-replies.ts';
import { textOptions } from './command-options.ts';

export const createAnalyzeCommand = (deps: QueueDeps): Pick<OperationHandlers, 'analyze'> => ({
  analyze: async (command, ctx) => {
    const analysis = await analyzeQueue(deps, { queue: command.queue, actor: ctx.actor });
    return withData(renderAnalysis(analysis, textOptions(deps)), analysis);
  },
});
