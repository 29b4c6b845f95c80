// A connection the broker (or the network) resets under a connected reader: the next read opens a new
// one and answers (kafkajs reconnects a broker it saw close; KafkaWire also retries an operation once
// when its connection drops mid-request), and a wire that was disconnected stays closed.
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaWire } from '../../../src/adapters/outbound/kafka/kafka-wire.ts';
import { kafkaBrokers, KafkaTestBench } from './kafka-test-env.ts';

const services = inject('services');
const require = createRequire(import.meta.url);
const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => (options: Record<string, unknown>) => Socket;

describe.skipIf(!services)('KafkaWire after a dropped connection (real broker)', () => {
  let bench: KafkaTestBench;
  let topic: string;
  const sockets: Socket[] = [];
  let wire: KafkaWire;

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    topic = await bench.createTopic('reconnect-dlq', 1);
    await bench.produce(topic, [{ value: 'first', partition: 0 }, { value: 'second', partition: 0 }]);
    const factory = defaultSocketFactory();
    wire = new KafkaWire({
      brokers: kafkaBrokers(),
      clientId: 'redrive-reconnect-test',
      ssl: false,
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      retry: { retries: 0, initialRetryTime: 100, maxRetryTime: 500 },
      logLevel: 0,
      logCreator: () => () => undefined,
      socketFactory: (options: Record<string, unknown>) => {
        const socket = factory(options);
        sockets.push(socket);
        return socket;
      },
    });
  });

  afterAll(async () => {
    await wire?.disconnect().catch(() => undefined);
    await bench?.close();
  });

  const readAll = async () => {
    const [partition] = await wire.partitions(topic);
    const [offsets] = await wire.offsets(topic, [partition ?? 0]);
    const fetched = await wire.fetch(topic, [{ partition: 0, offset: offsets?.low ?? 0n, maxBytes: 65_536 }], { maxWaitMs: 500, maxBytes: 65_536 });
    const first = fetched[0];
    return first && !first.outOfRange ? first.records.map((r) => r.value?.toString()) : [];
  };

  it('reads again on a new connection after every socket it had was destroyed', async () => {
    expect(await readAll()).toEqual(['first', 'second']);
    const before = sockets.length;
    expect(before).toBeGreaterThan(0);
    // As when the broker resets the connection (ECONNRESET): kafkajs hears an error and closes it.
    for (const socket of sockets) socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await readAll()).toEqual(['first', 'second']);
    expect(sockets.length).toBeGreaterThan(before);
    expect(await wire.committed(`${topic}-group`, topic, [0])).toEqual(new Map([[0, -1n]]));
  });

  it('after disconnect() an operation cut off by it does not open a new connection', async () => {
    await readAll();
    const before = sockets.length;
    const inFlight = wire.fetch(topic, [{ partition: 0, offset: 2n, maxBytes: 65_536 }], { maxWaitMs: 2_000, maxBytes: 65_536 }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await wire.disconnect();
    await inFlight;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sockets.length).toBe(before);
    expect(sockets.every((socket) => socket.destroyed)).toBe(true);
  });
});
