// Shared set-up for the Kafka integration tests: the loopback broker from the global setup, unique
// topic and group names, topics created and deleted per test, a SqliteStore in a temp dir for the
// resolutions, and the adapter wired the way main.ts wires it. Tests only, never imported by src.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, inject } from 'vitest';
import { Kafka, Partitioners, logLevel, type Admin, type IHeaders, type KafkaMessage as KafkaJsMessage, type Producer } from 'kafkajs';
import { KafkaClients, type KafkaConnectionSettings } from '../../../src/adapters/outbound/kafka/kafka-client.ts';
import { KafkaDeadLetterQueue } from '../../../src/adapters/outbound/kafka/kafka-dead-letter-queue.ts';
import { createKafkaQueueBackend } from '../../../src/adapters/outbound/kafka/kafka-queue-backend.ts';
import type { KafkaWire } from '../../../src/adapters/outbound/kafka/kafka-wire.ts';
import { createRootLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import { kafkaQueueSchema } from '../../../src/config/config.schema.ts';
import { systemClock, type Clock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { requireServices, uniqueName, waitFor } from '../../support/services.ts';

export { uniqueName, waitFor } from '../../support/services.ts';

/** The services the global setup started (scripts/services.sh); null skips the Kafka tests outside CI. */
export const services = inject('services');

/** Broker addresses of the loopback Kafka. */
export const kafkaBrokers = (): string[] => requireServices(services).kafka.brokers;

export const quietLogger = () => createRootLogger({ level: 'silent' });

/** A redrive.yml in `dir` (SQLite store beside it, Slack over HTTP) with one Kafka DLQ on the test broker. */
export const writeKafkaQueueConfig = (dir: string, queue: { name: string; topic: string; group: string; replayTopic?: string }): string => {
  const path = join(dir, 'redrive.yml');
  writeFileSync(
    path,
    [
      'server: {host: 127.0.0.1, port: 0}',
      `store: {kind: sqlite, path: ${join(dir, 'redrive.db')}}`,
      'slack: {mode: http}',
      'kafka:',
      '  default:',
      `    brokers: [${kafkaBrokers().join(', ')}]`,
      '    clientId: redrive-e2e',
      'queues:',
      `  - name: ${queue.name}`,
      '    kind: kafka',
      '    cluster: default',
      `    topic: ${queue.topic}`,
      `    consumerGroup: ${queue.group}`,
      ...(queue.replayTopic ? [`    replayTopic: ${queue.replayTopic}`] : []),
      '    escalation: {preset: kafka-runbook}',
    ].join('\n'),
  );
  return path;
};

export const connectionSettings = (brokers = kafkaBrokers(), overrides: Partial<KafkaConnectionSettings> = {}): KafkaConnectionSettings => ({
  name: 'test',
  brokers,
  clientId: 'redrive-test',
  ssl: false,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  ...overrides,
});

export type KafkaMessage = KafkaJsMessage & { partition: number };

/** Plain kafkajs clients for arranging and checking what the adapter did. */
export class KafkaTestBench {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly #topics: string[] = [];
  readonly #wire: KafkaWire;

  constructor(brokers = kafkaBrokers()) {
    this.#wire = new KafkaClients(connectionSettings(brokers), quietLogger()).wire;
    this.kafka = new Kafka({ brokers, clientId: 'redrive-test-bench', logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    this.admin = this.kafka.admin();
    // Idempotent: a send retried under load (2 cores shared with the broker) must not write a message
    // twice, or tests that count offsets see a duplicate (seen in CI: partition 0 held 'a' at 0 and 1).
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  async connect(): Promise<this> {
    await Promise.all([this.admin.connect(), this.producer.connect()]);
    return this;
  }

  async createTopic(prefix: string, partitions = 1): Promise<string> {
    const topic = uniqueName(prefix);
    await this.admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    this.#topics.push(topic);
    return topic;
  }

  /** Produces in order and waits for acks from all replicas; returns the offsets written. */
  async produce(
    topic: string,
    messages: { value: string | Buffer | null; key?: string | Buffer | null; headers?: IHeaders; partition?: number }[],
  ): Promise<void> {
    // Small sends: one request must stay under the broker's message.max.bytes (1 MiB).
    for (let i = 0; i < messages.length; i += 100) {
      await this.producer.send({ topic, acks: -1, messages: messages.slice(i, i + 100).map((m) => ({ partition: 0, key: null, ...m })) });
    }
  }

  /** The group's committed offset per partition as Kafka reports it ('-1' when none). */
  async committed(group: string, topic: string): Promise<Record<number, string>> {
    const [answer] = await this.admin.fetchOffsets({ groupId: group, topics: [topic] });
    return Object.fromEntries((answer?.partitions ?? []).map((p) => [p.partition, p.offset]));
  }

  /**
   * Sets the group's offsets as its own consumers would have left them (the group must be idle).
   * Not admin.setOffsets: it joins the group with a paused consumer and waits out a whole fetch
   * (maxWaitTime, 5 s) before it commits.
   */
  async setCommitted(group: string, topic: string, offsets: Record<number, number>): Promise<void> {
    await this.#wire.partitions(topic);
    await this.#wire.commit(group, topic, new Map(Object.entries(offsets).map(([p, o]) => [Number(p), BigInt(o)])));
  }

  /** Every record of a topic, read by a plain kafkajs consumer (own group) once `count` have arrived. */
  async readAll(topic: string, count: number): Promise<KafkaMessage[]> {
    const consumer = this.kafka.consumer({ groupId: uniqueName('bench-reader'), maxWaitTimeInMs: 100 });
    const seen: KafkaMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push({ ...message, partition }) });
      await waitFor(() => seen.length >= count, { timeoutMs: 20_000, description: `${count} records on ${topic}` });
    } finally {
      await consumer.disconnect();
    }
    return seen;
  }

  async close(): Promise<void> {
    if (this.#topics.length > 0) await this.admin.deleteTopics({ topics: this.#topics.splice(0) }).catch(() => undefined);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect(), this.#wire.disconnect()]);
  }
}

export interface TempStore {
  store: SqliteStore;
  path: string;
  remove(): void;
}

/** A SqliteStore on a fresh file; `remove` deletes the directory. */
export const tempStore = async (clock: Clock = systemClock): Promise<TempStore> => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-kafka-'));
  const path = join(dir, 'redrive.db');
  const store = SqliteStore.open(path, { clock });
  await store.migrate();
  return { store, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

export interface DlqUnderTest {
  dlq: KafkaDeadLetterQueue;
  clients: KafkaClients;
  topic: string;
  group: string;
}

export const kafkaDlq = (
  options: { topic: string; group: string; store: SqliteStore; clients?: KafkaClients; name?: string; clock?: Clock },
): DlqUnderTest => {
  const clients = options.clients ?? kafkaClients();
  const dlq = new KafkaDeadLetterQueue({
    name: options.name ?? options.topic,
    topic: options.topic,
    consumerGroup: options.group,
    wire: clients.wire,
    store: options.store,
    clock: options.clock ?? systemClock,
  });
  return { dlq, clients, topic: options.topic, group: options.group };
};

/** Resolution as the app layer records it before calling remove. */
export const resolveAt = async (store: SqliteStore, queue: string, partition: number, offset: number, by = 'U0TEST'): Promise<void> => {
  await store.recordResolution({
    queue,
    messageKey: `${partition}:${offset}`,
    traceId: null,
    partition,
    offset: String(offset),
    body: null,
    attributes: {},
    resolvedBy: by,
    reason: 'test',
    resolvedAt: new Date(),
  });
};

/** What each test of a file that calls useKafkaTestEnv works with; every field is new for each test. */
export interface KafkaTestEnv {
  bench: KafkaTestBench;
  temp: TempStore;
  /** The store in the temp directory; a test that reopens it (a restart) puts the new one here, so it is closed. */
  store: SqliteStore;
  /** The adapter's clients, once the test (or the file's own beforeEach) made them. */
  clients: KafkaClients | undefined;
}

/**
 * The set-up every Kafka test file shares, as hooks: before each test a connected bench and a fresh
 * store; after it the clients (when there are any), the bench (deleting its topics), the store, and
 * the temp directory, in that order. Call it first in the describe: its beforeEach runs before the
 * file's own, its afterEach after them.
 */
export const useKafkaTestEnv = (): KafkaTestEnv => {
  const env = {} as KafkaTestEnv;
  beforeEach(async () => {
    env.clients = undefined;
    env.bench = await new KafkaTestBench().connect();
    env.temp = await tempStore();
    env.store = env.temp.store;
  });
  afterEach(async () => {
    await env.clients?.close();
    await env.bench.close();
    await env.store.close();
    env.temp.remove();
  });
  return env;
};

/** New adapter clients on the loopback broker (the caller closes them, or puts them in a KafkaTestEnv). */
export const kafkaClients = (): KafkaClients => new KafkaClients(connectionSettings(), quietLogger());

/** The use cases' deps on one Kafka queue (its backend wired as main.ts wires it) and the store. */
export const kafkaQueueDeps = (options: {
  name: string;
  topic: string;
  group: string;
  /** Omitted: replays go to the original topic the framework headers name, once confirmed. */
  replayTopic?: string;
  clients: KafkaClients;
  store: SqliteStore;
  fieldMapping?: Record<string, string>;
}) => {
  const { name, topic, group, replayTopic, clients, store, fieldMapping } = options;
  const queue = kafkaQueueSchema.parse({ kind: 'kafka', name, topic, consumerGroup: group, ...(replayTopic ? { replayTopic } : {}), ...(fieldMapping ? { fieldMapping } : {}) });
  const backend = createKafkaQueueBackend(queue, { clients, store, clock: systemClock });
  return { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics };
};
