// KafkaDeadLetterQueue: the DeadLetterQueue port on a Kafka DLQ topic and the consumer group that
// drains it (runbook: `dlq.cli list | view | resolve`). Reads never join or commit a group: they
// fetch partitions from the group's committed offset up to a high-watermark snapshot. Resolutions
// live in the store; remove commits each partition only up to its lowest unresolved offset, so
// resolving one message never hides another. It decides nothing: the app layer orders the steps.

import type { Clock } from '../../../ports/clock.port.ts';
import type {
  CheckedOutMessage,
  CheckoutResult,
  DeadLetterQueue,
  DlqMessage,
  PartitionLag,
  PeekOptions,
  QueueStatus,
  RemoveResult,
} from '../../../ports/dead-letter-queue.port.ts';
import { translateKafkaError } from './kafka-errors.ts';
import { KafkaGroupProgress, resolvedOf, unresolvedRanges, type PartitionSnapshot, type ResolutionStore } from './kafka-group-progress.ts';
import { readRanges, type ReadRange } from './kafka-partition-reader.ts';
import { formatMessageKey, parseMessageKey, toDlqMessage, type KafkaMessageKey } from './kafka-record-mapper.ts';
import type { KafkaWire } from './kafka-wire.ts';

export type { ResolutionStore } from './kafka-group-progress.ts';

export interface KafkaDeadLetterQueueOptions {
  /** The configured queue name (resolutions and messages are filed under it). */
  name: string;
  topic: string;
  /** The group whose committed offsets mark what has been dealt with. */
  consumerGroup: string;
  wire: KafkaWire;
  store: ResolutionStore;
  clock: Clock;
  /**
   * Per-partition fetch size for scan (default 256 KiB: bench/kafka-scan.ts shows the same rate as
   * 1 MiB on a local broker, with a third less peak RSS); peek and get use less.
   */
  scanBytesPerPartition?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SCAN_TIMEOUT_MS = 10 * 60_000;
const KIB = 1024;
const MIB = 1024 * KIB;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
export class KafkaDeadLetterQueue implements DeadLetterQueue {
  readonly kind = 'kafka' as const;
  readonly name: string;
  readonly replayRemovesMessage = false;
  readonly topic: string;
  readonly consumerGroup: string;
  readonly #wire: KafkaWire;
  readonly #progress: KafkaGroupProgress;
  readonly #clock: Clock;
  readonly #scanBytes: number;
  /** Commits of this instance run one at a time, so two resolves never race each other. */
  #commits: Promise<unknown> = Promise.resolve();

  constructor(options: KafkaDeadLetterQueueOptions) {
    this.name = options.name;
    this.topic = options.topic;
    this.consumerGroup = options.consumerGroup;
    this.#wire = options.wire;
    this.#progress = new KafkaGroupProgress({ queue: options.name, topic: options.topic, group: options.consumerGroup, wire: options.wire, store: options.store });
    this.#clock = options.clock;
    this.#scanBytes = options.scanBytesPerPartition ?? 256 * KIB;
  }

  async status(): Promise<QueueStatus> {
    const snapshot = await this.#call('status', () => this.#progress.snapshot());
    const partitions: PartitionLag[] = snapshot.map((p) => ({
      partition: p.partition,
      highWatermark: p.high.toString(),
      committed: p.start.toString(),
      lag: Number(p.high - p.start),
      resolved: p.resolved.size,
    }));
    return {
      queue: this.name,
      kind: 'kafka',
      depth: partitions.reduce((sum, p) => sum + p.lag - p.resolved, 0),
      inFlight: null,
      delayed: null,
      oldestAgeSeconds: await this.#oldestAgeSeconds(snapshot).catch(() => null),
      partitions,
      at: this.#clock.now(),
    };
  }

  async peek(options: PeekOptions): Promise<DlqMessage[]> {
    if (options.limit <= 0) return [];
    return this.#call('peek', async () => {
      const snapshot = await this.#progress.snapshot();
      const out: DlqMessage[] = [];
      const bytes = clamp(options.limit * 8 * KIB, 64 * KIB, MIB);
      reading: for await (const chunks of this.#read(snapshot, unresolvedRanges(snapshot), { timeoutMs: options.timeoutMs, bytes })) {
        for (const chunk of chunks) {
          const resolved = resolvedOf(snapshot, chunk.partition);
          for (const record of chunk.records) {
            if (resolved.size > 0 && resolved.has(BigInt(record.offset))) continue;
            out.push(toDlqMessage(this.name, chunk.partition, record));
            if (out.length >= options.limit) break reading;
          }
        }
      }
      return out.sort(byPosition);
    });
  }

  async *scan(options: { timeoutMs?: number; signal?: AbortSignal } = {}): AsyncIterable<DlqMessage> {
    const snapshot = await this.#call('scan', () => this.#progress.snapshot());
    const reader = this.#read(snapshot, unresolvedRanges(snapshot), {
      timeoutMs: options.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS,
      bytes: this.#scanBytes,
      signal: options.signal,
    });
    try {
      for await (const chunks of reader) {
        for (const chunk of chunks) {
          const resolved = resolvedOf(snapshot, chunk.partition);
          for (const record of chunk.records) {
            if (resolved.size > 0 && resolved.has(BigInt(record.offset))) continue;
            yield toDlqMessage(this.name, chunk.partition, record);
            if (options.signal?.aborted) return;
          }
        }
      }
    } catch (error) {
      throw translateKafkaError(error, `scan of ${this.name}`, { queue: this.name, topic: this.topic });
    }
  }

  /** Reads the message at `<partition>:<offset>`, resolved or not; null when it is not in the topic. */
  async get(messageKey: string, options: { timeoutMs?: number } = {}): Promise<DlqMessage | null> {
    const key = parseMessageKey(messageKey);
    if (!key) return null;
    const [found] = await this.#call('get', () => this.#readAt([key], options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    return found ?? null;
  }

  /** Kafka has nothing to hold: checking out is reading each message at its offset. */
  async checkout(messageKeys: string[], options: { timeoutMs?: number } = {}): Promise<CheckoutResult> {
    const keys = [...new Set(messageKeys)].map((k) => parseMessageKey(k)).filter((k): k is KafkaMessageKey => k !== null);
    const messages = await this.#call('checkout', () => this.#readAt(keys, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    const byKey = new Map(messages.map((m) => [m.messageKey, m]));
    const found: CheckedOutMessage[] = [];
    const missing: string[] = [];
    for (const key of messageKeys) {
      const normalized = parseMessageKey(key);
      const message = normalized ? byKey.get(formatMessageKey(normalized.partition, normalized.offset)) : undefined;
      if (message && !found.some((f) => f.message === message)) found.push({ message, handle: null });
      else if (!message) missing.push(key);
    }
    return { found, missing };
  }

  /**
   * Resolve semantics (runbook): each message is marked resolved in the store (the app layer
   * normally did so already, with who and why), then each partition's committed offset moves up to
   * its lowest unresolved offset. A commit the coordinator refuses (the group has live members)
   * fails that partition's messages; their resolutions stay, and a later remove commits them.
   */
  async remove(messages: CheckedOutMessage[]): Promise<RemoveResult> {
    const result: RemoveResult = { removed: [], failed: [] };
    const byPartition = new Map<number, DlqMessage[]>();
    for (const { message } of messages) {
      const key = parseMessageKey(message.messageKey);
      if (!key || message.queue !== this.name) {
        result.failed.push({ messageKey: message.messageKey, error: `not a message of ${this.name} (expected <partition>:<offset>)` });
        continue;
      }
      try {
        await this.#progress.ensureResolved(message, key, this.#clock.now());
      } catch (error) {
        result.failed.push({ messageKey: message.messageKey, error: `could not record the resolution: ${errorText(error)}` });
        continue;
      }
      byPartition.set(key.partition, [...(byPartition.get(key.partition) ?? []), message]);
    }
    if (byPartition.size === 0) return result;
    const commit = this.#commits.then(() => this.#progress.commitResolved([...byPartition.keys()]));
    this.#commits = commit.catch(() => undefined);
    let failures: Map<number, string>;
    try {
      failures = await commit;
    } catch (error) {
      const text = translateKafkaError(error, `commit of ${this.consumerGroup}`, { queue: this.name }).message;
      failures = new Map([...byPartition.keys()].map((p) => [p, `resolution recorded, offset not committed: ${text}`]));
    }
    for (const [partition, list] of byPartition) {
      const failure = failures.get(partition);
      for (const message of list) {
        if (failure) result.failed.push({ messageKey: message.messageKey, error: failure });
        else result.removed.push(message.messageKey);
      }
    }
    return result;
  }

  async release(): Promise<void> {}

  /** The wire belongs to the cluster's KafkaClients, which closes it. */
  async close(): Promise<void> {}

  /**
   * Messages whose body carries this trace id, found by reading the whole retained topic (resolved
   * ones included). The app layer looks in the message index first; this is the fallback.
   */
  async findByTraceId(
    traceId: string,
    options: { traceIdOf: (message: DlqMessage) => string | null; timeoutMs?: number; limit?: number; signal?: AbortSignal },
  ): Promise<DlqMessage[]> {
    const limit = options.limit ?? 10;
    return this.#call('findByTraceId', async () => {
      const snapshot = await this.#progress.snapshot();
      const ranges = snapshot.map((p) => ({ partition: p.partition, from: p.low, to: p.high }));
      const out: DlqMessage[] = [];
      reading: for await (const chunks of this.#read(snapshot, ranges, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, bytes: this.#scanBytes, signal: options.signal })) {
        for (const chunk of chunks) {
          for (const record of chunk.records) {
            const message = toDlqMessage(this.name, chunk.partition, record);
            if (options.traceIdOf(message) !== traceId) continue;
            out.push(message);
            if (out.length >= limit) break reading;
          }
        }
      }
      return out.sort(byPosition);
    });
  }

  #read(snapshot: PartitionSnapshot[], ranges: ReadRange[], options: { timeoutMs: number; bytes: number; signal?: AbortSignal | undefined }) {
    return readRanges(this.#wire, this.topic, ranges, {
      deadline: performance.now() + options.timeoutMs,
      signal: options.signal,
      maxBytesPerPartition: options.bytes,
      maxBytes: clamp(options.bytes * Math.max(1, ranges.length), MIB, 64 * MIB),
      logStart: async (partition) => {
        const [offsets] = await this.#wire.offsets(this.topic, [partition]);
        return offsets?.low ?? snapshot.find((p) => p.partition === partition)?.low ?? 0n;
      },
    });
  }

  /** Reads single offsets (one fetch each, in parallel); absent ones are left out. */
  async #readAt(keys: KafkaMessageKey[], timeoutMs: number): Promise<DlqMessage[]> {
    if (keys.length === 0) return [];
    const partitions = new Set(await this.#wire.partitions(this.topic));
    const wanted = keys.filter((k) => partitions.has(k.partition));
    if (wanted.length === 0) return [];
    const offsets = await this.#wire.offsets(this.topic, [...new Set(wanted.map((k) => k.partition))]);
    const readable = wanted.filter((k) => {
      const o = offsets.find((p) => p.partition === k.partition);
      return o !== undefined && k.offset >= o.low && k.offset < o.high;
    });
    const snapshot = offsets.map((o) => ({ ...o, committed: -1n, start: o.low, resolved: new Set<bigint>() }));
    const one = async (key: KafkaMessageKey): Promise<DlqMessage | null> => {
      const range = { partition: key.partition, from: key.offset, to: key.offset + 1n };
      for await (const chunks of this.#read(snapshot, [range], { timeoutMs, bytes: 64 * KIB })) {
        for (const chunk of chunks) {
          const record = chunk.records.find((r) => BigInt(r.offset) === key.offset);
          if (record) return toDlqMessage(this.name, chunk.partition, record);
        }
      }
      return null;
    };
    const found: DlqMessage[] = [];
    for (let i = 0; i < readable.length; i += 8) {
      const part = await Promise.all(readable.slice(i, i + 8).map(one));
      for (const message of part) if (message) found.push(message);
    }
    return found;
  }

  /** Age of the first unresolved message of each partition (one small fetch); the oldest wins. */
  async #oldestAgeSeconds(snapshot: PartitionSnapshot[]): Promise<number | null> {
    const firsts: ReadRange[] = [];
    for (const p of snapshot) {
      let offset = p.start;
      while (offset < p.high && p.resolved.has(offset)) offset += 1n;
      if (offset < p.high) firsts.push({ partition: p.partition, from: offset, to: p.high });
    }
    const waiting = new Set(firsts.map((f) => f.partition));
    let oldest: number | null = null;
    for await (const chunks of this.#read(snapshot, firsts, { timeoutMs: 2_000, bytes: 64 * KIB })) {
      for (const chunk of chunks) {
        if (!waiting.has(chunk.partition)) continue;
        const resolved = resolvedOf(snapshot, chunk.partition);
        const record = chunk.records.find((r) => !resolved.has(BigInt(r.offset)));
        if (!record) continue;
        waiting.delete(chunk.partition);
        const at = Number(record.timestamp);
        if (Number.isFinite(at) && at > 0) oldest = oldest === null ? at : Math.min(oldest, at);
      }
      if (waiting.size === 0) break;
    }
    return oldest === null ? null : Math.max(0, Math.floor((this.#clock.now().getTime() - oldest) / 1000));
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateKafkaError(error, `${what} of ${this.name}`, { queue: this.name, topic: this.topic });
    }
  }
}

const byPosition = (a: DlqMessage, b: DlqMessage): number =>
  (a.partition ?? 0) - (b.partition ?? 0) || (BigInt(a.offset ?? 0) < BigInt(b.offset ?? 0) ? -1 : BigInt(a.offset ?? 0) > BigInt(b.offset ?? 0) ? 1 : 0);

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
