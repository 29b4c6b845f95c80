// Runs the DeadLetterQueue contract suite against KafkaDeadLetterQueue on the loopback broker: a fresh
// two-partition topic, consumer group and SQLite store per test. Kafka's remove resolves and commits
// up to the lowest unresolved offset, so removed messages are not expected to vanish by themselves.

import { describe } from 'vitest';
import { describeDeadLetterQueueContract } from '../../contract/dead-letter-queue.contract.ts';
import { KafkaTestBench, kafkaDlq, services, tempStore, uniqueName } from './kafka-test-env.ts';

describe.skipIf(!services)('Kafka DLQ adapter', () => {
  describeDeadLetterQueueContract(
    'KafkaDeadLetterQueue on a real broker',
    async () => {
      const bench = await new KafkaTestBench().connect();
      const topic = await bench.createTopic('contract-dlq', 2);
      const { store, remove } = await tempStore();
      const { dlq, clients } = kafkaDlq({ topic, group: uniqueName('contract-group'), store });
      return {
        dlq,
        seed: (bodies) => bench.produce(topic, bodies.map((value, i) => ({ value, partition: i % 2 }))),
        cleanup: async () => {
          await dlq.close();
          await clients.close();
          await bench.close();
          await store.close();
          remove();
        },
      };
    },
    { removeHidesMessage: false },
  );
});
