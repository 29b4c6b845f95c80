// Names where a viewed message sits (runbook `view`: "Kafka metadata (topic, partition, offset)")
// above the footer of a message reply: the Kafka topic with partition and offset, or the SQS queue
// URL. Pure; the location comes from the config, the position from the message.

import { context, type Block, type Reply } from '../block-kit/blocks.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../../ports/queue-backend.port.ts';
import { fitBlocks, safeText } from './reply-format.ts';

export const withMessageLocation = (reply: Reply, message: DlqMessage, backend: Pick<QueueBackend, 'kind' | 'location'>): Reply => {
  if (!backend.location) return reply;
  const where =
    backend.kind === 'kafka'
      ? `Kafka topic \`${safeText(backend.location, 300)}\`, partition ${message.partition ?? '?'}, offset ${safeText(message.offset ?? '?', 40)}`
      : `SQS queue ${safeText(backend.location, 500)}`;
  const blocks: Block[] = [...reply.blocks];
  let at = blocks.length;
  while (at > 0 && blocks[at - 1]?.type === 'context') at -= 1;
  return { ...reply, blocks: fitBlocks([...blocks.slice(0, at), context(where)], blocks.slice(at)) };
};
