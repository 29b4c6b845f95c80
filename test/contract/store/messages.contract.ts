// Store contract, messages part: the message index found by key or trace id, resolutions recorded
// once and listed by partition and numeric offset, replays found by any fingerprint.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReplayRecord } from '../../../src/core/model.ts';
import { at, indexEntry, kafkaResolution, resolution, T0, unique, type StoreRef } from './store-fixtures.ts';

export const describeMessageContract = (store: StoreRef): void => {
  describe('message index', () => {
    it('finds an entry by message key or by trace id, only in its own queue', async () => {
      const queue = unique('q');
      const entry = indexEntry(queue);
      const other = indexEntry(queue);
      await store().upsertMessageIndex([entry, other]);
      expect(await store().findIndexedMessage(queue, entry.messageKey)).toEqual(entry);
      expect(await store().findIndexedMessage(queue, entry.traceId!)).toEqual(entry);
      expect(await store().findIndexedMessage(queue, other.traceId!)).toEqual(other);
      expect(await store().findIndexedMessage(unique('q'), entry.messageKey)).toBeNull();
      expect(await store().findIndexedMessage(queue, unique('nothing'))).toBeNull();
    });

    it('refreshes a known entry but keeps when it was first seen', async () => {
      const queue = unique('q');
      const entry = indexEntry(queue);
      await store().upsertMessageIndex([entry]);
      const seenAgain = { ...entry, firstSeenAt: at(9_000), lastSeenAt: at(9_000), summary: { category: 'http-500' } };
      await store().upsertMessageIndex([seenAgain]);
      expect(await store().findIndexedMessage(queue, entry.messageKey)).toEqual({ ...seenAgain, firstSeenAt: entry.firstSeenAt });
      await store().upsertMessageIndex([]);
    });

    it('prefers an exact key over a trace id, then the most recently seen message of a trace', async () => {
      const queue = unique('q');
      const traceId = unique('trace');
      const older = indexEntry(queue, { traceId, lastSeenAt: at(1_000) });
      const newer = indexEntry(queue, { traceId, lastSeenAt: at(2_000) });
      const keyedLikeTrace = indexEntry(queue, { messageKey: traceId, traceId: null });
      await store().upsertMessageIndex([older, newer]);
      expect(await store().findIndexedMessage(queue, traceId)).toEqual(newer);
      await store().upsertMessageIndex([keyedLikeTrace]);
      expect(await store().findIndexedMessage(queue, traceId)).toEqual(keyedLikeTrace);
    });

    it('lists the entries that entered the DLQ in a time range, oldest first, with a limit', async () => {
      const queue = unique('q');
      const [a, b, c] = [at(1_000), at(2_000), at(3_000)].map((firstSeenAt) => indexEntry(queue, { firstSeenAt, lastSeenAt: firstSeenAt }));
      await store().upsertMessageIndex([c!, a!, b!, indexEntry(unique('other'), { firstSeenAt: at(2_000) })]);
      expect(await store().listIndexedMessages(queue, { since: at(1_500) })).toEqual([b, c]);
      expect(await store().listIndexedMessages(queue, { since: T0, until: at(3_000) })).toEqual([a, b]);
      expect(await store().listIndexedMessages(queue, { since: T0, limit: 1 })).toEqual([a]);
      expect(await store().listIndexedMessages(queue, { since: at(5_000) })).toEqual([]);
    });

    it('finds trace ids of any length exactly (300 characters, 10,000 characters), never by a shared prefix', async () => {
      const queue = unique('q');
      const prefix = `${unique('trace')}-`.padEnd(256, 'x');
      const long = indexEntry(queue, { traceId: `${prefix}${'a'.repeat(44)}` });
      const sibling = indexEntry(queue, { traceId: `${prefix}${'b'.repeat(44)}` });
      // Random hex: PostgreSQL compresses a repeated character well enough to fit a btree row.
      const huge = indexEntry(queue, { traceId: `${prefix}${randomBytes(5_000).toString('hex')}` });
      await store().upsertMessageIndex([long, sibling, huge]);
      expect(await store().findIndexedMessage(queue, long.traceId!)).toEqual(long);
      expect(await store().findIndexedMessage(queue, sibling.traceId!)).toEqual(sibling);
      expect(await store().findIndexedMessage(queue, huge.traceId!)).toEqual(huge);
      expect(await store().findIndexedMessage(queue, prefix)).toBeNull();
      expect(await store().findIndexedMessage(queue, `${prefix}${'a'.repeat(43)}`)).toBeNull();
    });

    it('records and finds audit records whose message and trace ids are 10,000 characters long', async () => {
      const id = `${unique('long')}-${randomBytes(5_000).toString('hex')}`;
      const queue = unique('q');
      await store().appendAudit({ at: T0, action: 'view', queue, messageId: id, traceId: id, partition: null, offset: null, actor: 'U1', result: 'failure', error: 'not found', incidentId: null, jobId: null, details: {} });
      const [found] = await store().searchAudit({ ref: id });
      expect(found).toMatchObject({ queue, messageId: id, traceId: id });
    });

    it('keeps Kafka partition and int64 offsets exact', async () => {
      const queue = unique('topic');
      const entry = indexEntry(queue, { messageKey: '3:9223372036854775807', partition: 3, offset: '9223372036854775807' });
      await store().upsertMessageIndex([entry]);
      expect(await store().findIndexedMessage(queue, entry.messageKey)).toEqual(entry);
    });
  });

  describe('resolutions', () => {
    it('records a resolution once; the second time it is already resolved and the first is kept', async () => {
      const queue = unique('q');
      const first = resolution(queue, { traceId: unique('trace') });
      expect(await store().recordResolution(first)).toBe('recorded');
      expect(await store().recordResolution({ ...first, resolvedBy: 'U999', reason: null, resolvedAt: at(5) })).toBe('already-resolved');
      expect(await store().getResolution(queue, first.messageKey)).toEqual(first);
      expect(await store().getResolution(queue, unique('msg'))).toBeNull();
      expect(await store().getResolution(unique('q'), first.messageKey)).toBeNull();
    });

    it('lists a partition’s resolutions from an offset, ascending numerically (10 after 9)', async () => {
      const topic = unique('topic');
      for (const offset of ['10', '9', '2', '11', '100']) await store().recordResolution(kafkaResolution(topic, 0, offset));
      await store().recordResolution(kafkaResolution(topic, 1, '5'));
      await store().recordResolution(kafkaResolution(unique('topic'), 0, '50'));
      const fromNine = await store().listResolutions(topic, { partition: 0, fromOffset: '9' });
      expect(fromNine.map((r) => r.offset)).toEqual(['9', '10', '11', '100']);
      expect(fromNine[0]).toEqual(kafkaResolution(topic, 0, '9'));
      const all = await store().listResolutions(topic);
      expect(all.map((r) => r.messageKey)).toEqual(['0:2', '0:9', '0:10', '0:11', '0:100', '1:5']);
      expect((await store().listResolutions(topic, { partition: 1 })).map((r) => r.offset)).toEqual(['5']);
    });

    it('filters resolutions by time', async () => {
      const queue = unique('q');
      const early = resolution(queue, { resolvedAt: at(0) });
      const late = resolution(queue, { resolvedAt: at(60_000) });
      await store().recordResolution(late);
      await store().recordResolution(early);
      expect(await store().listResolutions(queue)).toEqual([early, late]);
      expect(await store().listResolutions(queue, { since: at(1) })).toEqual([late]);
    });
  });

  describe('replays', () => {
    const replay = (queue: string, overrides: Partial<ReplayRecord> = {}): ReplayRecord => ({
      queue,
      messageKey: unique('msg'),
      fingerprints: [unique('trace'), unique('msgid'), unique('sha256')],
      jobId: null,
      replayedBy: 'U123',
      replayedAt: T0,
      destination: 'arn:aws:sqs:us-east-1:000000000000:orders',
      ...overrides,
    });

    it('finds a replay by any of its fingerprints, once, and only in its queue', async () => {
      const queue = unique('q');
      const r = replay(queue);
      await store().recordReplay(r);
      for (const fingerprint of r.fingerprints) expect(await store().findReplays(queue, [fingerprint])).toEqual([r]);
      expect(await store().findReplays(queue, [unique('none'), ...r.fingerprints])).toEqual([r]);
      expect(await store().findReplays(queue, [unique('none')])).toEqual([]);
      expect(await store().findReplays(queue, [])).toEqual([]);
      expect(await store().findReplays(unique('q'), r.fingerprints)).toEqual([]);
    });

    it('finds every replay sharing a fingerprint, oldest first, and tolerates repeated fingerprints', async () => {
      const queue = unique('q');
      const shared = unique('trace');
      const second = replay(queue, { fingerprints: [shared, shared, unique('h')], replayedAt: at(2_000) });
      const first = replay(queue, { fingerprints: [unique('id'), shared], replayedAt: at(1_000) });
      await store().recordReplay(second);
      await store().recordReplay(first);
      expect(await store().findReplays(queue, [shared])).toEqual([first, second]);
    });

    it('lists replays by job and since, oldest first', async () => {
      const queue = unique('q');
      const jobId = unique('job');
      const a = replay(queue, { jobId, replayedAt: at(0) });
      const b = replay(queue, { replayedAt: at(1_000) });
      const c = replay(queue, { jobId, replayedAt: at(2_000) });
      for (const r of [c, a, b]) await store().recordReplay(r);
      expect(await store().listReplays(queue)).toEqual([a, b, c]);
      expect(await store().listReplays(queue, { jobId })).toEqual([a, c]);
      expect(await store().listReplays(queue, { since: at(500) })).toEqual([b, c]);
      expect(await store().listReplays(queue, { since: at(500), jobId })).toEqual([c]);
    });
  });
};
