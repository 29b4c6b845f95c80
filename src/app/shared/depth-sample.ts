// Reads a queue's depth and keeps it: one stored depth sample and the depth gauge. The poller and
// `status` both sample this way, so growth and levels are computed from the same measurements.

import type { Metrics } from '../../ports/metrics.port.ts';
import type { QueueStatus } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { Store } from '../../ports/store.port.ts';

export interface DepthSampleDeps {
  store: Pick<Store, 'addDepthSample'>;
  metrics: Pick<Metrics, 'queueDepth'>;
}

export const sampleDepth = async (deps: DepthSampleDeps, backend: Pick<QueueBackend, 'name' | 'dlq'>): Promise<QueueStatus> => {
  const status = await backend.dlq.status();
  await deps.store.addDepthSample({
    queue: backend.name,
    at: status.at,
    depth: status.depth,
    inFlight: status.inFlight,
    delayed: status.delayed,
    oldestAgeSeconds: status.oldestAgeSeconds,
  });
  deps.metrics.queueDepth(backend.name, status.depth, status.inFlight);
  return status;
};
