// "Did it come back?": which DLQ messages are replayed messages returning (the canary, the post-replay
// watch and analyze's replay-failure count all use this rule), and what a new job's canary is.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findReturns, isReturnOf, RETURN_MARGIN_MS, type ReturnCandidate } from '../../../src/core/replay/replay-returns.ts';
import type { ReplayRecord } from '../../../src/core/model.ts';
import { canaryForJob, DEFAULT_WATCH_MS } from '../../../src/app/jobs/canary.ts';
import { replayFingerprints, returnFingerprints } from '../../../src/app/shared/message-identity.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';

const T = Date.UTC(2026, 11, 4, 12, 0, 0);
const at = (offsetMs: number): Date => new Date(T + offsetMs);

const replay = (messageKey: string, fingerprints: string[], replayedAt = at(0)): ReplayRecord => ({
  queue: 'q',
  messageKey,
  fingerprints: [`key:${messageKey}`, ...fingerprints],
  jobId: 'job-1',
  replayedBy: 'U_OP',
  replayedAt,
  destination: 'src',
});

const message = (messageKey: string, fingerprints: string[], enqueuedAt: Date | null = at(5_000)): ReturnCandidate => ({
  messageKey,
  fingerprints: [`key:${messageKey}`, ...fingerprints],
  enqueuedAt,
});

describe('isReturnOf', () => {
  it.each([
    ['SQS: same body digest, new message id, after the replay', message('m-new', ['sha256:aa']), true],
    ['Kafka: same trace id in a new DLQ record after the replay', message('dlq/0/42', ['trace:t-1', 'sha256:other']), true],
    ['the replayed message itself (Kafka keeps it until resolved)', message('m-1', ['trace:t-1', 'sha256:aa']), false],
    ['a different message (no shared trace id or digest)', message('m-2', ['trace:t-2', 'sha256:bb']), false],
    ['a look-alike that was in the DLQ before the replay', message('m-old', ['trace:t-1'], at(-RETURN_MARGIN_MS - 1)), false],
    ['within the clock margin before the replay (SQS keeps the send time)', message('m-new', ['trace:t-1'], at(-RETURN_MARGIN_MS + 1)), true],
    ['an unknown enqueue time still counts', message('m-new', ['sha256:aa'], null), true],
    ['only a message-key fingerprint in common never counts', { messageKey: 'm-9', fingerprints: ['key:m-1'], enqueuedAt: at(1) }, false],
  ])('%s', (_name, candidate, expected) => {
    expect(isReturnOf(candidate, replay('m-1', ['trace:t-1', 'sha256:aa']))).toBe(expected);
  });
});

describe('findReturns', () => {
  const replays = [replay('m-1', ['trace:t-1', 'sha256:aa']), replay('m-2', ['trace:t-2', 'sha256:bb']), replay('m-3', ['trace:t-3', 'sha256:cc'])];

  it('names each returned message with the replay it came from; others are not returns', () => {
    const dlq = [message('m-4', ['trace:t-4', 'sha256:dd']), message('x-1', ['trace:t-1', 'sha256:aa']), message('m-2', ['trace:t-2', 'sha256:bb']), message('x-3', ['sha256:cc'])];
    expect(findReturns(dlq, replays).map((r) => [r.message.messageKey, r.replay.messageKey])).toEqual([
      ['x-1', 'm-1'],
      ['x-3', 'm-3'],
    ]);
  });

  it('counts a replayed message that came back twice once with onePerReplay', () => {
    const dlq = [message('x-1', ['trace:t-1']), message('y-1', ['trace:t-1'])];
    expect(findReturns(dlq, replays)).toHaveLength(2);
    expect(findReturns(dlq, replays, { onePerReplay: true }).map((r) => r.message.messageKey)).toEqual(['x-1']);
  });

  it('SQS keeps the copy\'s message id when it goes back to the DLQ: an edited body without a trace id is still recognised', () => {
    const original: DlqMessage = { queue: 'q', messageKey: 'orig', body: 'raw text', attributes: {}, messageAttributes: {}, receiveCount: 3, enqueuedAt: at(-60_000), partition: null, offset: null, key: null, groupId: null, deduplicationId: null };
    const replayed = replay('orig', replayFingerprints(original, undefined, 'copy-id-1').filter((f) => !f.startsWith('key:')));
    const back: DlqMessage = { ...original, messageKey: 'copy-id-1', body: 'edited text', enqueuedAt: at(2_000) };
    const other: DlqMessage = { ...back, messageKey: 'copy-id-2' };
    const found = findReturns([back, other].map((m) => ({ messageKey: m.messageKey, fingerprints: returnFingerprints(m), enqueuedAt: m.enqueuedAt })), [replayed]);
    expect(found.map((r) => r.message.messageKey)).toEqual(['copy-id-1']);
  });

  it('with outstandingOnly, a return that was itself replayed since no longer counts', () => {
    const again = replay('x-1', ['trace:t-1', 'sha256:aa'], at(10_000));
    const dlq = [message('x-1', ['trace:t-1', 'sha256:aa']), message('x-3', ['sha256:cc'])];
    expect(findReturns(dlq, [...replays, again])).toHaveLength(2);
    expect(findReturns(dlq, [...replays, again], { outstandingOnly: true }).map((r) => r.message.messageKey)).toEqual(['x-3']);
  });

  it('uses the real fingerprints: a returned SQS copy (new id, same body) and a Kafka record with the trace id in a header', () => {
    const original: DlqMessage = { queue: 'q', messageKey: 'orig', body: '{"trace_id":"abc","kind":"thumb"}', attributes: {}, messageAttributes: {}, receiveCount: 3, enqueuedAt: at(-60_000), partition: null, offset: null, key: null, groupId: null, deduplicationId: null };
    const replayed = replay('orig', replayFingerprints(original).filter((f) => !f.startsWith('key:')));
    const back: DlqMessage = { ...original, messageKey: 'new-id', enqueuedAt: at(2_000) };
    expect(findReturns([{ messageKey: back.messageKey, fingerprints: replayFingerprints(back), enqueuedAt: back.enqueuedAt }], [replayed])).toHaveLength(1);
    expect(findReturns([{ messageKey: original.messageKey, fingerprints: replayFingerprints(original), enqueuedAt: at(2_000) }], [replayed])).toHaveLength(0);
  });

  it('never reports a message without a fingerprint in common with some replay (property)', () => {
    const fp = fc.constantFrom('trace:a', 'trace:b', 'sha256:1', 'sha256:2', 'trace:c');
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), fps: fc.array(fp, { maxLength: 3 }), dt: fc.integer({ min: -120_000, max: 120_000 }) }), { maxLength: 8 }), fc.array(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), fps: fc.array(fp, { maxLength: 3 }) }), { maxLength: 5 }), (msgs, reps) => {
        const candidates = msgs.map((m) => message(m.key, m.fps, at(m.dt)));
        const records = reps.map((r) => replay(r.key, r.fps));
        for (const found of findReturns(candidates, records)) {
          expect(found.message.messageKey).not.toBe(found.replay.messageKey);
          expect(found.message.fingerprints.some((f) => !f.startsWith('key:') && found.replay.fingerprints.includes(f))).toBe(true);
          expect(found.message.enqueuedAt!.getTime()).toBeGreaterThanOrEqual(found.replay.replayedAt.getTime() - RETURN_MARGIN_MS);
        }
      }),
    );
  });
});

describe('canaryForJob', () => {
  const queue = { count: 5, watchMs: 30_000 };
  it.each([
    ['the queue config applies when no flag is given', queue, undefined, null, { count: 5, watchMs: 30_000 }],
    ['--canary N overrides the count, keeps the queue window', queue, 2, 100, { count: 2, watchMs: 30_000 }],
    ['--canary 0 turns it off', queue, 0, null, null],
    ['no config and no flag: none', null, undefined, null, null],
    ['--canary N on a queue without config: the default window', null, 3, null, { count: 3, watchMs: DEFAULT_WATCH_MS }],
    ['a job no bigger than its canary has none', queue, undefined, 5, null],
  ])('%s', (_name, config, flag, jobCount, expected) => {
    expect(canaryForJob(config, flag, jobCount)).toEqual(expected);
  });
});
