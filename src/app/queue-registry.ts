// The configured queues by name, for the use cases. Unknown names fail with QUEUE_UNKNOWN and list
// the known ones, so a typo gets a useful answer.

import { RedriveError } from '../errors.ts';
import type { QueueBackend } from '../ports/queue-backend.port.ts';

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
      if (!backend) {
        const known = [...byName.keys()];
        throw new RedriveError('QUEUE_UNKNOWN', `No queue named "${name}" is configured${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}.`, {
          context: { queue: name },
        });
      }
      return backend;
    },
    list: () => [...byName.values()],
    close: async () => {
      await Promise.allSettled([...byName.values()].map((backend) => backend.close()));
      await options.onClose?.();
    },
  };
};
