// Adds the per-partition lag of Kafka queues to a status reply (SPEC "Queue operations": high watermark − committed
// offset, per partition, minus messages already resolved), under the status table. Pure. SQS views
// have no partitions and leave the reply as it was.

import { section, type Block, type Reply } from '../block-kit/blocks.ts';
import type { StatusView } from '../../../app/shared/queue-status.ts';
import { code, fitBlocks, textTable } from './reply-format.ts';

export const withPartitionLag = (reply: Reply, views: readonly StatusView[]): Reply => {
  const rows = views.flatMap((v) =>
    (v.status.partitions ?? []).map((p) => [v.status.queue, p.partition, p.highWatermark, p.committed, p.lag, p.resolved, p.lag - p.resolved]),
  );
  if (rows.length === 0) return reply;
  const table = section(code(textTable(['QUEUE', 'PARTITION', 'HIGH WATERMARK', 'COMMITTED', 'LAG', 'RESOLVED', 'WAITING'], rows)));
  // Under the status table, above the footer notes.
  const blocks: Block[] = [...reply.blocks];
  let at = blocks.length;
  while (at > 0 && blocks[at - 1]?.type === 'context') at -= 1;
  const body = [...blocks.slice(0, at), table];
  return { ...reply, blocks: fitBlocks(body, blocks.slice(at)) };
};
