// Builds the QueueBackend for one configured Kafka queue: the DLQ topic with its consumer group and
// the replay topic, on the cluster's shared connections. Kafka has no move tasks, Step Functions
// or CloudWatch alarms (Alertmanager rules are documented, not created).

import { resolveFieldMapping, type FieldMapping } from '../../../core/analysis/field-mapping.ts';
import type { KafkaQueueConfig } from '../../../config/config.schema.ts';
import type { Clock } from '../../../ports/clock.port.ts';
import type { QueueBackend } from '../../../ports/queue-backend.port.ts';
import type { KafkaClients } from './kafka-client.ts';
import { KafkaDeadLetterQueue, type ResolutionStore } from './kafka-dead-letter-queue.ts';
import { KafkaReplayTarget } from './kafka-replay-target.ts';
import { createKafkaConsumerLag } from './kafka-consumer-lag.ts';

export interface KafkaBackendDeps {
  /** The queue's cluster (KafkaClientPool.get(queue.cluster)); closed by its pool, not here. */
  clients: KafkaClients;
  store: ResolutionStore;
  clock: Clock;
}

export interface KafkaQueueBackend extends QueueBackend {
  readonly dlq: KafkaDeadLetterQueue;
  readonly mapping: FieldMapping;
}

export const createKafkaQueueBackend = (queue: KafkaQueueConfig, deps: KafkaBackendDeps): KafkaQueueBackend => {
  const { mapping } = resolveFieldMapping(queue.fieldMapping);
  const dlq = new KafkaDeadLetterQueue({
    name: queue.name,
    topic: queue.topic,
    consumerGroup: queue.consumerGroup,
    wire: deps.clients.wire,
    store: deps.store,
    clock: deps.clock,
  });
  const target = new KafkaReplayTarget({
    clients: deps.clients,
    topic: queue.replayTopic ?? null,
    originTopic: queue.topic,
    mapping,
    ackTimeoutMs: deps.clients.settings.requestTimeoutMs,
  });
  return {
    name: queue.name,
    kind: 'kafka',
    fifo: false,
    dlq,
    location: queue.topic,
    mapping,
    replayTarget: async () => target,
    reexecuteTarget: async () => null,
    moveTasks: null,
    alarms: null,
    consumerGroupLag: createKafkaConsumerLag(deps.clients.wire),
    close: () => dlq.close(),
  };
};
