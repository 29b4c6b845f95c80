// An in-memory DeadLetterQueue for the local console's demo, in two flavours that behave like the
// real adapters where the app layer can tell: `sqs` (message ids, receive counts, checkout hides a
// message for a visibility timeout, remove deletes) and `kafka` (partitions and offsets, records
// stay until resolved, resolving commits only up to the lowest unresolved offset). Demo data only:
// it is never built when the config names a real queue. The DeadLetterQueue contract suite runs on it.

import type { QueueKind } from '../../../core/model.ts';
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

interface DemoRecord {
  message: DlqMessage;
  /** SQS: hidden (checked out) until this time, ms since the epoch. */
  hiddenUntil: number;
  handle: string | null;
  receives: number;
  resolved: boolean;
}

export interface DemoDeadLetterQueueOptions {
  name: string;
  kind: QueueKind;
  clock: Clock;
  /** Kafka flavour: partitions messages are spread over (round robin). Default 3. */
  partitions?: number;
  /** SQS flavour: how long a checked-out message stays hidden. Default 30 s. */
  visibilitySeconds?: number;
  /**
   * Ids unique to this run (SQS message id prefix, Kafka first offset), so a restarted demo never
   * reuses an id the store already knows (resolutions, replay fingerprints), as a real DLQ never does.
   */
  run?: { idPrefix: string; firstOffset: number };
}

export class DemoDeadLetterQueue implements DeadLetterQueue {
  readonly kind: QueueKind;
  readonly name: string;
  readonly replayRemovesMessage: boolean;
  readonly #clock: Clock;
  readonly #partitions: number;
  readonly #visibilityMs: number;
  /** Insertion order = enqueue order; SQS deletes remove entries, Kafka keeps them. */
  readonly #records = new Map<string, DemoRecord>();
  readonly #nextOffset: number[];
  readonly #firstOffset: number;
  readonly #idPrefix: string;
  #sequence = 0;
  #handles = 0;

  constructor(options: DemoDeadLetterQueueOptions) {
    this.kind = options.kind;
    this.name = options.name;
    this.replayRemovesMessage = options.kind === 'sqs';
    this.#clock = options.clock;
    this.#partitions = Math.max(1, options.partitions ?? 3);
    this.#visibilityMs = (options.visibilitySeconds ?? 30) * 1000;
    this.#firstOffset = options.run?.firstOffset ?? 0;
    this.#idPrefix = options.run?.idPrefix ?? 'demo';
    this.#nextOffset = Array.from({ length: this.#partitions }, () => this.#firstOffset);
  }

  /** Adds one message as the failing pipeline would; returns it as the port delivers it. */
  add(body: string, options: { key?: string | null; at?: Date } = {}): DlqMessage {
    const at = options.at ?? this.#clock.now();
    this.#sequence += 1;
    let message: DlqMessage;
    if (this.kind === 'kafka') {
      const partition = (this.#sequence - 1) % this.#partitions;
      const offset = this.#nextOffset[partition] ?? 0;
      this.#nextOffset[partition] = offset + 1;
      message = {
        queue: this.name,
        messageKey: `${partition}:${offset}`,
        body,
        attributes: { 'x-origin-topic': 'downloads.pending', 'x-demo': 'true' },
        messageAttributes: {},
        enqueuedAt: at,
        receiveCount: null,
        partition,
        offset: String(offset),
        key: options.key ?? null,
        groupId: null,
        deduplicationId: null,
      };
    } else {
      const id = `${this.#idPrefix}-${String(this.#sequence).padStart(6, '0')}-${((this.#sequence * 2654435761) >>> 0).toString(16).padStart(8, '0')}`;
      message = {
        queue: this.name,
        messageKey: id,
        body,
        attributes: { SentTimestamp: String(at.getTime()) },
        messageAttributes: {},
        enqueuedAt: at,
        receiveCount: 0,
        partition: null,
        offset: null,
        key: null,
        groupId: null,
        deduplicationId: null,
      };
    }
    this.#records.set(message.messageKey, { message, hiddenUntil: 0, handle: null, receives: 0, resolved: false });
    return this.#deliver(this.#records.get(message.messageKey)!);
  }

  /** Messages waiting: visible and hidden (SQS) or unresolved (Kafka). */
  get size(): number {
    let n = 0;
    for (const record of this.#records.values()) if (!record.resolved) n += 1;
    return n;
  }

  #now(): number {
    return this.#clock.now().getTime();
  }

  #visible(record: DemoRecord, now: number): boolean {
    if (record.resolved) return false;
    return this.kind === 'kafka' || record.hiddenUntil <= now;
  }

  #deliver(record: DemoRecord): DlqMessage {
    const m = record.message;
    if (this.kind === 'kafka') return { ...m, attributes: { ...m.attributes } };
    return { ...m, receiveCount: record.receives, attributes: { ...m.attributes, ApproximateReceiveCount: String(record.receives) } };
  }

  async status(): Promise<QueueStatus> {
    const now = this.#now();
    let depth = 0;
    let inFlight = 0;
    let oldest: number | null = null;
    for (const record of this.#records.values()) {
      if (record.resolved) continue;
      if (this.#visible(record, now)) depth += 1;
      else inFlight += 1;
      const at = record.message.enqueuedAt?.getTime() ?? now;
      oldest = oldest === null ? at : Math.min(oldest, at);
    }
    return {
      queue: this.name,
      kind: this.kind,
      depth,
      inFlight: this.kind === 'sqs' ? inFlight : null,
      delayed: this.kind === 'sqs' ? 0 : null,
      oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
      partitions: this.kind === 'kafka' ? this.#partitionLags() : null,
      at: new Date(now),
    };
  }

  #partitionLags(): PartitionLag[] {
    return this.#nextOffset.map((high, partition) => {
      const records = [...this.#records.values()].filter((r) => r.message.partition === partition);
      const firstUnresolved = records.find((r) => !r.resolved);
      const committed = firstUnresolved ? Number(firstUnresolved.message.offset) : high;
      const resolvedAbove = records.filter((r) => r.resolved && Number(r.message.offset) >= committed).length;
      return { partition, highWatermark: String(high), committed: String(committed), lag: high - committed, resolved: resolvedAbove };
    });
  }

  async peek(options: PeekOptions): Promise<DlqMessage[]> {
    const now = this.#now();
    const out: DlqMessage[] = [];
    for (const record of this.#records.values()) {
      if (out.length >= options.limit) break;
      if (!this.#visible(record, now)) continue;
      // SQS peek receives the message and puts it back: the receive count goes up (runbook caveat).
      if (this.kind === 'sqs') record.receives += 1;
      out.push(this.#deliver(record));
    }
    return out;
  }

  async *scan(options: { timeoutMs?: number; signal?: AbortSignal } = {}): AsyncIterable<DlqMessage> {
    const now = this.#now();
    const snapshot = [...this.#records.values()].filter((r) => this.#visible(r, now));
    for (const record of snapshot) {
      if (options.signal?.aborted) return;
      yield this.#deliver(record);
    }
  }

  async get(messageKey: string): Promise<DlqMessage | null> {
    const record = this.#records.get(messageKey);
    return record && !record.resolved ? this.#deliver(record) : null;
  }

  async checkout(messageKeys: string[]): Promise<CheckoutResult> {
    const now = this.#now();
    const found: CheckedOutMessage[] = [];
    const missing: string[] = [];
    for (const key of messageKeys) {
      const record = this.#records.get(key);
      if (!record || !this.#visible(record, now)) {
        missing.push(key);
        continue;
      }
      found.push(this.#hold(record, now));
    }
    return { found, missing };
  }

  #hold(record: DemoRecord, now: number): CheckedOutMessage {
    if (this.kind === 'kafka') return { message: this.#deliver(record), handle: null };
    record.receives += 1;
    record.hiddenUntil = now + this.#visibilityMs;
    this.#handles += 1;
    record.handle = `demo-receipt-${this.#handles}`;
    return { message: this.#deliver(record), handle: record.handle };
  }

  async checkoutNext(limit: number): Promise<CheckedOutMessage[]> {
    if (this.kind === 'kafka') return [];
    const now = this.#now();
    const out: CheckedOutMessage[] = [];
    for (const record of this.#records.values()) {
      if (out.length >= limit) break;
      if (this.#visible(record, now)) out.push(this.#hold(record, now));
    }
    return out;
  }

  async remove(messages: CheckedOutMessage[]): Promise<RemoveResult> {
    const result: RemoveResult = { removed: [], failed: [] };
    for (const held of messages) {
      const key = held.message.messageKey;
      const record = this.#records.get(key);
      if (!record) {
        result.failed.push({ messageKey: key, error: this.kind === 'kafka' ? 'no record at that partition/offset' : 'ReceiptHandleIsInvalid' });
        continue;
      }
      if (this.kind === 'sqs') {
        if (record.handle === null || record.handle !== held.handle) {
          result.failed.push({ messageKey: key, error: 'ReceiptHandleIsInvalid' });
          continue;
        }
        this.#records.delete(key);
      } else {
        record.resolved = true;
      }
      result.removed.push(key);
    }
    return result;
  }

  async release(messages: CheckedOutMessage[]): Promise<void> {
    for (const held of messages) {
      const record = this.#records.get(held.message.messageKey);
      if (record && this.kind === 'sqs' && record.handle === held.handle) {
        record.hiddenUntil = 0;
        record.handle = null;
      }
    }
  }

  async close(): Promise<void> {}
}
