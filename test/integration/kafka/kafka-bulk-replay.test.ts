// Filtered bulk replay on a real Kafka DLQ (runbook pattern 5: "replay all affected messages" after a
// fix): `/dlq redrive-batch <queue> --category … --domain … --signature … --older-than …` replays only
// the matching messages to the replay topic with retry count 0, leaves the DLQ offsets alone, and a
// job interrupted mid-way and run again never produces a message twice.

import { beforeEach, describe, expect, it } from 'vitest';
import { createDlqCommandRouter } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { runRedriveJob } from '../../../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../../../src/app/jobs/redrive-job-params.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES, type RunbookExampleName } from '../../fixtures/download-dlq-body.ts';
import { kafkaClients, kafkaQueueDeps, services, uniqueName, useKafkaTestEnv } from './kafka-test-env.ts';

const QUEUE = 'downloads-dlq';
const HOUR = 3_600_000;

describe.skipIf(!services)('Kafka filtered bulk replay', () => {
  const env = useKafkaTestEnv();
  let topic: string;
  let replayTopic: string;
  let group: string;

  beforeEach(async () => {
    topic = await env.bench.createTopic('bulk-dlq', 2);
    replayTopic = await env.bench.createTopic('bulk-pending', 1);
    group = uniqueName('bulk-group');
    env.clients = kafkaClients();
  });

  const depsFor = () => kafkaQueueDeps({ name: QUEUE, topic, group, replayTopic, clients: env.clients!, store: env.store });

  /** Produces `count` messages of a runbook example, alternating partitions; returns their trace ids. */
  const produce = async (name: RunbookExampleName, count: number, options: { ageHours?: number; url?: string } = {}): Promise<string[]> => {
    const failedAt = new Date(Date.now() - (options.ageHours ?? 3) * HOUR);
    const ids = Array.from({ length: count }, (_, i) => uniqueName(`evt-${name.toLowerCase()}-${i}`));
    await env.bench.produce(
      topic,
      ids.map((traceId, i) => ({
        partition: i % 2,
        key: traceId,
        value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES[name], ...(options.url ? { url: options.url } : {}), traceId, failedAt }),
      })),
    );
    return ids;
  };

  /** Every record on the replay topic (exactly: the count comes from the high watermark). */
  const replayed = async (): Promise<{ traceId: string; retryCount: number }[]> => {
    const offsets = await env.bench.admin.fetchTopicOffsets(replayTopic);
    const total = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    if (total === 0) return [];
    const records = await env.bench.readAll(replayTopic, total);
    return records.map((r) => {
      const body = JSON.parse(String(r.value)) as { trace_id: string; retry_count: number };
      return { traceId: body.trace_id, retryCount: body.retry_count };
    });
  };

  it('`redrive-batch --category transient --domain timeout.com` replays only those, with retry count 0, and commits nothing', async () => {
    const timeouts = await produce('timeout', 12);
    await produce('expiredUrl', 8);
    await produce('oneLakeAuth', 6);
    await produce('timeout', 4, { url: 'https://elsewhere.net/slow.pdf' });
    const router = createDlqCommandRouter(createQueueOperations(depsFor()));
    const reply = await router.handleArgs(['redrive-batch', QUEUE, '--category', 'transient', '--domain', 'timeout.com', '--rate', '200'], {
      actor: 'U0ADMIN',
      channelId: null,
      transport: 'cli',
    });
    const text = renderReplyForTerminal(reply);
    expect(text).toMatch(/Redrive of downloads-dlq: 12 message\(s\) replayed/);
    expect(text).toMatch(/filter\s+category=transient domain=timeout\.com/);
    expect(text).toMatch(/not matching, left alone\s+18/);
    expect(text).toMatch(/replayed \(kept in the DLQ until resolved\)\s+12/);
    const copies = await replayed();
    expect(copies.map((c) => c.traceId).sort()).toEqual([...timeouts].sort());
    expect(copies.every((c) => c.retryCount === 0)).toBe(true);
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '-1', 1: '-1' });
    const audit = await env.store.searchAudit({ queue: QUEUE });
    expect(audit.find((a) => a.action === 'redrive-batch:run')?.details).toMatchObject({ filter: 'category=transient domain=timeout.com' });
    expect(audit.find((a) => a.action === 'redrive-batch:end')).toMatchObject({ result: 'success', details: { done: 12, skipped: 18 } });
  });

  it('filters by error signature and age, and --count caps the matches', async () => {
    const oldAuth = await produce('oneLakeAuth', 5, { ageHours: 5 });
    await produce('oneLakeAuth', 3, { ageHours: 0.5 });
    await produce('timeout', 4, { ageHours: 5 });
    const router = createDlqCommandRouter(createQueueOperations(depsFor()));
    const context = { actor: 'U0ADMIN', channelId: null, transport: 'cli' as const };
    const reply = await router.handleText('redrive-batch downloads-dlq --signature "token expired" --older-than 2h --count 4', context);
    expect(renderReplyForTerminal(reply)).toMatch(/4 message\(s\) replayed/);
    const copies = await replayed();
    expect(copies).toHaveLength(4);
    for (const copy of copies) expect(oldAuth).toContain(copy.traceId);
    const bad = renderReplyForTerminal(await router.handleText('redrive-batch downloads-dlq --older-than soon', context));
    expect(bad).toMatch(/--older-than must be a duration like 90s, 30m, 2h or 7d, got "soon"/);
    const none = renderReplyForTerminal(await router.handleText('redrive-batch downloads-dlq', context));
    expect(none).toMatch(/needs --count N, or a filter/);
  });

  it('an interrupted job run again never replays a message twice, not even one cut off mid-send', async () => {
    const matching = await produce('timeout', 40);
    await produce('fileType', 10);
    const deps = depsFor();
    const filter = { category: 'transient', domain: null, signature: null, olderThanSeconds: null };
    const job = await createRedriveJob(deps, QUEUE, { actor: 'U0ADMIN', count: null, filter, concurrency: 2, ratePerSecond: 400 });
    const controller = new AbortController();
    const progress: { done: number; failed: number; total: number | null }[] = [];
    const first = await runRedriveJob(deps, job.id, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.done >= 10) controller.abort();
      },
    });
    expect(first.stopped).toBe('aborted');
    expect(first.job.status).toBe('paused');
    expect(first.done).toBeGreaterThanOrEqual(10);
    expect(first.done).toBeLessThan(40);
    expect(progress.at(-1)).toMatchObject({ failed: 0, total: null });
    // A process killed between claiming a message and sending it: the claim is in the store, the
    // send may or may not have happened, so the next run must not send it.
    const afterFirst = await replayed();
    const sentIds = new Set(afterFirst.map((c) => c.traceId));
    const cutOff = (await deps.registry.get(QUEUE).dlq.peek({ limit: 60, timeoutMs: 5_000 })).find((m) => {
      const trace = (JSON.parse(m.body) as { trace_id: string }).trace_id;
      return matching.includes(trace) && !sentIds.has(trace);
    });
    expect(cutOff).toBeDefined();
    expect(await env.store.claimJobItem(job.id, cutOff?.messageKey ?? '', new Date())).toBe(true);

    // After a restart, someone resumes the job by id from Slack or the terminal.
    const router = createDlqCommandRouter(createQueueOperations(deps));
    const context = { actor: 'U0ADMIN', channelId: null, transport: 'cli' as const };
    const resumed = renderReplyForTerminal(await router.handleArgs(['resume', QUEUE, job.id], context));
    expect(resumed).toMatch(/replayed \(kept in the DLQ until resolved\)\s+39/);
    expect(resumed).toMatch(/interrupted, not resent\s+1/);
    const second = await env.store.getJob(job.id);
    expect(second?.status).toBe('failed');
    expect(second?.error).toMatch(/1 message\(s\) were interrupted mid-send and were not sent again/);
    const copies = await replayed();
    expect(copies).toHaveLength(39);
    expect(new Set(copies.map((c) => c.traceId)).size).toBe(39);
    for (const copy of copies) expect(matching).toContain(copy.traceId);
    // A third run finds nothing left to do and sends nothing.
    const third = await runRedriveJob(deps, job.id);
    expect(third.done).toBe(39);
    expect(await replayed()).toHaveLength(39);
    await expect(router.handleArgs(['resume', QUEUE, 'no-such-job'], context)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    const done = await createRedriveJob(deps, QUEUE, { actor: 'U0ADMIN', count: 1 });
    await runRedriveJob(deps, done.id);
    await expect(router.handleArgs(['resume', QUEUE, done.id], context)).rejects.toMatchObject({ code: 'JOB_NOT_RESUMABLE', message: `Job ${done.id} is succeeded.` });
    const audit = await env.store.searchAudit({ queue: QUEUE, limit: 100 });
    expect(audit.filter((a) => a.action === 'redrive-batch:resume').map((a) => a.result).sort()).toEqual(['failure', 'success']);
    expect(await env.bench.committed(group, topic)).toEqual({ 0: '-1', 1: '-1' });
  });
});
