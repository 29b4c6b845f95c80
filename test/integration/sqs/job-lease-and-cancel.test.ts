// A manual redrive job's lease and its cancel, on ElasticMQ with the real SqliteStore: a cancel from
// another store connection (another process) stops a rate-limited job within one batch, even with
// four workers waiting for the rate; one job never runs twice at once (a second run and `resume`
// are refused while the first heartbeats); and a run whose heartbeat lapsed is taken over by another
// replica, stops at its next heartbeat, and not one message is replayed twice; a cancel of a job
// whose runner is gone cancels it at once. On PostgreSQL, two replicas taking over one abandoned
// job at the same moment: exactly one runs it.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/adapters/outbound/postgres/postgres-store.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { createDlqCommandRouter } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { jobLeaseName, jobLeaseTtlMs } from '../../../src/app/jobs/job-lease.ts';
import { runRedriveJob } from '../../../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../../../src/app/jobs/redrive-job-params.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { requireServices, uniqueName, waitFor } from '../../support/services.ts';
import { cli, makeAppEnv, type AppEnv } from './sqs-app-env.ts';
import { bodies, drainBodies, useSqliteAppEnv } from './redrive-job-env.ts';
import { queueDepth, sendMessages, services } from './sqs-test-env.ts';

describe.skipIf(!services)('a manual redrive job: prompt cancel and one runner at a time (ElasticMQ, SQLite)', () => {
  const { store, appEnv } = useSqliteAppEnv();

  it('a cancel from another process stops a rate-limited job within one batch, and the result says how many it replayed', async () => {
    const env = await appEnv();
    await sendMessages(env.client, env.dlq.url, bodies(120));
    // Four workers at 4 messages a second: each batch of 10 waits its turn for up to 10 s.
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:runner', count: null, ratePerSecond: 4, concurrency: 4 });
    const running = runRedriveJob(env.deps, job.id, { heartbeatMs: 100 });
    const other = SqliteStore.open(store().path);
    let doneAtCancel = 0;
    try {
      await waitFor(async () => ((await other.getJob(job.id))?.progress.done ?? 0) >= 10, { timeoutMs: 20_000, description: 'a first batch done' });
      const otherRouter = createDlqCommandRouter(createQueueOperations({ ...env.deps, store: other }));
      doneAtCancel = (await other.getJob(job.id))?.progress.done ?? 0;
      const answer = renderReplyForTerminal(await otherRouter.handleArgs(['cancel', job.id], { ...cli, actor: 'cli:watcher' }));
      expect(answer).toContain(`Cancel requested for redrive-batch job ${job.id}`);
    } finally {
      await other.close();
    }
    const result = await running;
    expect(result.stopped).toBe('cancelled');
    expect(result.job.status).toBe('cancelled');
    // At most the batch already sending when the cancel landed; the three batches waiting for the
    // rate give up their turn (before, each of them still went out: up to 40 more).
    expect(result.done - doneAtCancel).toBeLessThanOrEqual(10);
    expect(result.uncertain).toEqual([]);
    // Nothing twice, nothing deleted that was not sent, nothing claimed and left hanging.
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 120 - result.done, inFlight: 0 });
    const copies = await drainBodies(env, env.source.url);
    expect(copies).toHaveLength(result.done);
    expect(new Set(copies).size).toBe(result.done);
    expect(await env.store.listJobItems(job.id, 'claimed')).toEqual([]);
    const jobs = renderReplyForTerminal(await env.router.handleArgs(['jobs', env.queue], cli));
    expect(jobs).toMatch(new RegExp(`${job.id}\\s+redrive-batch\\s+${env.queue}\\s+cancelled\\s+${result.done}\\s+0`));
    // The lease is free again: the job is over.
    expect(await env.store.getLease(jobLeaseName(job.id))).toBeNull();
  });

  it('one job never runs twice at once: a second run and resume are refused while the first heartbeats', async () => {
    const env = await appEnv();
    await sendMessages(env.client, env.dlq.url, bodies(40));
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'cli:runner', count: 40, ratePerSecond: 20, concurrency: 2 });
    const first = runRedriveJob(env.deps, job.id, { holder: 'replica-a:run-1' });
    await waitFor(async () => (await env.store.getJob(job.id))?.status === 'running', { timeoutMs: 10_000, description: 'running' });
    await expect(runRedriveJob(env.deps, job.id, { holder: 'replica-b:run-1' })).rejects.toMatchObject({ code: 'JOB_NOT_RESUMABLE', message: expect.stringContaining('is running in another process (last heartbeat') });
    await expect(env.router.handleArgs(['resume', env.queue, job.id], cli)).rejects.toMatchObject({ code: 'JOB_NOT_RESUMABLE' });
    const result = await first;
    expect(result.job.status).toBe('succeeded');
    const copies = await drainBodies(env, env.source.url);
    expect(copies).toHaveLength(40);
    expect(new Set(copies).size).toBe(40);
  });

  it('a run whose heartbeat lapsed is taken over by another replica; it stops at its next heartbeat and nothing is replayed twice', async () => {
    const env = await appEnv();
    await sendMessages(env.client, env.dlq.url, bodies(60));
    const clock = fixedClock(new Date());
    const deps = { ...env.deps, clock };
    const job = await createRedriveJob(deps, env.queue, { actor: 'cli:runner', count: 60, ratePerSecond: 10, concurrency: 2 });
    const slow = runRedriveJob(deps, job.id, { holder: 'replica-a:run-1' });
    await waitFor(async () => ((await env.store.getJob(job.id))?.progress.done ?? 0) >= 10, { timeoutMs: 20_000, description: 'a first batch done' });
    // Replica A's heartbeats stop counting (its clock seen from the store jumps past the lease).
    clock.advance(jobLeaseTtlMs(job) + 1);
    const taker = runRedriveJob(deps, job.id, { holder: 'replica-b:run-1' });
    const handedOver = await slow;
    expect(handedOver.stopped).toBe('handed-over');
    const finished = await taker;
    expect(finished.job.status).toBe('succeeded');
    expect(finished.done).toBe(60);
    const copies = await drainBodies(env, env.source.url);
    expect(copies).toHaveLength(60);
    expect(new Set(copies).size).toBe(60);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const audit = await env.store.searchAudit({ ref: job.id, limit: 50 });
    expect(audit.map((a) => a.action)).toContain('redrive-batch:handed-over');
  });
  it('`jobs` shows a job whose runner is gone, and cancelling it cancels it at once (nobody is left to stop it)', async () => {
    const env = await appEnv();
    const clock = fixedClock(new Date());
    const deps = { ...env.deps, clock };
    const job = await createRedriveJob(deps, env.queue, { actor: 'cli:runner', count: 10 });
    await env.store.updateJob(job.id, { status: 'running' });
    await env.store.acquireLease(jobLeaseName(job.id), 'replica-dead:run-1', clock.now(), jobLeaseTtlMs(job));
    const router = createDlqCommandRouter(createQueueOperations(deps));
    // Still heartbeating as far as anyone knows: told to stop.
    expect(renderReplyForTerminal(await router.handleArgs(['cancel', job.id], cli))).toContain('Cancel requested');
    await env.store.updateJob(job.id, { status: 'running', error: null });
    expect(renderReplyForTerminal(await router.handleArgs(['jobs', env.queue], cli))).not.toContain('runner is gone');
    clock.advance(jobLeaseTtlMs(job));
    // `jobs` says the runner is gone and how the job goes on (a terminal job: resume).
    const listed = renderReplyForTerminal(await router.handleArgs(['jobs', env.queue], cli));
    expect(listed).toContain('its runner is gone (no heartbeat since 1m ago)');
    expect(listed).toContain(`resume ${env.queue} ${job.id}`);
    const answer = renderReplyForTerminal(await router.handleArgs(['cancel', job.id], cli));
    expect(answer).toContain(`Cancelled redrive-batch job ${job.id}`);
    expect((await env.store.getJob(job.id))?.status).toBe('cancelled');
  });
  it('a taken-over job that fails before it can run (its target refused) is marked failed, so it is not taken over again at every poll', async () => {
    const env = await appEnv();
    const job = await createRedriveJob(env.deps, env.queue, { actor: 'U_BOB', count: 5 });
    await env.store.updateJob(job.id, { status: 'running' });
    const broken = Object.assign(Object.create(env.backend) as typeof env.backend, { replayTarget: async () => { throw new Error('target unavailable'); } });
    const deps = { ...env.deps, registry: { ...env.deps.registry, get: () => broken } };
    await expect(runRedriveJob(deps, job.id, { holder: 'replica-b:run-1' })).rejects.toThrow('target unavailable');
    expect(await env.store.getJob(job.id)).toMatchObject({ status: 'failed', error: 'target unavailable' });
    expect(await env.store.getLease(jobLeaseName(job.id))).toBeNull();
  });
});

describe.skipIf(!services)('an abandoned job and two replicas on PostgreSQL (ElasticMQ)', () => {
  const schema = uniqueName('redrive_lease', '_');
  let admin: pg.Pool;
  let a: PostgresStore;
  let b: PostgresStore;
  let env: AppEnv | null = null;
  beforeAll(async () => {
    const url = requireServices(services).postgres.url;
    admin = new pg.Pool({ connectionString: url, max: 1 });
    a = PostgresStore.connect(url, { schema, maxConnections: 4 });
    await a.migrate();
    b = PostgresStore.connect(url, { schema, maxConnections: 4 });
  });
  afterAll(async () => {
    await env?.cleanup();
    await a?.close();
    await b?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('both take it over at the same moment: exactly one runs it, the other is refused, every message once', async () => {
    env = await makeAppEnv({ store: a });
    await sendMessages(env.client, env.dlq.url, bodies(30));
    const clock = fixedClock(new Date());
    const job = await createRedriveJob({ ...env.deps, clock }, env.queue, { actor: 'U_BOB', count: 30, ratePerSecond: 50, concurrency: 2 });
    // Left running by a replica that died 90 s ago.
    await a.updateJob(job.id, { status: 'running' });
    await a.acquireLease(jobLeaseName(job.id), 'replica-dead:run-1', clock.now(), jobLeaseTtlMs(job));
    clock.advance(jobLeaseTtlMs(job));
    const runs = await Promise.allSettled([
      runRedriveJob({ ...env.deps, store: a, clock }, job.id, { holder: 'replica-a:run-1' }),
      runRedriveJob({ ...env.deps, store: b, clock }, job.id, { holder: 'replica-b:run-1' }),
    ]);
    const ran = runs.filter((r) => r.status === 'fulfilled');
    const refused = runs.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ran).toHaveLength(1);
    expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(['JOB_NOT_RESUMABLE']);
    expect((await b.getJob(job.id))?.status).toBe('succeeded');
    const copies = await drainBodies(env, env.source.url);
    expect(copies).toHaveLength(30);
    expect(new Set(copies).size).toBe(30);
  });
});
