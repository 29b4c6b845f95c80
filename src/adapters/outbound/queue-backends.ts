// Builds a QueueBackend for every configured queue, SQS and Kafka alike, for the composition root.
// Kafka connections are shared per cluster (one KafkaClientPool), AWS clients per credential set
// (aws-client-factory); `close` ends them after the backends. It only wires adapters: no business rule lives here.

import type { Config } from '../../config/config.schema.ts';
import type { Secrets } from '../../config/load-config.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { Logger } from './logging/pino-logger.ts';
import { KafkaClientPool, kafkaConnectionSettings } from './kafka/kafka-client.ts';
import { createKafkaQueueBackend } from './kafka/kafka-queue-backend.ts';
import type { ResolutionStore } from './kafka/kafka-dead-letter-queue.ts';
import { createSqsBackends } from './sqs/sqs-queue-backend.ts';
import { createAwsClientFactory, type AwsClientFactory } from './aws/aws-client-factory.ts';

export interface QueueBackends {
  /** In the config's queue order. */
  backends: QueueBackend[];
  /** AWS clients per credential set (queue region + assumed role), as the SQS backends use them. */
  aws: AwsClientFactory;
  /** Closes what the backends share (Kafka connections, AWS clients); call after closing the backends. */
  close(): Promise<void>;
}

export const createQueueBackends = (
  config: Pick<Config, 'aws' | 'kafka' | 'queues'>,
  secrets: Pick<Secrets, 'kafkaSasl'>,
  deps: { store: ResolutionStore; clock: Clock; logger: Logger; sqsCheckoutVisibilitySeconds?: number | undefined },
): QueueBackends => {
  const aws = createAwsClientFactory(config.aws, { clock: deps.clock });
  const sqs = new Map(createSqsBackends(config.aws, config.queues, deps.clock, undefined, deps.sqsCheckoutVisibilitySeconds, aws).map((b) => [b.name, b]));
  const kafkaQueues = config.queues.filter((q) => q.kind === 'kafka');
  const pool =
    kafkaQueues.length === 0
      ? null
      : new KafkaClientPool(
          Object.entries(config.kafka).map(([name, cluster]) => kafkaConnectionSettings(name, cluster, secrets.kafkaSasl[name])),
          deps.logger,
        );
  const backends = config.queues.map((queue): QueueBackend => {
    if (queue.kind === 'sqs') return sqs.get(queue.name) as QueueBackend;
    // The pool is non-null whenever a Kafka queue exists; clients connect on first use.
    return createKafkaQueueBackend(queue, { clients: (pool as KafkaClientPool).get(queue.cluster), store: deps.store, clock: deps.clock });
  });
  return {
    backends,
    aws,
    close: async () => {
      aws.destroy();
      await pool?.close();
    },
  };
};
