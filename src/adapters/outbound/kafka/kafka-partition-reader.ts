// Reads offset ranges of a topic's partitions, group-free, in fetch-sized chunks: a pull-based async
// generator with one fetch in flight ahead of the consumer, so memory stays at about two fetches
// whatever the topic holds, and the read ends at the range ends taken when it started.

import { kafkaErrorChain } from './kafka-errors.ts';
import type { KafkaWire, WireRecord } from './kafka-wire.ts';

export interface ReadRange {
  partition: number;
  /** First offset to read. */
  from: bigint;
  /** Stop before this offset (a high-watermark snapshot). */
  to: bigint;
}

export interface ReadChunk {
  partition: number;
  /** Ascending offsets within [from, to). */
  records: WireRecord[];
}

export interface ReadOptions {
  /** performance.now() value after which no new fetch starts (the first one always does). */
  deadline: number;
  signal?: AbortSignal | undefined;
  maxBytesPerPartition: number;
  /** Upper bound of one fetch response across partitions. */
  maxBytes: number;
  /** Broker-side wait when a partition has nothing yet (data below `to` normally answers at once). */
  maxWaitMs?: number;
  /** Where a partition's log now starts, after retention removed the offset being read. */
  logStart(partition: number): Promise<bigint>;
}

const MAX_ATTEMPTS = 3;
/**
 * Rounds in a row in which no partition returned anything before the read gives up. One partition
 * alone may come back empty when the response filled up with others (KIP-74), so only a round
 * with nothing at all counts; below the snapshot this should not happen, it is a safety net.
 */
const MAX_IDLE_ROUNDS = 3;

const retriable = (error: unknown): boolean => kafkaErrorChain(error).some((e) => e.retriable === true);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function* readRanges(wire: KafkaWire, topic: string, ranges: ReadRange[], options: ReadOptions): AsyncGenerator<ReadChunk[]> {
  const cursors = new Map(ranges.filter((r) => r.from < r.to).map((r) => [r.partition, { next: r.from, to: r.to }]));
  let idleRounds = 0;
  const maxWaitMs = options.maxWaitMs ?? 250;
  const live = (): boolean => cursors.size > 0 && idleRounds < MAX_IDLE_ROUNDS && !options.signal?.aborted && performance.now() < options.deadline;

  const fetchOnce = async () => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const requests = [...cursors].map(([partition, c]) => ({ partition, offset: c.next, maxBytes: options.maxBytesPerPartition }));
        return await wire.fetch(topic, requests, { maxWaitMs, maxBytes: options.maxBytes });
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !retriable(error) || performance.now() >= options.deadline) throw error;
        await sleep(100 * attempt);
        await wire.refresh().catch(() => undefined);
      }
    }
  };

  // Cursors move only here, after a fetch answered and before the next one starts.
  const round = async (): Promise<ReadChunk[]> => {
    const fetched = await fetchOnce();
    const chunks: ReadChunk[] = [];
    idleRounds = fetched.length > 0 && fetched.every((f) => !f.outOfRange && f.empty) ? idleRounds + 1 : 0;
    for (const f of fetched) {
      const cursor = cursors.get(f.partition);
      if (!cursor) continue;
      if (f.outOfRange) {
        const start = await options.logStart(f.partition);
        cursor.next = start > cursor.next ? start : cursor.next + 1n;
      } else {
        const last = f.records[f.records.length - 1];
        const records = last === undefined || BigInt(last.offset) < cursor.to ? f.records : f.records.filter((r) => BigInt(r.offset) < cursor.to);
        if (records.length > 0) chunks.push({ partition: f.partition, records });
        // biome-ignore lint/complexity/useMathMinMax: offsets are bigints, which Math.max refuses
        cursor.next = f.nextOffset > cursor.next ? f.nextOffset : cursor.next;
      }
      if (cursor.next >= cursor.to) cursors.delete(f.partition);
    }
    return chunks;
  };

  // The first round always runs, so even a tiny timeout returns what one fetch brings.
  let pending: Promise<ReadChunk[]> | null = cursors.size > 0 && !options.signal?.aborted ? round() : null;
  try {
    while (pending) {
      const chunks = await pending;
      pending = live() ? round() : null;
      if (chunks.length > 0) yield chunks;
    }
  } finally {
    // The consumer stopped early: let the read ahead finish quietly.
    pending?.catch(() => undefined);
  }
}
