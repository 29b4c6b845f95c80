// A job that outlasts SQS's visibility timeout: what it holds (filtered-out messages, a batch waiting
// for the rate) must stay hidden while it runs, not come back to be received again and again.

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SqsDeadLetterQueue } from '../../../src/adapters/outbound/sqs/sqs-dead-letter-queue.ts';
import { createRedriveJob } from '../../../src/app/jobs/redrive-job-params.ts';
import { runRedriveJob } from '../../../src/app/jobs/redrive-job.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { CheckedOutMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { drainBodies } from './redrive-job-env.ts';
import { makeAppEnv, useSqliteStore } from './sqs-app-env.ts';
import { createQueue, deleteQueues, queueDepth, sendMessages } from './sqs-queues.ts';
import { services, testSqsClient, uniqueQueueName } from './sqs-test-env.ts';

/** Checks out whatever is visible, a few receives deep (a receive may return fewer than are there). */
const checkoutAll = async (dlq: SqsDeadLetterQueue): Promise<CheckedOutMessage[]> => {
  const out: CheckedOutMessage[] = [];
  for (let empty = 0; empty < 3; ) {
    const batch = await dlq.checkoutNext(10, { timeoutMs: 1_500 });
    out.push(...batch);
    empty = batch.length === 0 ? empty + 1 : 0;
  }
  return out;
};

describe.skipIf(!services)('checked-out SQS messages during a long job', () => {
  const store = useSqliteStore();

  it('keepCheckedOut holds a checkout past its visibility timeout while the rest come back', async () => {
    const client = testSqsClient();
    const queue = await createQueue(client, uniqueQueueName('keep-hidden'));
    try {
      const dlq = new SqsDeadLetterQueue({ client, name: queue.name, queueUrl: queue.url, clock: systemClock, checkoutVisibilitySeconds: 2 });
      // Another reader of the queue, holding what it reads for long enough to count it.
      const reader = new SqsDeadLetterQueue({ client, name: queue.name, queueUrl: queue.url, clock: systemClock, checkoutVisibilitySeconds: 30 });
      await sendMessages(client, queue.url, Array.from({ length: 20 }, (_, i) => `body ${i}`));
      const kept = await dlq.checkoutNext(10, { timeoutMs: 3_000 });
      const notKept = await dlq.checkoutNext(10, { timeoutMs: 3_000 });
      expect([kept.length, notKept.length]).toEqual([10, 10]);
      // Kept up every 500 ms as a job's heartbeat would, for 5 s: two and a half visibility timeouts.
      let keeping = Promise.resolve();
      const timer = setInterval(() => (keeping = keeping.then(() => dlq.keepCheckedOut(kept))), 500);
      try {
        await sleep(5_000);
        // The ones nobody kept are back; the kept ones are still checked out.
        expect(await queueDepth(client, queue.url)).toEqual({ visible: 10, inFlight: 10 });
      } finally {
        clearInterval(timer);
        await keeping;
      }
      // (Not read while kept: ElasticMQ 1.7.1 then stops delivering some visible messages until the
      // kept ones end, which real SQS does not do.) Released, everything is there, each received twice:
      // by the first checkouts and now.
      await dlq.release(kept);
      const again = await checkoutAll(reader);
      const keys = (list: CheckedOutMessage[]) => list.map((m) => m.message.messageKey).sort();
      expect(keys(again)).toEqual(keys([...kept, ...notKept]));
      expect(again.map((m) => m.message.receiveCount)).toEqual(Array(20).fill(2));
      // Stale handles (those messages were received again since) are dropped quietly.
      await expect(dlq.keepCheckedOut(notKept)).resolves.toBeUndefined();
      await reader.release(again);
    } finally {
      await deleteQueues(client, queue.url);
      client.destroy();
    }
  });

  it('a filtered, rate-limited job longer than the visibility timeout receives each skipped message once', async () => {
    const env = await makeAppEnv({ store: store(), checkoutVisibilitySeconds: 3 });
    try {
      const body = (i: number, category: string) => JSON.stringify({ job_id: `job-${category}-${i}`, error_category: category });
      await sendMessages(env.client, env.dlq.url, [...Array.from({ length: 30 }, (_, i) => body(i, 'permanent')), ...Array.from({ length: 8 }, (_, i) => body(i, 'transient'))]);
      const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:test', ratePerSecond: 1.5, concurrency: 1, filter: { category: 'transient', domain: null, signature: null, olderThanSeconds: null } });
      const started = performance.now();
      const result = await runRedriveJob(env.deps, job.id);
      // 8 at 1.5/s: the job outlasted the 3 s checkout of what it skipped first.
      expect(performance.now() - started).toBeGreaterThan(4_000);
      expect([result.done, result.skipped, result.job.status]).toEqual([8, 30, 'succeeded']);
      expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 30, inFlight: 0 });
      const left = await env.backend.dlq.peek({ limit: 30, timeoutMs: 3_000 });
      expect(left.map((m) => JSON.parse(m.body).error_category)).toEqual(Array(30).fill('permanent'));
      // Received once by the job and once by this peek: the job never saw them come back.
      expect(left.map((m) => m.receiveCount)).toEqual(Array(30).fill(2));
      expect((await drainBodies(env, env.source.url)).map((b) => JSON.parse(b).error_category)).toEqual(Array(8).fill('transient'));
    } finally {
      await env.cleanup();
    }
  });
  it('messages that arrive during a long filtered job are replayed too, behind what it keeps hidden', async () => {
    const env = await makeAppEnv({ store: store(), checkoutVisibilitySeconds: 2 });
    try {
      const body = (i: number, category: string) => JSON.stringify({ job_id: `job-${category}-${i}`, error_category: category });
      await sendMessages(env.client, env.dlq.url, [...Array.from({ length: 20 }, (_, i) => body(i, 'permanent')), ...Array.from({ length: 4 }, (_, i) => body(i, 'transient'))]);
      const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:test', ratePerSecond: 1, concurrency: 1, filter: { category: 'transient', domain: null, signature: null, olderThanSeconds: null } });
      const running = runRedriveJob(env.deps, job.id);
      // New failures land in the DLQ while the job waits for its rate, after it began keeping the
      // skipped ones hidden (ElasticMQ then delivers nothing behind those until a receive moves them).
      await sleep(2_500);
      await sendMessages(env.client, env.dlq.url, Array.from({ length: 4 }, (_, i) => body(i + 4, 'transient')));
      const result = await running;
      expect([result.done, result.skipped, result.job.status]).toEqual([8, 20, 'succeeded']);
      expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 20, inFlight: 0 });
      expect((await drainBodies(env, env.source.url)).map((b) => JSON.parse(b).job_id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `job-transient-${i}`));
    } finally {
      await env.cleanup();
    }
  });
});
