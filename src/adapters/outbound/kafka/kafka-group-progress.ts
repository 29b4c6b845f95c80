// Where a Kafka DLQ's consumer group stands: per partition the log range, the committed offset and
// the resolved offsets after it (from the store), and the commit that moves the group past a
// leading run of resolved offsets and never past an unresolved one. It reads no messages.

import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import type { Store } from '../../../ports/store.port.ts';
import { GROUP_ACTIVE_TYPES, kafkaErrorType } from './kafka-errors.ts';
import type { ReadRange } from './kafka-partition-reader.ts';
import type { KafkaMessageKey } from './kafka-record-mapper.ts';
import type { KafkaWire } from './kafka-wire.ts';

/** The part of the Store the Kafka DLQ uses. */
export type ResolutionStore = Pick<Store, 'listResolutions' | 'recordResolution' | 'getResolution'>;

export interface PartitionSnapshot {
  partition: number;
  low: bigint;
  high: bigint;
  /** The group's committed offset, -1 when it has none. */
  committed: bigint;
  /** Where unresolved messages start: the committed offset, or the log start without one. */
  start: bigint;
  /** Resolved offsets in [start, high). */
  resolved: Set<bigint>;
}

export const effectiveStart = (committed: bigint, low: bigint, high: bigint): bigint => {
  const start = committed < low ? low : committed;
  return start > high ? high : start;
};

/** Partitions with something unresolved, from their start to the snapshot's high watermark. */
export const unresolvedRanges = (snapshot: PartitionSnapshot[]): ReadRange[] =>
  snapshot.filter((p) => p.high - p.start > BigInt(p.resolved.size)).map((p) => ({ partition: p.partition, from: p.start, to: p.high }));

export const resolvedOf = (snapshot: PartitionSnapshot[], partition: number): Set<bigint> =>
  snapshot.find((p) => p.partition === partition)?.resolved ?? new Set();

export class KafkaGroupProgress {
  readonly #queue: string;
  readonly #topic: string;
  readonly #group: string;
  readonly #wire: KafkaWire;
  readonly #store: ResolutionStore;

  constructor(options: { queue: string; topic: string; group: string; wire: KafkaWire; store: ResolutionStore }) {
    this.#queue = options.queue;
    this.#topic = options.topic;
    this.#group = options.group;
    this.#wire = options.wire;
    this.#store = options.store;
  }

  async snapshot(): Promise<PartitionSnapshot[]> {
    const partitions = await this.#wire.partitions(this.#topic);
    const [offsets, committed] = await Promise.all([
      this.#wire.offsets(this.#topic, partitions),
      this.#wire.committed(this.#group, this.#topic, partitions),
    ]);
    return Promise.all(
      offsets.map(async ({ partition, low, high }) => {
        const raw = committed.get(partition) ?? -1n;
        const start = effectiveStart(raw, low, high);
        return { partition, low, high, committed: raw, start, resolved: await this.#resolvedBetween(partition, start, high) };
      }),
    );
  }

  /** Records a resolution unless the app layer already did (it normally has, with who and why). */
  async ensureResolved(message: DlqMessage, key: KafkaMessageKey, at: Date): Promise<void> {
    if (await this.#store.getResolution(this.#queue, message.messageKey)) return;
    await this.#store.recordResolution({
      queue: this.#queue,
      messageKey: message.messageKey,
      traceId: null,
      partition: key.partition,
      offset: key.offset.toString(),
      body: message.body,
      attributes: { attributes: message.attributes, key: message.key },
      resolvedBy: 'redrive',
      reason: 'removed without a recorded resolution',
      resolvedAt: at,
    });
  }

  /**
   * Moves each partition's committed offset past its leading run of resolved offsets. Returns a
   * reason per partition that could not move (no such partition; the group has live members).
   */
  async commitResolved(touched: number[]): Promise<Map<number, string>> {
    const existing = new Set(await this.#wire.partitions(this.#topic));
    const partitions = touched.filter((p) => existing.has(p));
    const failures = new Map(touched.filter((p) => !existing.has(p)).map((p) => [p, `${this.#topic} has no partition ${p}`]));
    if (partitions.length === 0) return failures;
    const committed = await this.#wire.committed(this.#group, this.#topic, partitions);
    const offsets = await this.#wire.offsets(this.#topic, partitions);
    const moves = new Map<number, bigint>();
    for (const { partition, low, high } of offsets) {
      const raw = committed.get(partition) ?? -1n;
      const start = effectiveStart(raw, low, high);
      const resolved = await this.#resolvedBetween(partition, start, high);
      let next = start;
      while (next < high && resolved.has(next)) next += 1n;
      if (next > raw && next > start) moves.set(partition, next);
    }
    if (moves.size === 0) return failures;
    try {
      await this.#wire.commit(this.#group, this.#topic, moves);
    } catch (error) {
      const type = kafkaErrorType(error);
      if (type === null || !GROUP_ACTIVE_TYPES.has(type)) throw error;
      const reason =
        `resolution recorded, offset not committed: consumer group ${this.#group} has active members (${type}), ` +
        'and Kafka only accepts commits from outside an idle group; a later resolve commits it once the group is idle';
      for (const p of moves.keys()) failures.set(p, reason);
    }
    return failures;
  }

  async #resolvedBetween(partition: number, from: bigint, to: bigint): Promise<Set<bigint>> {
    const resolutions = await this.#store.listResolutions(this.#queue, { partition, fromOffset: from.toString() });
    const offsets = new Set<bigint>();
    for (const r of resolutions) {
      if (r.partition !== partition || r.offset === null || !/^\d+$/.test(r.offset)) continue;
      const offset = BigInt(r.offset);
      if (offset >= from && offset < to) offsets.add(offset);
    }
    return offsets;
  }
}
