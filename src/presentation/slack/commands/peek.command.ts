// `/dlq peek <queue> [count]`: the first messages of a DLQ as cards (Slack pages them; a terminal
// prints them all). Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { peekMessages } from '../../../app/messages/read-queue.use-case.ts';
import { replayDestinations } from '../../../app/messages/replay-message.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { renderKafkaList } from '../replies/kafka-replies.ts';
import { renderPeek } from '../replies/queue-replies.ts';
import { messageData } from '../replies/reply-data.ts';
import { textOptions } from './command-options.ts';

export const createPeekCommand = (deps: QueueDeps): Pick<OperationHandlers, 'peek'> => ({
  peek: async (command, ctx) => {
    const backend = deps.registry.get(command.queue);
    const messages = await peekMessages(deps, command.queue, command.count, ctx.actor);
    // Slack pages the cards; a terminal prints them all (no size limit, no buttons to turn a page).
    const paging = { count: command.count, page: command.page ?? 0, all: ctx.transport === 'cli' };
    const data = { queue: backend.name, kind: backend.kind, messages: messages.map((m) => messageData(m, backend.mapping)) };
    const text = textOptions(deps);
    if (backend.kind === 'kafka') return withData(renderKafkaList(command.queue, messages, { ...text, mapping: backend.mapping, paging, replayTo: await replayDestinations(backend) }), data);
    return withData(renderPeek(command.queue, messages, deps.clock.now(), backend.kind, { ...text, paging }), data);
  },
});
