// `/dlq history` on a Kafka queue: the depths Redrive stored (status, poller) over the range asked
// for; there is no CloudWatch for a topic, and the reply says so.

import { describe, expect, it } from 'vitest';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { createDlqCommandRouter } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { kafkaClients, kafkaQueueDeps, services, uniqueName, useKafkaTestEnv } from './kafka-test-env.ts';

describe.skipIf(!services)('Kafka history', () => {
  const env = useKafkaTestEnv();

  it('shows the stored lag samples, including the ones status just took; re-execute is refused clearly', async () => {
    const topic = await env.bench.createTopic('history-dlq');
    env.clients = kafkaClients();
    const deps = kafkaQueueDeps({ name: 'downloads-dlq', topic, group: uniqueName('history-group'), replayTopic: topic, clients: env.clients, store: env.store });
    const router = createDlqCommandRouter(createQueueOperations(deps));
    const cli = { actor: 'cli:test', channelId: null, transport: 'cli' as const };
    await env.store.addDepthSample({ queue: 'downloads-dlq', at: new Date(Date.now() - 90 * 60_000), depth: 12 });
    await env.bench.produce(topic, Array.from({ length: 7 }, (_, i) => ({ value: JSON.stringify({ trace_id: `evt-${i}` }) })));
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
