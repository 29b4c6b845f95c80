// Builds the app layer on ElasticMQ for a test: a fresh source queue + DLQ pair, a registry with the
// SQS backend, an in-memory store and the queue operations. Tests only.

import type { SqsQueueConfig } from '../../../src/config/config.schema.ts';
import { createSqsQueueBackend } from '../../../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { createQueueRegistry } from '../../../src/app/queue-registry.ts';
import { createQueueOperations } from '../../../src/app/queue/queue-operations.ts';
import type { QueueDeps } from '../../../src/app/queue/queue-deps.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { QueueBackend } from '../../../src/ports/queue-backend.port.ts';
import { createDlqCommandRouter } from '../../../src/app/dlq-command-router.ts';
import { MemoryStore } from '../../fakes/memory-store.ts';
import { createQueuePair, deleteQueues, testSqsClient, type CreatedQueue } from './sqs-test-env.ts';

export interface AppEnv {
  deps: QueueDeps;
  store: MemoryStore;
  backend: QueueBackend;
  source: CreatedQueue;
  dlq: CreatedQueue;
  queue: string;
  client: ReturnType<typeof testSqsClient>;
  router: ReturnType<typeof createDlqCommandRouter>;
  cleanup(): Promise<void>;
}

export const makeAppEnv = async (
  options: { fifo?: boolean; queueConfig?: Partial<SqsQueueConfig>; bodyEdit?: string | null } = {},
): Promise<AppEnv> => {
  const client = testSqsClient();
  const { source, dlq } = await createQueuePair(client, 'app', options.fifo ?? false);
  const queue = dlq.name.replace(/\.fifo$/, '');
  const config: SqsQueueConfig = {
    name: queue,
    kind: 'sqs',
    queueUrl: dlq.url,
    escalation: { preset: 'sqs-runbook' },
    alarmNames: [],
    replayTarget: { kind: 'source' },
    ...options.queueConfig,
  } as SqsQueueConfig;
  const backend = createSqsQueueBackend(config, { sqs: client, sfn: null, cloudwatch: null, clock: systemClock, alarmTopicArn: null, checkoutVisibilitySeconds: 20 });
  const store = new MemoryStore();
  const deps: QueueDeps = { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics };
  const router = createDlqCommandRouter(createQueueOperations(deps, { bodyEdit: options.bodyEdit ?? null }));
  return {
    deps, store, backend, source, dlq, queue, client, router,
    cleanup: async () => {
      await deleteQueues(client, source.url, dlq.url);
      client.destroy();
    },
  };
};

export const cli = { actor: 'cli:test', channelId: null, transport: 'cli' as const };
