// The configured queues by name, for the use cases. Unknown names fail with QUEUE_UNKNOWN naming no
// other queue (the error reaches audit records); the /dlq pipeline's known-queues step (app/commands/known-queues.middleware.ts) adds
// the queues the asking user may view, so a typo gets a useful answer without showing hidden queues.

import { RedriveError } from '../../errors.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';

export interface QueueRegistry {
  get(name: string): QueueBackend;
  list(): QueueBackend[];
  close(): Promise<void>;
}

export interface QueueRegistryOptions {
  /** Runs after every backend closed: what they share (Kafka connections per cluster). */
  onClose?: () => Promise<void>;
}

export const createQueueRegistry = (backends: readonly QueueBackend[], options: QueueRegistryOptions = {}): QueueRegistry => {
  const byName = new Map(backends.map((backend) => [backend.name, backend]));
  return {
    get: (name) => {
      const backend = byName.get(name);
      if (!backend) throw new RedriveError('QUEUE_UNKNOWN', `No queue named "${name}" is configured.`, { context: { queue: name } });
      return backend;
    },
    list: () => [...byName.values()],
    close: async () => {
      await Promise.allSettled([...byName.values()].map((backend) => backend.close()));
      await options.onClose?.();
    },
  };
};
