// SqsDeadLetterQueue: the DeadLetterQueue port on an SQS queue. Reading is ReceiveMessage with a
// visibility timeout that holds what was seen until the read ends, then ChangeMessageVisibilityBatch
// back to 0, so peek and scan consume nothing (they do raise ApproximateReceiveCount; SQS has no
// other way to look). It decides nothing: the app layer orders send-then-delete.

import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  CheckedOutMessage,
  CheckoutResult,
  DeadLetterQueue,
  DlqMessage,
  PeekOptions,
  QueueStatus,
  RemoveResult,
} from '../../../ports/dead-letter-queue.port.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../../ports/clock.port.ts';
import { chunk, toDlqMessage } from './sqs-message-mapper.ts';
import { describeBatchFailure, translateAwsError } from './sqs-errors.ts';

export interface SqsDeadLetterQueueOptions {
  client: SQSClient;
  /** The configured queue name (what people type), not necessarily the SQS name. */
  name: string;
  queueUrl: string;
  clock: Clock;
  /** How long a checked-out message stays hidden before SQS shows it again (default 60 s). */
  checkoutVisibilitySeconds?: number;
  /** How long a scan holds what it has read (default 120 s); reappearing messages are deduplicated. */
  scanVisibilitySeconds?: number;
  /** Long-poll wait of each receive (default 1 s); an empty long poll means nothing is visible. */
  receiveWaitSeconds?: number;
  /** Age of the oldest message (CloudWatch ApproximateAgeOfOldestMessage); SQS itself has no such attribute. */
  oldestAgeSeconds?: () => Promise<number | null>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class SqsDeadLetterQueue implements DeadLetterQueue {
  readonly kind = 'sqs' as const;
  readonly name: string;
  readonly replayRemovesMessage = true;
  readonly queueUrl: string;
  readonly #client: SQSClient;
  readonly #clock: Clock;
  readonly #checkoutVisibility: number;
  readonly #scanVisibility: number;
  readonly #wait: number;
  readonly #oldestAge: (() => Promise<number | null>) | undefined;
  /** Receipt handle of each message handed out by checkout → when SQS shows it again (performance.now ms). */
  readonly #hiddenUntil = new Map<string, number>();

  constructor(options: SqsDeadLetterQueueOptions) {
    this.name = options.name;
    this.queueUrl = options.queueUrl;
    this.#client = options.client;
    this.#clock = options.clock;
    this.#checkoutVisibility = options.checkoutVisibilitySeconds ?? 60;
    this.#scanVisibility = options.scanVisibilitySeconds ?? 120;
    this.#wait = options.receiveWaitSeconds ?? 1;
    this.#oldestAge = options.oldestAgeSeconds;
  }

  async status(): Promise<QueueStatus> {
    const response = await this.#call('GetQueueAttributes', () =>
      this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      ),
    );
    const attributes = response.Attributes ?? {};
    const num = (key: keyof typeof attributes): number => Number(attributes[key] ?? 0);
    return {
      queue: this.name,
      kind: 'sqs',
      depth: num('ApproximateNumberOfMessages'),
      inFlight: num('ApproximateNumberOfMessagesNotVisible'),
      delayed: num('ApproximateNumberOfMessagesDelayed'),
      oldestAgeSeconds: this.#oldestAge ? await this.#oldestAge().catch(() => null) : null,
      partitions: null,
      at: this.#clock.now(),
    };
  }

  async peek(options: PeekOptions): Promise<DlqMessage[]> {
    const seen = new Map<string, DlqMessage>();
    const visibility = Math.max(2, Math.ceil(options.timeoutMs / 1000) + 5);
    await this.#readHolding(visibility, options.timeoutMs, (batch) => {
      for (const message of batch) if (!seen.has(message.messageKey) && seen.size < options.limit) seen.set(message.messageKey, message);
      return seen.size >= options.limit;
    }, Math.min(10, options.limit));
    return [...seen.values()];
  }

  async *scan(options: { timeoutMs?: number; signal?: AbortSignal } = {}): AsyncIterable<DlqMessage> {
    const seen = new Set<string>();
    const held: string[] = [];
    const deadline = performance.now() + (options.timeoutMs ?? 5 * 60_000);
    let idle = 0;
    try {
      while (!options.signal?.aborted && performance.now() < deadline && idle < 3) {
        const batch = await this.#receive(10, this.#scanVisibility, this.#waitFor(deadline));
        if (batch.length === 0) break;
        let fresh = 0;
        // Hold every handle before yielding: the consumer may stop at any message.
        for (const raw of batch) if (raw.ReceiptHandle) held.push(raw.ReceiptHandle);
        for (const raw of batch) {
          const message = toDlqMessage(this.name, raw);
          if (seen.has(message.messageKey)) continue;
          seen.add(message.messageKey);
          fresh += 1;
          yield message;
          if (options.signal?.aborted) break;
        }
        idle = fresh === 0 ? idle + 1 : 0;
      }
    } finally {
      await this.#makeVisible(held);
    }
  }

  async get(messageKey: string, options: { timeoutMs?: number } = {}): Promise<DlqMessage | null> {
    let found: DlqMessage | null = null;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await this.#readHolding(Math.max(2, Math.ceil(timeoutMs / 1000) + 5), timeoutMs, (batch) => {
      found ??= batch.find((m) => m.messageKey === messageKey) ?? null;
      return found !== null;
    }, 10, { waitForOthers: true });
    return found;
  }

  async checkout(messageKeys: string[], options: { timeoutMs?: number; waitWhileHeld?: boolean } = {}): Promise<CheckoutResult> {
    const wanted = new Set(messageKeys);
    const found = new Map<string, CheckedOutMessage>();
    const others: string[] = [];
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      while (found.size < wanted.size && performance.now() < deadline) {
        const batch = await this.#receive(10, this.#checkoutVisibility, this.#waitFor(deadline));
        if (batch.length === 0) {
          if (!options.waitWhileHeld || !(await this.#othersHold(found.size + others.length))) break;
          await sleep(Math.min(250, Math.max(0, deadline - performance.now())));
          continue;
        }
        for (const raw of batch) {
          const message = toDlqMessage(this.name, raw);
          if (wanted.has(message.messageKey) && !found.has(message.messageKey)) found.set(message.messageKey, { message, handle: this.#handedOut(raw) });
          else if (raw.ReceiptHandle) others.push(raw.ReceiptHandle);
        }
      }
    } finally {
      await this.#makeVisible(others);
    }
    return { found: [...found.values()], missing: messageKeys.filter((key) => !found.has(key)) };
  }

  async checkoutNext(limit: number, options: { timeoutMs?: number } = {}): Promise<CheckedOutMessage[]> {
    const out = new Map<string, CheckedOutMessage>();
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    while (out.size < limit && performance.now() < deadline) {
      const batch = await this.#receive(Math.min(10, limit - out.size), this.#checkoutVisibility, out.size === 0 ? this.#waitFor(deadline) : 0);
      if (batch.length === 0) break;
      for (const raw of batch) {
        const message = toDlqMessage(this.name, raw);
        out.set(message.messageKey, { message, handle: this.#handedOut(raw) });
      }
    }
    return [...out.values()];
  }

  async remove(messages: CheckedOutMessage[]): Promise<RemoveResult> {
    const result: RemoveResult = { removed: [], failed: [] };
    const withHandle = messages.filter((m) => m.handle);
    for (const m of messages) if (!m.handle) result.failed.push({ messageKey: m.message.messageKey, error: 'not checked out (no receipt handle)' });
    for (const part of chunk(withHandle, 10)) {
      try {
        const response = await this.#client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: part.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.handle ?? '' })),
          }),
        );
        for (const ok of response.Successful ?? []) {
          const entry = part[Number(ok.Id?.slice(1))];
          if (!entry) continue;
          result.removed.push(entry.message.messageKey);
          this.#hiddenUntil.delete(entry.handle ?? '');
        }
        for (const bad of response.Failed ?? []) {
          const entry = part[Number(bad.Id?.slice(1))];
          if (entry) result.failed.push({ messageKey: entry.message.messageKey, error: describeBatchFailure(bad) });
        }
      } catch (error) {
        const translated = translateAwsError(error, 'DeleteMessageBatch', { queue: this.name });
        for (const m of part) result.failed.push({ messageKey: m.message.messageKey, error: `${translated.code}: ${translated.message}` });
      }
    }
    return result;
  }

  async release(messages: CheckedOutMessage[]): Promise<void> {
    const handles = messages.map((m) => m.handle).filter((h): h is string => Boolean(h));
    for (const handle of handles) this.#hiddenUntil.delete(handle);
    await this.#makeVisible(handles, true);
  }

  async keepCheckedOut(messages: CheckedOutMessage[]): Promise<void> {
    const now = performance.now();
    const periodMs = this.#checkoutVisibility * 1000;
    // Extended once less than half the period is left: a 1 s heartbeat costs nothing most beats.
    const handles = new Set(messages.map((m) => m.handle).filter((h): h is string => Boolean(h)));
    const due = [...handles].filter((h) => (this.#hiddenUntil.get(h) ?? 0) - now < periodMs / 2);
    for (const part of chunk(due, 10)) {
      const response = await this.#call('ChangeMessageVisibilityBatch', () => this.#setVisibility(part, this.#checkoutVisibility));
      for (const ok of response.Successful ?? []) {
        const handle = part[Number(ok.Id?.slice(1))];
        if (handle) this.#hiddenUntil.set(handle, now + periodMs);
      }
      // Received again elsewhere, deleted, or already visible: nothing of ours to keep.
      for (const bad of response.Failed ?? []) this.#hiddenUntil.delete(part[Number(bad.Id?.slice(1))] ?? '');
    }
    // Handles nobody removed or released (a run that died in this process) are forgotten after a while.
    for (const [handle, until] of this.#hiddenUntil) if (until < now - 10 * periodMs) this.#hiddenUntil.delete(handle);
  }

  async close(): Promise<void> {}

  /**
   * Receives batches, holding them hidden, until `enough` says so or nothing is visible; then shows them
   * all again. With `waitForOthers`, "nothing visible" while the queue counts more messages in flight
   * than this read holds means another reader (a peek, a view, a job) has them for a moment: it looks
   * again until the deadline, so a lookup by id never answers "not found" for a message that is there.
   */
  async #readHolding(visibility: number, timeoutMs: number, enough: (batch: DlqMessage[]) => boolean, max = 10, options: { waitForOthers?: boolean } = {}): Promise<void> {
    const held: string[] = [];
    const deadline = performance.now() + timeoutMs;
    try {
      while (performance.now() < deadline) {
        const batch = await this.#receive(max, visibility, this.#waitFor(deadline));
        if (batch.length === 0) {
          if (!options.waitForOthers || !(await this.#othersHold(held.length))) return;
          await sleep(Math.min(250, Math.max(0, deadline - performance.now())));
          continue;
        }
        for (const raw of batch) if (raw.ReceiptHandle) held.push(raw.ReceiptHandle);
        if (enough(batch.map((raw) => toDlqMessage(this.name, raw)))) return;
      }
    } finally {
      await this.#makeVisible(held);
    }
  }

  /**
   * Whether other readers hold messages now: the queue counts more in flight
   * (ApproximateNumberOfMessagesNotVisible) than the `mine` this read holds itself.
   */
  async #othersHold(mine: number): Promise<boolean> {
    const response = await this.#call('GetQueueAttributes', () =>
      this.#client.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] })),
    );
    return Number(response.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) > mine;
  }

  #waitFor(deadline: number): number {
    return deadline - performance.now() > 1_000 ? this.#wait : 0;
  }

  async #receive(max: number, visibilitySeconds: number, waitSeconds: number): Promise<Message[]> {
    const response = await this.#call('ReceiveMessage', () =>
      this.#client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
          VisibilityTimeout: visibilitySeconds,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      ),
    );
    return response.Messages ?? [];
  }

  /** The receipt handle of a message handed out by a checkout, noted with when SQS shows it again. */
  #handedOut(raw: Message): string | null {
    if (!raw.ReceiptHandle) return null;
    this.#hiddenUntil.set(raw.ReceiptHandle, performance.now() + this.#checkoutVisibility * 1000);
    return raw.ReceiptHandle;
  }

  /** One ChangeMessageVisibilityBatch of up to 10 handles; entry ids are `v<index in part>`. */
  #setVisibility(part: string[], seconds: number) {
    return this.#client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: part.map((handle, i) => ({ Id: `v${i}`, ReceiptHandle: handle, VisibilityTimeout: seconds })),
      }),
    );
  }

  /** Visibility back to 0. Per-entry failures are left alone: those messages reappear when their timeout ends. */
  async #makeVisible(handles: string[], throwOnFailure = false): Promise<void> {
    for (const part of chunk(handles, 10)) {
      try {
        await this.#setVisibility(part, 0);
      } catch (error) {
        if (throwOnFailure) throw translateAwsError(error, 'ChangeMessageVisibilityBatch', { queue: this.name });
      }
    }
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateAwsError(error, `${what} on ${this.name}`, { queue: this.name });
    }
  }
}
