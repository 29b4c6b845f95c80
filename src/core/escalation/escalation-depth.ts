// The depth escalation measures: every message still in the DLQ, visible or not. SQS hides a message
// while someone holds it (in flight), and Redrive's own filtered or count-limited bulk replays hold
// every message they skip until they end; counting only the visible ones would let an incident calm
// down or resolve because Redrive hid its messages. Pure; no clock, no I/O.

import type { DepthPoint } from './growth.ts';

/** What a stored depth sample says: visible messages (`depth`) and, for SQS, those not visible now. */
export interface DepthReadingInput {
  at: Date;
  /** Visible messages (SQS ApproximateNumberOfMessages; Kafka lag minus resolved). */
  depth: number;
  /** SQS ApproximateNumberOfMessagesNotVisible; null or absent where the DLQ has no such notion (Kafka). */
  inFlight?: number | null | undefined;
}

/**
 * The point escalation decides on: depth = visible + not visible (in flight), whoever holds them.
 * Visible + not visible rather than "+ held by Redrive's jobs": a message anyone holds is still in
 * the DLQ and still unresolved, the sum needs no bookkeeping across replicas and restarts, and a
 * crashed job's hidden messages keep counting until they come back.
 */
export const escalationPoint = (sample: DepthReadingInput): DepthPoint => {
  const inFlight = Math.max(0, sample.inFlight ?? 0);
  return { at: sample.at, depth: sample.depth + inFlight, inFlight };
};

export const escalationPoints = (samples: readonly DepthReadingInput[]): DepthPoint[] => samples.map(escalationPoint);

const count = (n: number): string => n.toLocaleString('en-US');

/** "17" or, while some are not visible, "17 (1 visible + 16 in flight)": says what the depth counts. */
export const describeDepth = (point: { depth: number; inFlight?: number | null | undefined }): string => {
  const inFlight = point.inFlight ?? 0;
  return inFlight > 0 ? `${count(point.depth)} (${count(point.depth - inFlight)} visible + ${count(inFlight)} in flight)` : count(point.depth);
};
