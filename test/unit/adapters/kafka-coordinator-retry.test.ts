// Offset reads and commits from outside a group go straight to its coordinator. A coordinator that is
// still loading (right after a broker start) must be waited for, not reported to the user as an
// unreachable cluster; anything else must surface at once.

import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { retryWhileCoordinatorBusy } from '../../../src/adapters/outbound/kafka/coordinator-retry.ts';

const brokerError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(`${type} from the broker`), { type, code: 14, retriable }));

/** A clock that only moves when the code under test sleeps. */
const fakeClock = () => {
  let t = 0;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
};

describe('retryWhileCoordinatorBusy', () => {
  it('waits out a loading coordinator with growing pauses and returns its answer', async () => {
    const clock = fakeClock();
    let calls = 0;
    const answer = await retryWhileCoordinatorBusy(
      async () => {
        calls += 1;
        if (calls < 5) throw brokerError('GROUP_LOAD_IN_PROGRESS', true);
        return 'offsets';
      },
      { withinMs: 10_000, ...clock },
    );
    expect(answer).toBe('offsets');
    expect(calls).toBe(5);
    expect(clock.sleeps).toEqual([100, 200, 400, 800]);
  });

  it('finds a coordinator that moved or was not elected yet, also when kafkajs wrapped the error', async () => {
    const clock = fakeClock();
    const errors = [
      brokerError('NOT_COORDINATOR_FOR_GROUP', true),
      new KafkaJSNumberOfRetriesExceeded(brokerError('GROUP_COORDINATOR_NOT_AVAILABLE', true), { retryCount: 2, retryTime: 300 }),
    ];
    let calls = 0;
    await expect(
      retryWhileCoordinatorBusy(async () => {
        const next = errors[calls];
        calls += 1;
        if (next) throw next;
        return calls;
      }, { withinMs: 10_000, ...clock }),
    ).resolves.toBe(3);
  });

  it('gives up at the deadline with the broker error, never sleeping past it', async () => {
    const clock = fakeClock();
    const busy = brokerError('GROUP_LOAD_IN_PROGRESS', true);
    await expect(
      retryWhileCoordinatorBusy(async () => {
        throw busy;
      }, { withinMs: 1_000, maxDelayMs: 400, ...clock }),
    ).rejects.toBe(busy);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(clock.sleeps).toEqual([100, 200, 400, 300]);
  });

  it('passes any other failure through on the first attempt', async () => {
    const clock = fakeClock();
    for (const error of [brokerError('UNKNOWN_MEMBER_ID', false), brokerError('NOT_LEADER_FOR_PARTITION', true), new Error('socket hang up')]) {
      let calls = 0;
      await expect(
        retryWhileCoordinatorBusy(async () => {
          calls += 1;
          throw error;
        }, { withinMs: 10_000, ...clock }),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
    expect(clock.sleeps).toEqual([]);
  });
});
