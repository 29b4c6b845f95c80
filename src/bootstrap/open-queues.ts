// Opens the queue registry: every configured queue (SQS and Kafka) plus the demo ones in console mode.
// It does not start anything; closing the registry closes the Kafka connections.

import type { AwsClientFactory } from '../adapters/outbound/aws/aws-client-factory.ts';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import { createQueueBackends } from '../adapters/outbound/queue-backends.ts';
import { createQueueRegistry, type QueueRegistry } from '../app/shared/queue-registry.ts';
import type { Config } from '../config/config.schema.ts';
import type { Secrets } from '../config/load-config.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { QueueBackend } from '../ports/queue-backend.port.ts';
import type { Store } from '../ports/store.port.ts';

/** Every configured queue (SQS and Kafka); closing the registry also closes the Kafka connections. */
export const openQueueRegistry = (config: Config, secrets: Secrets, store: Store, clock: Clock, logger: Logger, demo: readonly QueueBackend[] = [], sqsCheckoutVisibilitySeconds?: number): { registry: QueueRegistry; aws: AwsClientFactory } => {
  const built = createQueueBackends(config, secrets, { store, clock, logger: logger.child({ component: 'queues' }), sqsCheckoutVisibilitySeconds });
  return { registry: createQueueRegistry([...built.backends, ...demo], { onClose: built.close }), aws: built.aws };
};
