// Failure paths of the Kafka adapters: a broker that refuses connections or never answers is
// DLQ_UNREACHABLE within seconds, a missing topic is DLQ_QUEUE_MISSING (and is not auto-created,
// although the test broker auto-creates topics), and nothing gets committed on the way.

import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KafkaClients } from '../../../src/adapters/outbound/kafka/kafka-client.ts';
import { KafkaReplayTarget } from '../../../src/adapters/outbound/kafka/kafka-replay-target.ts';
import type { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { DEFAULT_FIELD_MAPPING } from '../../../src/core/analysis/field-mapping.ts';
import { isRedriveError, type ErrorCode } from '../../../src/errors.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { dlqMessage } from '../../fixtures/download-dlq-body.ts';
import { KafkaTestBench, connectionSettings, kafkaDlq, quietLogger, services, tempStore, uniqueName } from './kafka-test-env.ts';

const listen = (onConnection?: () => void): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer(onConnection);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: Server): number => (server.address() as { port: number }).port;

/** A port nothing listens on: bound once, then closed. */
const closedPort = async (): Promise<number> => {
  const server = await listen();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
};

/** Runs `call`, expecting a RedriveError with `code`; returns how long it took. */
const failsWith = async (code: ErrorCode, call: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  const error = await call().then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(isRedriveError(error) ? `${error.code}: ${error.message}` : String(error)).toMatch(new RegExp(`^${code}: `));
  return performance.now() - started;
};

const someMessage = (queue: string): DlqMessage => dlqMessage('{"trace_id":"evt-1"}', { queue, messageKey: '0:0', partition: 0, offset: '0', key: 'evt-1' });

describe.skipIf(!services)('Kafka adapter failures', () => {
  let temp: Awaited<ReturnType<typeof tempStore>>;
  let store: SqliteStore;
  const opened: KafkaClients[] = [];
  const clientsFor = (brokers: string[], overrides = {}): KafkaClients => {
    const clients = new KafkaClients(connectionSettings(brokers, overrides), quietLogger());
    opened.push(clients);
    return clients;
  };

  beforeEach(async () => {
    temp = await tempStore();
    store = temp.store;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    await store.close();
    temp.remove();
  });

  it('a broker that refuses connections is DLQ_UNREACHABLE within a few seconds, for every operation', async () => {
    const clients = clientsFor([`127.0.0.1:${await closedPort()}`]);
    const { dlq } = kafkaDlq({ topic: 'xact.downloads.dlq', group: 'dlq-cli', store, clients });
    const timings = [
      await failsWith('DLQ_UNREACHABLE', () => dlq.status()),
      await failsWith('DLQ_UNREACHABLE', () => dlq.peek({ limit: 10, timeoutMs: 5_000 })),
      await failsWith('DLQ_UNREACHABLE', () => dlq.get('0:0')),
      await failsWith('DLQ_UNREACHABLE', () => dlq.checkout(['0:0'])),
      await failsWith('DLQ_UNREACHABLE', async () => {
        for await (const _ of dlq.scan({ timeoutMs: 5_000 })) void _;
      }),
    ];
    for (const ms of timings) expect(ms).toBeLessThan(3_000);

    const error = await dlq.status().catch((e: unknown) => e);
    expect(isRedriveError(error) && error.retriable).toBe(true);
    expect(isRedriveError(error) && error.userMessage()).toMatch(/did not answer.*check the endpoint/);

    // remove never throws: each message fails with the reason, and its resolution is kept for later.
    const removed = await dlq.remove([{ message: someMessage(dlq.name), handle: null }]);
    expect(removed.removed).toEqual([]);
    expect(removed.failed).toEqual([{ messageKey: '0:0', error: expect.stringMatching(/offset not committed.*did not answer/) }]);
    expect(await store.getResolution(dlq.name, '0:0')).not.toBeNull();

    const target = new KafkaReplayTarget({ clients, topic: 'downloads.pending', originTopic: dlq.topic, mapping: DEFAULT_FIELD_MAPPING });
    expect(await failsWith('DLQ_UNREACHABLE', () => target.send([{ source: someMessage(dlq.name), body: '{}', actor: 'U0A', jobId: null }]))).toBeLessThan(3_000);
  });

  it('a broker that accepts connections but never answers is DLQ_UNREACHABLE after the request timeout, each time', async () => {
    const sockets: { destroy(): void }[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const clients = clientsFor([`127.0.0.1:${portOf(silent)}`], { requestTimeoutMs: 1_000 });
      const { dlq } = kafkaDlq({ topic: 'xact.downloads.dlq', group: 'dlq-cli', store, clients });
      for (let i = 0; i < 2; i += 1) {
        const ms = await failsWith('DLQ_UNREACHABLE', () => dlq.peek({ limit: 10, timeoutMs: 5_000 }));
        expect(ms).toBeLessThan(6_000);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  describe('on the real broker', () => {
    let bench: KafkaTestBench;
    beforeEach(async () => {
      bench = await new KafkaTestBench().connect();
    });
    afterEach(async () => {
      await bench.close();
    });

    it('a topic that does not exist is DLQ_QUEUE_MISSING, is not created, and nothing is committed', async () => {
      const missing = uniqueName('no-such-dlq');
      const group = uniqueName('missing-group');
      const { dlq } = kafkaDlq({ topic: missing, group, store, clients: clientsFor(services?.kafka.brokers ?? []) });
      await failsWith('DLQ_QUEUE_MISSING', () => dlq.status());
      await failsWith('DLQ_QUEUE_MISSING', () => dlq.peek({ limit: 10, timeoutMs: 2_000 }));
      await failsWith('DLQ_QUEUE_MISSING', () => dlq.get('0:0'));
      await failsWith('DLQ_QUEUE_MISSING', async () => {
        for await (const _ of dlq.scan({ timeoutMs: 2_000 })) void _;
      });
      const removed = await dlq.remove([{ message: someMessage(dlq.name), handle: null }]);
      expect(removed.failed[0]?.error).toMatch(/topic does not exist/);

      expect(await bench.admin.listTopics()).not.toContain(missing);
      const [description] = (await bench.admin.describeGroups([group])).groups;
      expect(description?.state).toBe('Dead');
    });

    it('a partition the topic does not have is simply not found', async () => {
      const topic = await bench.createTopic('errors-dlq', 1);
      await bench.produce(topic, [{ value: 'only one' }]);
      const { dlq } = kafkaDlq({ topic, group: uniqueName('g'), store, clients: clientsFor(services?.kafka.brokers ?? []) });
      expect(await dlq.get('3:0')).toBeNull();
      expect(await dlq.checkout(['3:0', '0:0'])).toMatchObject({ missing: ['3:0'], found: [{ message: { body: 'only one' } }] });
    });
  });
});
