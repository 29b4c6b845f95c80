// The demo DLQs behind the local console: the DeadLetterQueue contract in both flavours (SQS-like
// deletes on remove, Kafka-like commits up to the lowest unresolved offset), plus what the demo
// promises: the runbooks' five failure patterns, a feed that fills on a timer, pauses and stops.

import { describe, expect, it } from 'vitest';
import { DemoDeadLetterQueue } from '../../../src/adapters/outbound/demo/demo-dead-letter-queue.ts';
import { createDemo, DEMO_ESCALATION, DEMO_KAFKA_QUEUE, DEMO_SQS_QUEUE } from '../../../src/adapters/outbound/demo/demo-backends.ts';
import { demoFailure, DEMO_SSL_DOMAIN, type DemoPattern } from '../../../src/adapters/outbound/demo/demo-messages.ts';
import { mapDlqMessage } from '../../../src/core/analysis/field-mapping.ts';
import { matchRunbookPattern } from '../../../src/core/analysis/runbook-patterns.ts';
import { resolvePolicy } from '../../../src/core/escalation/presets.ts';
import { fixedClock, systemClock } from '../../../src/ports/clock.port.ts';
import { manualTimers } from '../../../src/ports/timers.port.ts';
import { describeDeadLetterQueueContract } from '../../contract/dead-letter-queue.contract.ts';

let sequence = 0;
for (const kind of ['sqs', 'kafka'] as const) {
  describeDeadLetterQueueContract(
    `demo ${kind}`,
    async () => {
      sequence += 1;
      const dlq = new DemoDeadLetterQueue({ name: `demo-${kind}-${sequence}`, kind, clock: systemClock });
      return { dlq, seed: async (bodies) => void bodies.forEach((body) => dlq.add(body)), cleanup: () => dlq.close() };
    },
    { removeHidesMessage: kind === 'sqs', timeoutMs: 1_000 },
  );
}

describe('demo DLQ flavours', () => {
  it('Kafka-like: resolving one message commits only up to the lowest unresolved offset', async () => {
    const dlq = new DemoDeadLetterQueue({ name: 'k', kind: 'kafka', clock: systemClock, partitions: 1 });
    for (let i = 0; i < 4; i += 1) dlq.add(JSON.stringify({ trace_id: `t${i}` }));
    const held = await dlq.checkout(['0:2']);
    expect((await dlq.remove(held.found)).removed).toEqual(['0:2']);
    const status = await dlq.status();
    expect(status.depth).toBe(3);
    expect(status.partitions).toEqual([{ partition: 0, highWatermark: '4', committed: '0', lag: 4, resolved: 1 }]);
    expect(dlq.replayRemovesMessage).toBe(false);
  });

  it('SQS-like: a checked-out message is in flight until released, and peek raises the receive count', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const dlq = new DemoDeadLetterQueue({ name: 's', kind: 'sqs', clock, visibilitySeconds: 30 });
    const message = dlq.add('{"a":1}');
    expect((await dlq.peek({ limit: 1, timeoutMs: 0 }))[0]?.receiveCount).toBe(1);
    const held = await dlq.checkout([message.messageKey]);
    expect(await dlq.status()).toMatchObject({ depth: 0, inFlight: 1 });
    clock.advance(31_000);
    expect(await dlq.status()).toMatchObject({ depth: 1, inFlight: 0 });
    expect((await dlq.remove(held.found)).removed).toEqual([message.messageKey]);
    expect(dlq.size).toBe(0);
  });
});

describe('demo failures', () => {
  const expected: Record<DemoPattern, RegExp> = {
    expiredUrl: /presigned URL expired/i,
    fileType: /file type/i,
    timeout: /timeout/i,
    oneLake: /OneLake|upload/i,
    ssl: /(SSL|TLS) certificate/i,
  };
  it.each(Object.keys(expected) as DemoPattern[])('%s bodies read as the runbook pattern through the default field mapping', (pattern) => {
    const failure = demoFailure(pattern, 7, new Date('2026-01-01T00:00:00Z'));
    const message = { queue: 'q', messageKey: 'k', body: failure.body, attributes: {}, messageAttributes: {}, enqueuedAt: null, receiveCount: null, partition: null, offset: null, key: null, groupId: null, deduplicationId: null };
    const mapped = mapDlqMessage(message);
    expect(mapped.traceId).toBe(failure.traceId);
    expect(matchRunbookPattern(mapped).title).toMatch(expected[pattern]);
    if (pattern === 'ssl') expect(mapped.domain).toBe(DEMO_SSL_DOMAIN);
  });

  it('404 and 410 both appear among expired URLs', () => {
    const errors = [1, 2, 3].map((n) => JSON.parse(demoFailure('expiredUrl', n, new Date(0)).body).final_error as string);
    expect(errors.some((e) => e.includes('404'))).toBe(true);
    expect(errors.some((e) => e.includes('410'))).toBe(true);
  });
});

describe('the demo', () => {
  it('starts above L1 on both queues with every failure pattern, and the feed fills, pauses and resumes', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const timers = manualTimers();
    const demo = createDemo({ clock, timers });
    const [sqs, kafka] = demo.dlqs;
    expect(demo.backends.map((b) => [b.name, b.kind])).toEqual([[DEMO_SQS_QUEUE, 'sqs'], [DEMO_KAFKA_QUEUE, 'kafka']]);
    expect(sqs!.size).toBeGreaterThan(resolvePolicy(DEMO_ESCALATION[DEMO_SQS_QUEUE]!).l1Depth!);
    expect(kafka!.size).toBeGreaterThan(resolvePolicy(DEMO_ESCALATION[DEMO_KAFKA_QUEUE]!).l1Depth!);
    const bodies = [...(await sqs!.peek({ limit: 100, timeoutMs: 0 })), ...(await kafka!.peek({ limit: 100, timeoutMs: 0 }))].map((m) => m.body);
    for (const text of ['404', '.exe', '4 attempts', 'OneLake', 'SSL']) expect(bodies.some((b) => b.includes(text)), text).toBe(true);
    const before = sqs!.size + kafka!.size;
    demo.feed.start();
    for (let i = 0; i < 6; i += 1) timers.runAll();
    expect(sqs!.size + kafka!.size).toBe(before + 6 + 4);
    demo.feed.pause();
    expect(demo.feed.running).toBe(false);
    timers.runAll();
    expect(sqs!.size + kafka!.size).toBe(before + 10);
    demo.feed.start();
    timers.runAll();
    expect(sqs!.size).toBeGreaterThan(before - kafka!.size);
    demo.feed.stop();
    expect(timers.pending()).toBe(0);
  });

  it('replays go to an in-memory target that accepts every copy', async () => {
    const demo = createDemo({ clock: systemClock, timers: manualTimers() });
    const backend = demo.backends[0]!;
    const [message] = await backend.dlq.peek({ limit: 1, timeoutMs: 0 });
    const target = await backend.replayTarget();
    expect(target.description).toMatch(/demo/);
    const sent = await target.send([{ source: message!, body: message!.body, actor: 'U1', jobId: null }]);
    expect(sent.accepted.map((a) => a.messageKey)).toEqual([message!.messageKey]);
    expect(sent.failed).toEqual([]);
  });
});
