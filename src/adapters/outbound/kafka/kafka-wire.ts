// Typed access to the few kafkajs internals its public API lacks: reading a partition from an offset
// without joining a consumer group (kafkajs consumers always join one), and committing a group's
// offsets from outside the group (generation -1, empty member id), as Java's
// AdminClient.alterConsumerGroupOffsets does. It must stay the only module that touches kafkajs/src.
//
// Why not the public API: a consumer with a throwaway group joins, rebalances (3 s initial delay on
// default brokers) and leaves a group behind; admin.setOffsets joins the DLQ group as a member to
// commit. kafkajs 2.2.4 is the last release, so these internals are frozen.

import { createRequire } from 'node:module';
import { retryWhileCoordinatorBusy } from './coordinator-retry.ts';
import type { BatchConstructor, ClusterConstructor, FetchResponse, InternalBroker, InternalCluster, TopicPartitions, WireRecord } from './kafka-internals.ts';

export type { WireRecord } from './kafka-internals.ts';

const require = createRequire(import.meta.url);

/** Connection-level failures (and kafkajs's bare error from a half-connected broker). */
const isConnectivityFailure = (error: unknown): boolean => {
  for (let e = error as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth += 1) {
    if (/^KafkaJS(Connection|ConnectionClosed|RequestTimeout|BrokerNotFound|NoBrokerAvailable)Error$|^KafkaJSBrokerNotFound$/.test(e.name ?? '')) return true;
    if (e.message === 'Broker not connected') return true;
  }
  return false;
};

/** kafkajs's bare error from a broker whose ApiVersions handshake has not completed (yet). */
const isHandshakePending = (error: unknown): boolean => {
  for (let e = error as { message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth += 1) {
    if (e.message === 'Broker not connected') return true;
  }
  return false;
};
const HANDSHAKE_WAIT_MS = 250;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The socket was up and is gone: retrying on a new connection is safe and likely to succeed. */
const isDroppedConnection = (error: unknown): boolean => {
  for (let e = error as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth += 1) {
    if (e.name === 'KafkaJSConnectionClosedError' || e.message === 'Broker not connected') return true;
  }
  return false;
};

/** Shaped like kafkajs's protocol error, so translation treats it the same way. */
const unknownPartition = (topic: string, partition: number | null): Error =>
  Object.assign(new Error(partition === null ? `topic ${topic} has no partitions` : `topic ${topic} has no partition ${partition}`), {
    name: 'KafkaJSProtocolError',
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
    retriable: false,
  });

const Cluster = require('kafkajs/src/cluster/index.js') as ClusterConstructor;
// Batch drops records below the fetch offset, aborted transactions and control records.
const Batch = require('kafkajs/src/consumer/batch.js') as BatchConstructor;
const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;
const { createLogger } = require('kafkajs/src/loggers/index.js') as {
  createLogger: (options: { level: number; logCreator: unknown }) => unknown;
};

/** Kafka's read_committed: reads stop at the last stable offset, aborted records are skipped. */
const READ_COMMITTED = 1;

export interface WireSettings {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: string; username: string; password: string } | undefined;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  retry: { retries: number; initialRetryTime: number; maxRetryTime: number };
  logLevel: number;
  logCreator: unknown;
  /** How long partition metadata is trusted before a refresh (default 30 s). */
  metadataMaxAgeMs?: number;
  /** kafkajs's socket factory (its public `socketFactory` option); the default opens plain or TLS sockets. */
  socketFactory?: unknown;
}

export interface PartitionOffsets {
  partition: number;
  /** Log start offset. */
  low: bigint;
  /** The last stable offset (the high watermark when no transaction is open): reads end here. */
  high: bigint;
}

export interface FetchRequest {
  partition: number;
  offset: bigint;
  maxBytes: number;
}

export type FetchedPartition =
  | {
      partition: number;
      outOfRange: false;
      /** Readable records at or after the requested offset (control and aborted records removed). */
      records: WireRecord[];
      /** Where the next read of this partition starts. */
      nextOffset: bigint;
      /** Nothing at all came back: the partition has nothing readable at the offset yet. */
      empty: boolean;
    }
  | { partition: number; outOfRange: true };

export class KafkaWire {
  readonly #cluster: InternalCluster;
  #connecting: Promise<void> | null = null;
  /** disconnect() was called: an operation still in flight must not open a new connection. */
  #closed = false;
  /** A connect has succeeded at least once: the cluster is there, so a dropped connection is worth one retry. */
  #reachable = false;
  readonly #coordinatorWaitMs: number;

  constructor(settings: WireSettings) {
    this.#coordinatorWaitMs = Math.max(settings.requestTimeoutMs, 5_000);
    this.#cluster = new Cluster({
      logger: createLogger({ level: settings.logLevel, logCreator: settings.logCreator }),
      socketFactory: settings.socketFactory ?? defaultSocketFactory(),
      brokers: settings.brokers,
      clientId: settings.clientId,
      ssl: settings.ssl,
      sasl: settings.sasl,
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      enforceRequestTimeout: true,
      retry: settings.retry,
      metadataMaxAge: settings.metadataMaxAgeMs ?? 30_000,
      // The test broker (and some real ones) auto-create topics on a metadata request: a typo in
      // the config must be reported as a missing topic, not create one.
      allowAutoTopicCreation: false,
      isolationLevel: READ_COMMITTED,
      instrumentationEmitter: null,
    });
  }

  /**
   * Connects once however many callers ask at the same time (the depth poller and a /dlq command on a
   * fresh process): two concurrent kafkajs connects each make a seed broker, and requests on the one
   * replaced fail with "Broker not connected".
   */
  async connect(): Promise<void> {
    this.#closed = false;
    if (this.#cluster.isConnected()) return;
    // Not retried here: a connect that fails is the answer (the operation's own guard may retry it).
    this.#connecting ??= this.#guard(async () => {
      await this.#cluster.connect();
      this.#reachable = true;
    }, false).finally(() => {
      this.#connecting = null;
    });
    await this.#connecting;
  }

  /**
   * Runs one cluster operation; after a connectivity failure the cluster is disconnected so the next
   * call starts over. kafkajs otherwise keeps a seed broker whose socket connected but whose
   * ApiVersions request timed out (a hung broker), and every later call fails at once with a bare
   * "Broker not connected".
   */
  async #guard<T>(run: () => Promise<T>, mayRetry = true): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (!isConnectivityFailure(error)) throw error;
        const lastTry = !mayRetry || attempt > 0 || this.#closed;
        // kafkajs hands out a broker whose socket is up while another call's ApiVersions handshake on
        // it is still under way, and that broker answers "Broker not connected" (a fresh process: the
        // depth poller's first read beside a /dlq command). Wait a moment on the same connection.
        if (!lastTry && isHandshakePending(error)) {
          await pause(HANDSHAKE_WAIT_MS);
          continue;
        }
        await this.#cluster.disconnect().catch(() => undefined);
        // A connection that was up and then dropped (the broker closed an idle socket, a concurrent
        // call reset it) is retried once on a fresh connection. Every operation here is a read or an
        // idempotent commit. A broker that never answered a connect, or a request that timed out, is
        // not retried: the caller hears it at once.
        if (lastTry || !this.#reachable || !isDroppedConnection(error)) throw error;
        await this.connect();
      }
    }
  }

  async disconnect(): Promise<void> {
    this.#closed = true;
    await this.#cluster.disconnect();
  }

  /** Forgets cached metadata (after NOT_LEADER_OR_FOLLOWER and the like). */
  async refresh(): Promise<void> {
    await this.#guard(() => this.#cluster.refreshMetadata());
  }

  /** Partition ids of a topic; throws UNKNOWN_TOPIC_OR_PARTITION (kafkajs) when it does not exist. */
  async partitions(topic: string): Promise<number[]> {
    return this.#guard(async () => {
      await this.connect();
      await this.#cluster.addTargetTopic(topic);
      await this.#cluster.refreshMetadataIfNecessary();
      let metadata = this.#cluster.findTopicPartitionMetadata(topic);
      if (metadata.length === 0) {
        await this.#cluster.refreshMetadata();
        metadata = this.#cluster.findTopicPartitionMetadata(topic);
      }
      if (metadata.length === 0) throw unknownPartition(topic, null);
      return metadata.map((p) => p.partitionId).sort((a, b) => a - b);
    });
  }

  /** Log start and last stable offset of each partition (two ListOffsets rounds). */
  async offsets(topic: string, partitions: number[]): Promise<PartitionOffsets[]> {
    return this.#guard(async () => {
      const request = (fromBeginning: boolean) => [{ topic, fromBeginning, partitions: partitions.map((partition) => ({ partition })) }];
      const [lows, highs] = await Promise.all([this.#cluster.fetchTopicsOffset(request(true)), this.#cluster.fetchTopicsOffset(request(false))]);
      const byPartition = (answer: TopicPartitions<{ partition: number; offset: string }>[]) =>
        new Map((answer.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      const low = byPartition(lows);
      const high = byPartition(highs);
      return partitions.map((partition) => {
        const [l, h] = [low.get(partition), high.get(partition)];
        if (l === undefined || h === undefined) throw unknownPartition(topic, partition);
        return { partition, low: l, high: h };
      });
    });
  }

  /** The group's committed offset per partition; -1 where it has none. */
  async committed(groupId: string, topic: string, partitions: number[]): Promise<Map<number, bigint>> {
    return this.#guard(async () => {
      const answer = await this.#atCoordinator(groupId, (coordinator) =>
        coordinator.offsetFetch({ groupId, topics: [{ topic, partitions: partitions.map((partition) => ({ partition })) }] }),
      );
      const found = answer.responses.find((t) => t.topic === topic)?.partitions ?? [];
      return new Map(partitions.map((partition) => [partition, BigInt(found.find((p) => p.partition === partition)?.offset ?? '-1')]));
    });
  }

  /**
   * Commits offsets for a group without being a member of it. The coordinator accepts this only
   * while the group has no live members; otherwise kafkajs throws the partition's error
   * (UNKNOWN_MEMBER_ID on Kafka 4).
   */
  async commit(groupId: string, topic: string, offsets: Map<number, bigint>): Promise<void> {
    return this.#guard(async () => {
      await this.#atCoordinator(groupId, (coordinator) =>
        coordinator.offsetCommit({
          groupId,
          groupGenerationId: -1,
          memberId: '',
          topics: [{ topic, partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: offset.toString() })) }],
        }),
      );
    });
  }

  /** Asks the group's coordinator, finding it again while it is loading, unelected or moved (up to one request timeout). */
  async #atCoordinator<T>(groupId: string, ask: (coordinator: InternalBroker) => Promise<T>): Promise<T> {
    return retryWhileCoordinatorBusy(async () => ask(await this.#cluster.findGroupCoordinator({ groupId })), { withinMs: this.#coordinatorWaitMs });
  }

  /**
   * One Fetch per partition leader, in parallel. An offset below the log start comes back as
   * `outOfRange` for that partition (the others are then re-read by the caller's next round).
   */
  async fetch(topic: string, requests: FetchRequest[], options: { maxWaitMs: number; maxBytes: number }): Promise<FetchedPartition[]> {
    return this.#guard(async () => {
      if (requests.length === 0) return [];
      const byLeader = this.#cluster.findLeaderForPartitions(
        topic,
        requests.map((r) => r.partition),
      );
      const rounds = Object.entries(byLeader).map(async ([nodeId, partitions]): Promise<FetchedPartition[]> => {
        const wanted = requests.filter((r) => partitions.includes(r.partition));
        const broker = await this.#cluster.findBroker({ nodeId });
        let response: FetchResponse;
        try {
          response = await broker.fetch({
            maxWaitTime: options.maxWaitMs,
            minBytes: 1,
            maxBytes: options.maxBytes,
            isolationLevel: READ_COMMITTED,
            topics: [{ topic, partitions: wanted.map((r) => ({ partition: r.partition, fetchOffset: r.offset.toString(), maxBytes: r.maxBytes })) }],
          });
        } catch (error) {
          const e = error as { name?: string; partition?: number };
          if (e.name === 'KafkaJSOffsetOutOfRange' && typeof e.partition === 'number') return [{ partition: e.partition, outOfRange: true }];
          throw error;
        }
        const out: FetchedPartition[] = [];
        for (const data of response.responses.find((t) => t.topicName === topic)?.partitions ?? []) {
          const request = wanted.find((r) => r.partition === data.partition);
          if (!request) continue;
          const batch = new Batch(topic, request.offset.toString(), data);
          const within = batch.messagesWithinOffset;
          const last = within[within.length - 1];
          // Past control records and aborted records too; a batch holding only lower offsets (a
          // compacted tail) moves on by one so a read always ends.
          const nextOffset = last ? BigInt(last.offset) + 1n : data.messages.length > 0 ? request.offset + 1n : request.offset;
          out.push({ partition: data.partition, outOfRange: false, records: batch.messages, nextOffset, empty: data.messages.length === 0 });
        }
        return out;
      });
      return (await Promise.all(rounds)).flat();
    });
  }
}
