// `/dlq history` on a Kafka queue: the depths Redrive stored (status, poller) over the range asked
// for; there is no CloudWatch for a topic, and the reply says so.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KafkaClients } from '../../../src/adapters/outbound/kafka/kafka-client.ts';
import { createKafkaQueueBackend } from '../../../src/adapters/outbound/kafka/kafka-queue-backend.ts';
import { renderReplyForTerminal } from '../../../src/adapters/inbound/cli/render-terminal.ts';
import type { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createDlqCommandRouter } from '../../../src/app/dlq-command-router.ts';
import { createQueueOperations } from '../../../src/app/queue/queue-operations.ts';
import { createQueueRegistry } from '../../../src/app/queue-registry.ts';
import { kafkaQueueSchema } from '../../../src/config/config.schema.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { connectionSettings, KafkaTestBench, quietLogger, services, tempStore, uniqueName } from './kafka-test-env.ts';

describe.skipIf(!services)('Kafka history', () => {
  let bench: KafkaTestBench;
  let temp: Awaited<ReturnType<typeof tempStore>>;
  let store: SqliteStore;
  let clients: KafkaClients;

  beforeEach(async () => {
    bench = await new KafkaTestBench().connect();
    temp = await tempStore();
    store = temp.store;
    clients = new KafkaClients(connectionSettings(), quietLogger());
  });
  afterEach(async () => {
    await clients.close();
    await bench.close();
    await store.close();
    temp.remove();
  });

  it('shows the stored lag samples, including the ones status just took; re-execute is refused clearly', async () => {
    const topic = await bench.createTopic('history-dlq');
    const queue = kafkaQueueSchema.parse({ kind: 'kafka', name: 'downloads-dlq', topic, consumerGroup: uniqueName('history-group'), replayTopic: topic });
    const backend = createKafkaQueueBackend(queue, { clients, store, clock: systemClock });
    const router = createDlqCommandRouter(createQueueOperations({ registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics }));
    const cli = { actor: 'cli:test', channelId: null, transport: 'cli' as const };
    await store.addDepthSample({ queue: 'downloads-dlq', at: new Date(Date.now() - 90 * 60_000), depth: 12 });
    await bench.produce(topic, Array.from({ length: 7 }, (_, i) => ({ value: JSON.stringify({ trace_id: `evt-${i}` }) })));
    await router.handleArgs(['status', 'downloads-dlq'], cli);
    const text = renderReplyForTerminal(await router.handleArgs(['history', 'downloads-dlq', '--hours', '3'], cli));
    expect(text).toContain('Depth history of downloads-dlq: last 3 h');
    expect(text).toMatch(/Stored samples: \S+ {2}min 7, max 12, latest 7 at .* \(2 points\)/);
    expect(text).not.toContain('CLOUDWATCH');
    expect(text).toContain('Kafka queues: stored samples (DLQ lag minus resolved) only.');
    await expect(router.handleArgs(['re-execute', 'downloads-dlq', 'evt-1'], cli)).rejects.toMatchObject({
      code: 'DLQ_OPERATION_UNSUPPORTED',
      message: expect.stringContaining('is a Kafka topic: re-execute is for SQS queues behind Step Functions; use replay.'),
    });
  });
});
