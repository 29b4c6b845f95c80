// "Did it come back?": decides which DLQ messages are replayed messages returning (the canary and
// the post-replay watch, and the analysis's replay-failure count). Pure: the caller reads the DLQ and
// the store's replay records; this only compares fingerprints and times.
//
// A return is a message in the DLQ that shares a fingerprint (trace id, body digest, or its own id as
// the id the destination gave the replayed copy: `copy:`) with a replay
// record, is not the replayed message itself (Kafka keeps that one until it is resolved; the message
// key fingerprint can only ever match itself), and entered the DLQ after the replay, within a margin
// for the broker's clock (SQS keeps the SentTimestamp of the replay's own send, a moment earlier).

import type { ReplayRecord } from '../model.ts';

/** How much earlier than the replay a returning message's enqueue time may be (clock skew). */
export const RETURN_MARGIN_MS = 30_000;

/** One DLQ message as the detection needs it. */
export interface ReturnCandidate {
  messageKey: string;
  /** replayFingerprints() of the message; `key:` entries are ignored (they only match the message itself). */
  fingerprints: readonly string[];
  /** When it entered the DLQ (SQS SentTimestamp, Kafka record timestamp); null when unknown. */
  enqueuedAt: Date | null;
}

export interface ReturnMatch<C extends ReturnCandidate = ReturnCandidate> {
  message: C;
  replay: ReplayRecord;
}

const isKey = (fingerprint: string): boolean => fingerprint.startsWith('key:');

/** Whether `message` is `replay` coming back to the DLQ. */
export const isReturnOf = (message: ReturnCandidate, replay: ReplayRecord, marginMs = RETURN_MARGIN_MS): boolean => {
  if (replay.messageKey === message.messageKey) return false;
  if (message.enqueuedAt !== null && message.enqueuedAt.getTime() < replay.replayedAt.getTime() - marginMs) return false;
  return message.fingerprints.some((f) => !isKey(f) && replay.fingerprints.includes(f));
};

/**
 * The returns among `messages`: each message matched to the earliest replay it returns from. With
 * `onePerReplay`, a replayed message that came back twice counts once (its first return). With
 * `outstandingOnly`, a return that was itself replayed since (its key is among `replays`: a job that
 * went on after its canary replays the returned copies too) no longer counts.
 */
export const findReturns = <C extends ReturnCandidate>(
  messages: readonly C[],
  replays: readonly ReplayRecord[],
  options: { marginMs?: number; onePerReplay?: boolean; outstandingOnly?: boolean } = {},
): ReturnMatch<C>[] => {
  const ordered = [...replays].sort((a, b) => a.replayedAt.getTime() - b.replayedAt.getTime());
  const replayedKeys = new Set(replays.map((r) => r.messageKey));
  const seen = new Set<ReplayRecord>();
  const found: ReturnMatch<C>[] = [];
  for (const message of messages) {
    if (options.outstandingOnly && replayedKeys.has(message.messageKey)) continue;
    const replay = ordered.find((r) => isReturnOf(message, r, options.marginMs) && !(options.onePerReplay && seen.has(r)));
    if (!replay) continue;
    seen.add(replay);
    found.push({ message, replay });
  }
  return found;
};
