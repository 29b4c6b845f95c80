// Manual redrive jobs on ElasticMQ: batches of 10 with per-message outcomes, FIFO groups and dedup
// ids, the rate held (generous bounds: precise figures are bench/'s), and a killed job that resumes
// under the same id without replaying any message twice.

import { afterEach, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, DeleteMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { runRedriveJob } from '../../../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../../../src/app/jobs/redrive-job-params.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import type { DeadLetterQueue } from '../../../src/ports/dead-letter-queue.port.ts';
import { auditOf, cli, makeAppEnv, useSqliteStore, type AppEnv } from './sqs-app-env.ts';
import { createQueue, deleteQueues, queueDepth, sendMessages, services, uniqueQueueName } from './sqs-test-env.ts';

/** Drains a queue completely (deleting), returning every message received. */
const drain = async (env: AppEnv, url: string): Promise<Message[]> => {
  const out: Message[] = [];
  for (;;) {
    const r = await env.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));
    const batch = r.Messages ?? [];
    if (batch.length === 0) return out;
    out.push(...batch);
    await env.client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
};

const bodies = (n: number, prefix = 'msg') => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `${prefix}-${i}`, n: i }));

describe.skipIf(!services)('manual redrive jobs on ElasticMQ', () => {
  const store = useSqliteStore();
  let env: AppEnv;
  afterEach(async () => env?.cleanup());

  it('redrive-batch --count N replays exactly N in batches and reports them', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, bodies(25));
    const text = renderReplyForTerminal(await env.router.handleArgs(['redrive-batch', env.queue, '--count', '13'], cli));
    expect(text).toContain('13 message(s) replayed');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 12, inFlight: 0 });
    const copies = await drain(env, env.source.url);
    expect(copies).toHaveLength(13);
    expect(new Set(copies.map((m) => m.Body)).size).toBe(13);
    expect((await auditOf(env)).map((a) => a.action)).toEqual(expect.arrayContaining(['redrive-batch:run', 'redrive-batch:end']));
  });

  it('redrive-batch with a filter replays only the matching messages; the others stay visible in the DLQ', async () => {
    env = await makeAppEnv({ store: store() });
    const body = (i: number, category: string) => JSON.stringify({ job_id: `job-${category}-${i}`, error_category: category, errorMessage: 'Task timed out after 30.00 seconds' });
    await sendMessages(env.client, env.dlq.url, [...Array.from({ length: 8 }, (_, i) => body(i, 'transient')), ...Array.from({ length: 17 }, (_, i) => body(i, 'permanent'))]);
    const text = renderReplyForTerminal(await env.router.handleArgs(['redrive-batch', env.queue, '--category', 'transient', '--signature', 'timed out'], cli));
    expect(text).toContain('8 message(s) replayed');
    expect(text).toMatch(/not matching, left alone\s+17/);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 17, inFlight: 0 });
    const copies = await drain(env, env.source.url);
    expect(copies.map((m) => JSON.parse(m.Body ?? '{}').error_category)).toEqual(Array(8).fill('transient'));
  });

  it('a partly failing batch deletes only the sent messages and reports the others by id', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, [...bodies(6), 'not json 1', 'not json 2']);
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:test', count: 8, bodyMerge: { retry_attempt: 1 } });
    const result = await runRedriveJob(env.deps, job.id);
    expect(result.done).toBe(6);
    expect(result.failed).toHaveLength(2);
    expect(result.job.status).toBe('failed');
    const left = await drain(env, env.dlq.url);
    expect(left.map((m) => m.Body).sort()).toEqual(['not json 1', 'not json 2']);
    expect(result.failed.map((f) => f.messageKey).sort()).toEqual(left.map((m) => m.MessageId).sort());
    const copies = await drain(env, env.source.url);
    expect(copies.map((m) => JSON.parse(m.Body ?? '{}').retry_attempt)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a destination that refuses every message (FIFO without group id) leaves the DLQ untouched', async () => {
    const fifoName = uniqueQueueName('refusing', true);
    env = await makeAppEnv({ store: store() });
    const fifo = await createQueue(env.client, fifoName);
    try {
      const refusing = await makeAppEnv({ store: store(), queueConfig: { replayTarget: { kind: 'sqs', queueUrl: fifo.url } } });
      try {
        await sendMessages(refusing.client, refusing.dlq.url, bodies(12));
        const job = await createRedriveJob(refusing.deps, refusing.queue, { actor: 'cli:test', count: 12 });
        const result = await runRedriveJob(refusing.deps, job.id);
        expect(result.done).toBe(0);
        expect(result.failed).toHaveLength(12);
        expect(result.failed[0]?.error).toMatch(/MessageGroupId|MissingParameter|InvalidParameter/i);
        expect(await queueDepth(refusing.client, refusing.dlq.url)).toEqual({ visible: 12, inFlight: 0 });
      } finally {
        await refusing.cleanup();
      }
    } finally {
      await deleteQueues(env.client, fifo.url);
    }
  });

  it('FIFO: redrive-all takes the manual path, keeps MessageGroupId and sends a deduplication id', async () => {
    env = await makeAppEnv({ store: store(), fifo: true });
    await sendMessages(env.client, env.dlq.url, [
      { body: '{"a":1}', groupId: 'customer-1' },
      { body: '{"a":2}', groupId: 'customer-2' },
      { body: '{"a":3}', groupId: 'customer-1' },
    ]);
    expect(env.backend.moveTasks).toBeNull();
    const text = renderReplyForTerminal(await env.router.handleArgs(['redrive-all', env.queue], cli));
    expect(text).toContain('3 message(s) replayed');
    const copies = await drain(env, env.source.url);
    expect(copies.map((m) => [m.Body, m.Attributes?.MessageGroupId]).sort()).toEqual([
      ['{"a":1}', 'customer-1'],
      ['{"a":2}', 'customer-2'],
      ['{"a":3}', 'customer-1'],
    ]);
    for (const copy of copies) expect(copy.Attributes?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  // Only the cap is a behaviour: how close a loaded 2-core machine gets to it is bench/sqs-redrive.ts's
  // figure (a lower bound failed here at 50/s while eight other processes shared the cores).
  it('never exceeds the requested rate over a few hundred messages', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, bodies(300));
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:test', count: 300, ratePerSecond: 100 });
    const result = await runRedriveJob(env.deps, job.id);
    expect(result.done).toBe(300);
    const rate = (result.done / result.elapsedMs) * 1000;
    expect(rate).toBeLessThan(110);
  });

  it('a job stopped mid-way resumes under the same id and never replays a message twice', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, bodies(60));
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:test', count: null, concurrency: 2 });
    const controller = new AbortController();
    const first = await runRedriveJob(env.deps, job.id, { signal: controller.signal, onProgress: (p) => p.done >= 20 && controller.abort() });
    expect(first.stopped).toBe('aborted');
    expect(first.job.status).toBe('paused');
    expect(first.done).toBeGreaterThanOrEqual(20);
    expect(first.done).toBeLessThan(60);
    const second = await runRedriveJob(env.deps, job.id);
    expect(second.job.status).toBe('succeeded');
    const copies = await drain(env, env.source.url);
    expect(copies).toHaveLength(60);
    expect(new Set(copies.map((m) => m.Body)).size).toBe(60);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('a job that dies between send and delete deletes those messages on resume without sending them again', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, bodies(40));
    const real: DeadLetterQueue = env.backend.dlq;
    let removes = 0;
    const crashing = Object.create(real) as DeadLetterQueue;
    Object.assign(crashing, {
      remove: async (items: Parameters<DeadLetterQueue['remove']>[0]) => {
        removes += 1;
        if (removes === 2) throw new Error('simulated crash after send, before delete');
        return real.remove(items);
      },
      checkoutNext: real.checkoutNext?.bind(real),
      checkout: real.checkout.bind(real),
      release: real.release.bind(real),
    });
    (env.backend as { dlq: DeadLetterQueue }).dlq = crashing;
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:test', count: null, concurrency: 1 });
    await expect(runRedriveJob(env.deps, job.id)).rejects.toThrow('simulated crash');
    expect((await env.store.getJob(job.id))?.status).toBe('failed');
    expect((await env.store.listJobItems(job.id, 'sent')).length).toBe(10);
    (env.backend as { dlq: DeadLetterQueue }).dlq = real;
    const resumed = await runRedriveJob(env.deps, job.id);
    expect(resumed.job.status).toBe('succeeded');
    const copies = await drain(env, env.source.url);
    expect(copies).toHaveLength(40);
    expect(new Set(copies.map((m) => m.Body)).size).toBe(40);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });
});
