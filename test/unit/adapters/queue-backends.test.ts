// The composition root's queue builder: every configured queue, SQS and Kafka, in config order, with
// Kafka connections shared per cluster and closed after the backends when the registry closes. No
// I/O: clients connect lazily and nothing here calls a broker.

import { describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';
import { createQueueBackends } from '../../../src/adapters/outbound/queue-backends.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { QueueBackend } from '../../../src/ports/queue-backend.port.ts';
import type { Store } from '../../../src/ports/store.port.ts';

const config = () => {
  const parsed = parseConfig({
    aws: { region: 'us-east-1', sqsEndpoint: 'http://127.0.0.1:1' },
    kafka: { main: { brokers: ['127.0.0.1:1'] }, other: { brokers: ['127.0.0.1:2'], sasl: { mechanism: 'plain', usernameEnv: 'K_USER', passwordEnv: 'K_PASS' } } },
    queues: [
      { name: 'downloads-dlq', kind: 'kafka', cluster: 'main', topic: 'd.dlq', consumerGroup: 'g', replayTopic: 'd.pending', fieldMapping: { traceId: 'event.id' } },
      { name: 'frontier-dlq', kind: 'sqs', queueUrl: 'http://127.0.0.1:1/000000000000/frontier-dlq' },
      { name: 'uploads-dlq', kind: 'kafka', cluster: 'other', topic: 'u.dlq', consumerGroup: 'g', replayTopic: 'u.pending' },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
};

const store = {} as Store;
const logger = createRootLogger({ level: 'silent' });

describe('createQueueBackends', () => {
  it('builds every queue in config order with its kind and field mapping', () => {
    const built = createQueueBackends(config(), { kafkaSasl: { other: { username: 'u', password: 'p' } } }, { store, clock: systemClock, logger });
    expect(built.backends.map((b) => [b.name, b.kind])).toEqual([
      ['downloads-dlq', 'kafka'],
      ['frontier-dlq', 'sqs'],
      ['uploads-dlq', 'kafka'],
    ]);
    expect(built.backends[0]?.mapping?.traceId).toBe('event.id');
    expect(built.backends[0]?.moveTasks).toBeNull();
    expect(built.backends[0]?.dlq.replayRemovesMessage).toBe(false);
  });

  it('the registry closes every backend first, then the shared connections', async () => {
    const order: string[] = [];
    const backend = (name: string) => ({ name, close: async () => void order.push(`backend ${name}`) }) as unknown as QueueBackend;
    const registry = createQueueRegistry([backend('a'), backend('b')], { onClose: async () => void order.push('kafka pool') });
    await registry.close();
    expect(order).toEqual(['backend a', 'backend b', 'kafka pool']);
  });

  it('closing before any connection was made is quick and clean', async () => {
    const built = createQueueBackends(config(), { kafkaSasl: {} }, { store, clock: systemClock, logger });
    const registry = createQueueRegistry(built.backends, { onClose: built.close });
    await expect(registry.close()).resolves.toBeUndefined();
  });
});
