// `/dlq view <queue> <id>`: one message in full (by key or trace id), with where it sits and where a
// replay would send it. Calls one use case and renders it.

import type { OperationHandlers } from './dlq-router.ts';
import { viewMessage } from '../../../app/messages/read-queue.use-case.ts';
import { replayDestinations } from '../../../app/messages/replay-message.use-case.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { withData } from '../block-kit/blocks.ts';
import { withMessageLocation } from '../replies/message-location-replies.ts';
import { renderMessage } from '../replies/queue-replies.ts';
import { messageData } from '../replies/reply-data.ts';
import { textOptions } from './command-options.ts';

export const createViewCommand = (deps: QueueDeps): Pick<OperationHandlers, 'view'> => ({
  view: async (command, ctx) => {
    const backend = deps.registry.get(command.queue);
    const message = await viewMessage(deps, command.queue, command.id, ctx.actor);
    const replayTo = (await replayDestinations(backend))?.(message) ?? null;
    const rendered = withMessageLocation(renderMessage(message, deps.clock.now(), { ...textOptions(deps), replayTo, ...(backend.mapping ? { mapping: backend.mapping } : {}) }), message, backend);
    return withData(rendered, { queue: backend.name, kind: backend.kind, message: messageData(message, backend.mapping) });
  },
});
