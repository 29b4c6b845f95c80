// The DeadLetterQueue port: what Redrive needs from a DLQ, whatever carries it (SQS queue, Kafka
// topic). Adapters translate SDK errors into RedriveError codes (DLQ_UNREACHABLE, DLQ_QUEUE_MISSING,
// DLQ_ACCESS_DENIED) and hold no business rule: the app layer decides, the adapter carries out.

import type { QueueKind } from '../core/model.ts';

/** One message as it sits in the DLQ. Bodies are arbitrary bytes shown as text; never parsed here. */
export interface DlqMessage {
  queue: string;
  /** Stable id inside the queue: SQS MessageId, Kafka `<partition>:<offset>`. */
  messageKey: string;
  body: string;
  /** SQS system attributes (SentTimestamp, ApproximateReceiveCount...) or Kafka headers, as text. */
  attributes: Record<string, string>;
  /** SQS message attributes, preserved verbatim on replay. Empty for Kafka. */
  messageAttributes: Record<string, MessageAttribute>;
  /** When the message entered the DLQ (SQS SentTimestamp / Kafka record timestamp), if known. */
  enqueuedAt: Date | null;
  receiveCount: number | null;
  partition: number | null;
  offset: string | null;
  /** Kafka record key (kept on replay). */
  key: string | null;
  /**
   * Kafka: the record's own key and value bytes when their text above is lossy (not UTF-8) or absent
   * (null value), so replies can show binary payloads as what they are. Absent for UTF-8 records.
   */
  bytes?: { key: Uint8Array | null; value: Uint8Array | null };
  /** SQS FIFO. */
  groupId: string | null;
  deduplicationId: string | null;
}

export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  /** base64 */
  binaryValue?: string;
}

export interface PartitionLag {
  partition: number;
  highWatermark: string;
  committed: string;
  lag: number;
  resolved: number;
}

export interface QueueStatus {
  queue: string;
  kind: QueueKind;
  /** Messages waiting to be dealt with. SQS: ApproximateNumberOfMessages. Kafka: lag minus resolved. */
  depth: number;
  inFlight: number | null;
  delayed: number | null;
  oldestAgeSeconds: number | null;
  partitions: PartitionLag[] | null;
  at: Date;
}

export interface PeekOptions {
  limit: number;
  /** Give up waiting for more messages after this long. */
  timeoutMs: number;
}

/**
 * A message held for a replay or resolve. For SQS it has been received (hidden for the visibility
 * timeout) and carries the receipt handle; for Kafka it has been read at its offset.
 */
export interface CheckedOutMessage {
  message: DlqMessage;
  /** Opaque adapter handle (SQS receipt handle). */
  handle: string | null;
}

export interface CheckoutResult {
  found: CheckedOutMessage[];
  missing: string[];
}

export interface RemoveResult {
  removed: string[];
  failed: { messageKey: string; error: string }[];
}

/**
 * Guarantees:
 * - peek and scan never consume, delete or commit anything. SQS peek raises ApproximateReceiveCount
 *   (unavoidable) and puts every received message back at once.
 * - scan streams: memory stays bounded whatever the queue size.
 * - remove is called only after the message's copy was accepted downstream or archived
 *   (at-least-once; the app layer enforces the order).
 * - Partial failure is reported per message, never thrown for the whole batch.
 */
export interface DeadLetterQueue {
  readonly kind: QueueKind;
  readonly name: string;
  /** SQS: a replayed message is deleted from the DLQ. Kafka: it stays until resolved (runbook). */
  readonly replayRemovesMessage: boolean;

  status(): Promise<QueueStatus>;
  peek(options: PeekOptions): Promise<DlqMessage[]>;
  scan(options?: { timeoutMs?: number; signal?: AbortSignal }): AsyncIterable<DlqMessage>;
  /** Finds one message by its key; the app layer resolves trace ids to keys through the index. */
  get(messageKey: string, options?: { timeoutMs?: number }): Promise<DlqMessage | null>;
  /**
   * Holds the messages with these keys for a change (SQS: received with the checkout visibility).
   * `waitWhileHeld`: a message another reader holds for a moment (a peek, a view) is waited for until
   * the timeout instead of reported missing (SQS; one-message operations, not bulk jobs, whose own
   * held messages would make every miss wait).
   */
  checkout(messageKeys: string[], options?: { timeoutMs?: number; waitWhileHeld?: boolean }): Promise<CheckoutResult>;
  /**
   * Optional: checks out up to `limit` messages next in line, whichever they are (SQS: one receive
   * loop with the checkout visibility timeout). Bulk jobs use it when present; without it they walk
   * `scan` and check out what it yields by key. Returns [] when nothing is waiting.
   */
  checkoutNext?(limit: number, options?: { timeoutMs?: number }): Promise<CheckedOutMessage[]>;
  /**
   * Optional (Kafka): every retained message whose trace id (as `traceIdOf` reads it) is `traceId`,
   * resolved ones included, in topic order, at most `limit`. The app layer asks its message index
   * first and falls back to this; without it, to `scan`.
   */
  findByTraceId?(
    traceId: string,
    options: { traceIdOf: (message: DlqMessage) => string | null; timeoutMs?: number; limit?: number; signal?: AbortSignal },
  ): Promise<DlqMessage[]>;
  /** SQS: DeleteMessageBatch. Kafka: commit up to the lowest unresolved offset per partition. */
  remove(messages: CheckedOutMessage[]): Promise<RemoveResult>;
  /** Makes checked-out messages visible again at once (SQS); nothing to do for Kafka. */
  release(messages: CheckedOutMessage[]): Promise<void>;
  /**
   * Optional (SQS): keeps checked-out messages hidden for another checkout period when theirs is
   * about to end, so a long job (a filter that skips most messages, a slow rate) does not see what it
   * already holds come back. Cheap to call often: only handles near their end are extended. A stale
   * handle (the message was received again or deleted) is dropped, never an error.
   */
  keepCheckedOut?(messages: CheckedOutMessage[]): Promise<void>;
  close(): Promise<void>;
}
