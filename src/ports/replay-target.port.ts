// Replay targets: where a DLQ message's copy goes (an SQS queue, a Kafka topic, a Step Functions
// state machine). A target accepts or refuses each message; it never touches the DLQ.

import type { DlqMessage } from './dead-letter-queue.port.ts';

export interface OutgoingMessage {
  /** The DLQ message this copy comes from. */
  source: DlqMessage;
  /** The body to send: the original, or an edited one already validated by the app layer. */
  body: string;
  /** Who asked, for headers/audit (Slack user id or cli:<user>). */
  actor: string;
  jobId: string | null;
}

export interface SendResult {
  accepted: { messageKey: string; destinationId: string | null }[];
  failed: { messageKey: string; error: string; retriable: boolean }[];
}

/**
 * Guarantees: a messageKey is in `accepted` only once the destination acknowledged the copy.
 * Partial failure is per message; the call throws only when nothing could be attempted
 * (destination unreachable), as a RedriveError.
 */
export interface ReplayTarget {
  /** Human-readable destination, e.g. `sqs:frontier`, `kafka:downloads.pending`, `sfn:arn...`. */
  readonly description: string;
  /**
   * Optional, for a target that picks the destination per message (a Kafka queue whose config names no
   * replay topic sends each message back to the original topic its framework headers name): where this
   * message would go, or null when it names none (send refuses it). The app layer has the operator
   * confirm such a destination before it sends anything.
   */
  destinationOf?(message: DlqMessage): string | null;
  send(messages: OutgoingMessage[]): Promise<SendResult>;
}
