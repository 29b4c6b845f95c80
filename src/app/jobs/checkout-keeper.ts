// Keeps what a redrive run has checked out hidden while the run lasts. SQS shows a received message
// again when its visibility timeout ends (60 s); a filtered run that skips most of a large DLQ, or a
// slow rate, outlasts that, and would then receive what it already holds and stop for lack of
// progress. Each heartbeat asks the DLQ to extend handles near their end (one call at most in flight).

import type { CheckedOutMessage, DeadLetterQueue } from '../../ports/dead-letter-queue.port.ts';

export interface CheckoutKeeper {
  /** A batch came out of the DLQ and is being handled. */
  taken(batch: CheckedOutMessage[]): void;
  /** The batch's messages are handled: deleted, or in the run's held list. */
  handled(batch: CheckedOutMessage[]): void;
  /** From the heartbeat: extends hiding of the held and in-flight messages; does not wait for it. */
  beat(): void;
  /** Waits for an extension in flight (before the run releases what it holds). */
  settle(): Promise<void>;
}

export const createCheckoutKeeper = (
  dlq: Pick<DeadLetterQueue, 'keepCheckedOut'>,
  held: readonly CheckedOutMessage[],
  onError: (error: unknown) => void,
): CheckoutKeeper => {
  const inFlight = new Set<CheckedOutMessage>();
  let running: Promise<void> | null = null;
  return {
    taken: (batch) => batch.forEach((m) => inFlight.add(m)),
    handled: (batch) => batch.forEach((m) => inFlight.delete(m)),
    beat: () => {
      if (!dlq.keepCheckedOut || running) return;
      running = dlq
        .keepCheckedOut([...held, ...inFlight])
        .catch(onError)
        .finally(() => {
          running = null;
        });
    },
    settle: async () => {
      await running;
    },
  };
};
