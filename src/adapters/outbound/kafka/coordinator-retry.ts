// A group coordinator that is still loading its offsets (GROUP_LOAD_IN_PROGRESS, right after a broker
// starts or a coordinator moves), not yet elected, or moved elsewhere answers with a retriable error.
// kafkajs's consumers retry these; our out-of-group offset reads and commits go straight to the
// coordinator, so they retry here: find the coordinator again, back off, until a deadline.

import { kafkaErrorType } from './kafka-errors.ts';

export const COORDINATOR_BUSY_TYPES = new Set(['GROUP_LOAD_IN_PROGRESS', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR_FOR_GROUP']);

export interface CoordinatorRetryOptions {
  /** How long to keep trying, in ms, from the first attempt. */
  withinMs: number;
  /** First pause; it doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` again while it fails with a busy-coordinator error and time is left; other errors pass through at once. */
export const retryWhileCoordinatorBusy = async <T>(attempt: () => Promise<T>, options: CoordinatorRetryOptions): Promise<T> => {
  const sleep = options.sleep ?? pause;
  const now = options.now ?? (() => performance.now());
  const deadline = now() + options.withinMs;
  let delay = options.initialDelayMs ?? 100;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const type = kafkaErrorType(error);
      const left = deadline - now();
      if (type === null || !COORDINATOR_BUSY_TYPES.has(type) || left <= 0) throw error;
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 1_000);
    }
  }
};
