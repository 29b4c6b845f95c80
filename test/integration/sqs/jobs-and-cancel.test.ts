// `jobs` and `cancel` on ElasticMQ with the real SqliteStore: a running manual redrive shows its
// done/failed/total and rate to another store connection (another process, like the CLI beside the
// server), which cancels it; the job stops within a heartbeat without losing or duplicating a
// message. A message move task is cancelled through CancelMessageMoveTask. Every call is audited.

import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { createDlqCommandRouter } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { runRedriveJob } from '../../../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../../../src/app/jobs/redrive-job-params.ts';
import { isRedriveError } from '../../../src/errors.ts';
import { auditOf, cli } from './sqs-app-env.ts';
import { bodies, drainBodies, useSqliteAppEnv } from './redrive-job-env.ts';
import { queueDepth, sendMessages, services } from './sqs-test-env.ts';
import { waitFor } from '../../support/services.ts';

describe.skipIf(!services)('jobs and cancel on ElasticMQ', () => {
  const { store, appEnv } = useSqliteAppEnv();

  it('a running redrive shows progress and rate to another process, which cancels it after the current batch', async () => {
    const env = await appEnv();
    await sendMessages(env.client, env.dlq.url, bodies(80));
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:runner', count: null, ratePerSecond: 20, concurrency: 1 });
    const running = runRedriveJob(env.deps, job.id);

    // Another connection to the same SQLite file: what `redrive dlq jobs|cancel` in a second terminal sees.
    const other = SqliteStore.open(store().path);
    try {
      const otherRouter = createDlqCommandRouter(createQueueOperations({ ...env.deps, store: other }));
      await waitFor(async () => ((await other.getJob(job.id))?.progress.done ?? 0) >= 20, { timeoutMs: 20_000, description: '20 messages done' });
      const jobs = renderReplyForTerminal(await otherRouter.handleArgs(['jobs', env.queue], { ...cli, actor: 'cli:watcher' }));
      expect(jobs).toMatch(new RegExp(`${job.id}\\s+redrive-batch\\s+${env.queue}\\s+running\\s+(\\d+)\\s+0\\s+-\\s+-\\s+(\\d+\\.\\d)/s \\(cap 20\\)`));
      const [, done, rate] = /running\s+(\d+)\s+0\s+-\s+-\s+(\d+\.\d)\/s/.exec(jobs) ?? [];
      expect(Number(done)).toBeGreaterThanOrEqual(20);
      // Generous bounds: the rate is measured over completed batches (bench/ has the precise figures).
      expect(Number(rate)).toBeGreaterThan(8);
      expect(Number(rate)).toBeLessThan(30);
      expect(jobs).toMatch(/(^|\s)\d+ done, 0 failed, \d+\.\d\/s \(cap 20\)/);

      const cancelled = renderReplyForTerminal(await otherRouter.handleArgs(['cancel', job.id.slice(0, 8)], { ...cli, actor: 'cli:watcher' }));
      expect(cancelled).toContain(`Cancel requested for redrive-batch job ${job.id}`);
      expect(cancelled).toContain('stops within about a second, sending no new batch');
    } finally {
      await other.close();
    }

    const result = await running;
    expect(result.stopped).toBe('cancelled');
    expect(result.job.status).toBe('cancelled');
    expect(result.job.error).toContain('cancelled by cli:watcher');
    expect(result.failed).toHaveLength(0);
    expect(result.done).toBeGreaterThanOrEqual(20);
    expect(result.done).toBeLessThan(80);
    // Nothing lost, nothing twice: every message is either replayed once or still in the DLQ.
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 80 - result.done, inFlight: 0 });
    const copies = await drainBodies(env, env.source.url);
    expect(copies).toHaveLength(result.done);
    expect(new Set(copies).size).toBe(result.done);
    // A cancelled job is not resumed.
    expect((await runRedriveJob(env.deps, job.id)).stopped).toBe('cancelled');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 80 - result.done, inFlight: 0 });

    const after = renderReplyForTerminal(await env.router.handleArgs(['jobs'], cli));
    expect(after).toMatch(new RegExp(`${job.id}\\s+redrive-batch\\s+${env.queue}\\s+cancelled\\s+${result.done}\\s+0`));
    const audit = await auditOf(env);
    expect(audit.find((a) => a.action === 'cancel')).toMatchObject({ result: 'success', actor: 'cli:watcher', jobId: job.id, details: { outcome: 'stopping' } });
    expect(audit.find((a) => a.action === 'jobs')).toMatchObject({ result: 'success', actor: 'cli:watcher' });
    expect(audit.find((a) => a.action === 'redrive-batch:end')).toMatchObject({ result: 'success', jobId: job.id, details: { stopped: 'cancelled' } });
  });

  it('cancels a message move task with CancelMessageMoveTask; the unmoved messages stay in the DLQ', async () => {
    const env = await appEnv();
    await sendMessages(env.client, env.dlq.url, bodies(100));
    const started = renderReplyForTerminal(await env.router.handleArgs(['redrive-all', env.queue, '--rate', '5'], cli));
    expect(started).toContain('Started message move task');
    const [job] = await env.store.listJobs({ queue: env.queue });
    expect(job?.kind).toBe('redrive-all');
    await waitFor(async () => (await queueDepth(env.client, env.source.url)).visible > 0, { timeoutMs: 20_000, description: 'the first moved message' });

    const jobs = renderReplyForTerminal(await env.router.handleArgs(['jobs', env.queue], cli));
    expect(jobs).toMatch(new RegExp(`${job!.id}\\s+redrive-all\\s+${env.queue}\\s+running \\(RUNNING\\)\\s+\\d+\\s+0\\s+100\\s+\\d+%\\s+\\d+\\.\\d/s \\(cap 5\\)`));

    const cancelled = renderReplyForTerminal(await env.router.handleArgs(['cancel', job!.id], cli));
    expect(cancelled).toMatch(new RegExp(`Cancelled redrive-all job ${job!.id} on ${env.queue}: \\d+ message\\(s\\) had moved`));
    expect(cancelled).toContain('CancelMessageMoveTask sent');
    // AWS lists the task as CANCELLED; ElasticMQ drops it from the list. Either way, moving stops.
    const tasks = await env.backend.moveTasks!.list();
    expect(tasks.filter((t) => t.status === 'RUNNING')).toEqual([]);
    const moved = (await queueDepth(env.client, env.source.url)).visible;
    // Proving that nothing more moves needs a pause longer than the task's interval (5/s); no event to poll for.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await queueDepth(env.client, env.source.url)).visible).toBe(moved);
    expect(moved).toBeLessThan(100);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 100 - moved, inFlight: 0 });
    expect((await env.store.getJob(job!.id))?.status).toBe('cancelled');
    // A second cancel finds it over.
    expect(renderReplyForTerminal(await env.router.handleArgs(['cancel', job!.id], cli))).toContain('had already ended (cancelled)');
    expect((await auditOf(env)).filter((a) => a.action === 'cancel').map((a) => a.details.outcome)).toEqual(['already-finished', 'cancelled']);
  });

  it('an unknown job id is JOB_NOT_FOUND, audited as a failure; jobs on an unknown queue is QUEUE_UNKNOWN', async () => {
    const env = await appEnv();
    const error = await env.router.handleArgs(['cancel', 'no-such-job'], cli).catch((e: unknown) => e);
    expect(isRedriveError(error) && error.code).toBe('JOB_NOT_FOUND');
    const [audit] = await env.store.searchAudit({ action: 'cancel', ref: 'no-such-job' });
    expect(audit).toMatchObject({ result: 'failure', error: expect.stringContaining('JOB_NOT_FOUND') });
    const unknown = await env.router.handleArgs(['jobs', 'no-such-queue'], cli).catch((e: unknown) => e);
    expect(isRedriveError(unknown) && unknown.code).toBe('QUEUE_UNKNOWN');
    expect(renderReplyForTerminal(await env.router.handleArgs(['jobs', env.queue], cli))).toContain(`No redrive jobs on ${env.queue} yet.`);
  });
});
