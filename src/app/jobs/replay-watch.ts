// Watching a DLQ for replayed messages coming back: reads the DLQ (read-only: SQS makes what the scan
// held visible again, Kafka commits nothing) and asks core/replay/replay-returns which messages are
// returns of the given replays, with the new failure's error signature. Used by the canary (inside a
// job's run) and by the post-replay watch; it posts nothing and writes nothing.

import { DEFAULT_FIELD_MAPPING, mapDlqMessage } from '../../core/analysis/field-mapping.ts';
import { messageSignature } from '../../core/analysis/error-signature.ts';
import type { JsonObject, ReplayRecord } from '../../core/model.ts';
import { findReturns, type ReturnCandidate } from '../../core/replay/replay-returns.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import { realSleep, type QueueDeps } from '../shared/queue-deps.ts';
import { returnFingerprints, traceIdOf } from '../shared/message-identity.ts';

/** Messages read at most per look at the DLQ: bounded in time on a deep DLQ. */
export const WATCH_SCAN_LIMIT = 2_000;
const WATCH_SCAN_TIMEOUT_MS = 15_000;
/** How often a watch looks at the DLQ (default). */
export const WATCH_POLL_MS = 5_000;

/** A replayed message found back in the DLQ. */
export interface ReturnedReplay {
  /** The message now in the DLQ. */
  messageKey: string;
  /** The message that was replayed (the DLQ key it had then). */
  replayedKey: string;
  traceId: string | null;
  /** The new failure's error signature (the returned message's error text through the field mapping). */
  signature: string;
  receiveCount: number | null;
  replayedAt: Date;
  jobId: string | null;
}

interface Candidate extends ReturnCandidate {
  traceId: string | null;
  signature: string;
  receiveCount: number | null;
}

/**
 * Reads the DLQ once and returns the replays of `replays` that came back (each replayed message once)
 * and were not replayed again since.
 */
export const scanForReturns = async (
  backend: QueueBackend,
  replays: readonly ReplayRecord[],
  options: { signal?: AbortSignal; limit?: number; timeoutMs?: number } = {},
): Promise<ReturnedReplay[]> => {
  if (replays.length === 0) return [];
  const mapping = backend.mapping ?? DEFAULT_FIELD_MAPPING;
  const candidates: Candidate[] = [];
  const limit = options.limit ?? WATCH_SCAN_LIMIT;
  for await (const message of backend.dlq.scan({ timeoutMs: options.timeoutMs ?? WATCH_SCAN_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) })) {
    candidates.push({
      messageKey: message.messageKey,
      fingerprints: returnFingerprints(message, mapping),
      enqueuedAt: message.enqueuedAt,
      traceId: traceIdOf(message, mapping),
      signature: messageSignature(mapDlqMessage(message, mapping)),
      receiveCount: message.receiveCount,
    });
    if (candidates.length >= limit || options.signal?.aborted) break;
  }
  return findReturns(candidates, replays, { onePerReplay: true, outstandingOnly: true }).map(({ message, replay }) => ({
    messageKey: message.messageKey,
    replayedKey: replay.messageKey,
    traceId: message.traceId,
    signature: message.signature,
    receiveCount: message.receiveCount,
    replayedAt: replay.replayedAt,
    jobId: replay.jobId,
  }));
};

export interface WatchRequest {
  backend: QueueBackend;
  /** Read before each look (a job's replays grow while it runs). */
  replays: () => Promise<ReplayRecord[]>;
  until: Date;
  pollMs?: number;
  signal?: AbortSignal;
  /** Stop at the first look that finds a return (the canary) instead of watching the whole window. */
  stopAtFirst?: boolean;
}

/**
 * Looks at the DLQ every `pollMs` until `until` (and once at the end), gathering returns. Stops early
 * on `signal` (the caller then knows the watch was interrupted) or, with `stopAtFirst`, on a return.
 */
export const watchForReturns = async (deps: QueueDeps, request: WatchRequest): Promise<{ returns: ReturnedReplay[]; interrupted: boolean }> => {
  const sleep = deps.sleep ?? realSleep;
  const pollMs = request.pollMs ?? WATCH_POLL_MS;
  const found = new Map<string, ReturnedReplay>();
  for (;;) {
    if (request.signal?.aborted) return { returns: [...found.values()], interrupted: true };
    const last = deps.clock.now().getTime() >= request.until.getTime();
    // The replays are read outside the guard: the caller ends the watch by throwing there.
    const replays = await request.replays();
    try {
      for (const r of await scanForReturns(request.backend, replays, request.signal ? { signal: request.signal } : {})) {
        if (!found.has(r.replayedKey)) found.set(r.replayedKey, r);
      }
    } catch (error) {
      // A DLQ that cannot be read now is read again at the next look; the window does not stretch.
      deps.logger?.warn({ queue: request.backend.name, err: error instanceof Error ? error.message : String(error) }, 'replay watch: the DLQ could not be read; trying again');
    }
    if (request.signal?.aborted) return { returns: [...found.values()], interrupted: true };
    if (last || (request.stopAtFirst && found.size > 0)) return { returns: [...found.values()], interrupted: false };
    const left = request.until.getTime() - deps.clock.now().getTime();
    await sleep(Math.max(0, Math.min(pollMs, left)), request.signal);
  }
};

/** A return as stored in a job's checkpoint (JSON). */
export const returnToJson = (r: ReturnedReplay): JsonObject => ({
  messageKey: r.messageKey,
  replayedKey: r.replayedKey,
  traceId: r.traceId,
  signature: r.signature,
  receiveCount: r.receiveCount,
  replayedAt: r.replayedAt.toISOString(),
  jobId: r.jobId,
});

export const returnFromJson = (value: unknown): ReturnedReplay | null => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  if (typeof v.messageKey !== 'string' || typeof v.replayedKey !== 'string') return null;
  return {
    messageKey: v.messageKey,
    replayedKey: v.replayedKey,
    traceId: text(v.traceId),
    signature: text(v.signature) ?? '(no error text)',
    receiveCount: typeof v.receiveCount === 'number' ? v.receiveCount : null,
    replayedAt: new Date(text(v.replayedAt) ?? 0),
    jobId: text(v.jobId),
  };
};
