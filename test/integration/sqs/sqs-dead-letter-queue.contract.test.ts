// Runs the DeadLetterQueue contract suite against SqsDeadLetterQueue on ElasticMQ, one fresh queue per test.

import { describe } from 'vitest';
import { describeDeadLetterQueueContract } from '../../contract/dead-letter-queue.contract.ts';
import { SqsDeadLetterQueue } from '../../../src/adapters/outbound/sqs/sqs-dead-letter-queue.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { createQueue, deleteQueues, sendMessages, services, testSqsClient, uniqueQueueName } from './sqs-test-env.ts';

describe.skipIf(!services)('SQS DLQ adapter', () => {
  describeDeadLetterQueueContract('SqsDeadLetterQueue on ElasticMQ', async () => {
    const client = testSqsClient();
    const queue = await createQueue(client, uniqueQueueName('contract-dlq'));
    const dlq = new SqsDeadLetterQueue({ client, name: queue.name, queueUrl: queue.url, clock: systemClock });
    return {
      dlq,
      seed: (bodies) => sendMessages(client, queue.url, bodies),
      cleanup: async () => {
        await deleteQueues(client, queue.url);
        client.destroy();
      },
    };
  });
});
