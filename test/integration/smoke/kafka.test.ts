// Smoke test: the Kafka broker from scripts/services.sh is real — kafkajs produces, consumes in a
// consumer group, commits, and the committed offsets read back through the admin API.
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requireServices, uniqueName, waitFor } from '../../support/services.ts';

const services = inject('services');

describe.skipIf(!services)('Kafka (real broker)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;
  const topic = uniqueName('smoke-kafka');
  const groupId = uniqueName('smoke-group');

  beforeAll(async () => {
    const { brokers } = requireServices(services).kafka;
    kafka = new Kafka({ clientId: 'redrive-smoke', brokers, logLevel: logLevel.ERROR, retry: { retries: 3 } });
    admin = kafka.admin();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    if (admin) {
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    }
  });

  it('produces, consumes, commits and reads the committed offset back', async () => {
    await producer.send({
      topic,
      messages: [
        { key: 'order-1', value: JSON.stringify({ n: 1 }) },
        { key: 'order-2', value: JSON.stringify({ n: 2 }) },
      ],
    });

    const received: { key: string; value: string; offset: string }[] = [];
    // A short fetch long-poll: disconnect waits for the fetch in flight (default 5 s).
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        received.push({ key: String(message.key), value: String(message.value), offset: message.offset });
      },
    });
    await waitFor(() => received.length >= 2, { timeoutMs: 30_000, description: 'two messages consumed' });
    expect(received.map((m) => m.key)).toEqual(['order-1', 'order-2']);
    expect(JSON.parse(received[1]!.value)).toEqual({ n: 2 });

    // The committed offset is the next one to read: last offset + 1.
    const next = String(Number(received[1]!.offset) + 1);
    await consumer.commitOffsets([{ topic, partition: 0, offset: next }]);

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.topic).toBe(topic);
    expect(committed?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: next })]);
  });
});
