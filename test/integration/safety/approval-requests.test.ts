// Approval requests on a real SQLite store (issue 14): the first decision wins when two people
// approve at once or an approval races the expiry sweep (the job starts at most once), a request
// made before a restart is decided after it, an admin approves alone only where the queue allows,
// and pre-flight failing at approval time leaves the request open.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createApprovalRequests, type ApprovalRequests } from '../../../src/app/jobs/safety/approval-requests.ts';
import type { PreflightChecks, PreflightDeps } from '../../../src/app/jobs/safety/preflight.use-case.ts';
import type { RedriveCommand } from '../../../src/app/jobs/safety/approval-messages.ts';
import { slackApprovalMessages } from '../../../src/presentation/slack/replies/safety-replies.ts';
import type { Reply } from '../../../src/presentation/slack/block-kit/blocks.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import type { ApprovalPolicy } from '../../../src/core/safety/approval-decision.ts';
import type { CommandContext } from '../../../src/app/shared/command-context.ts';
import type { QueueBackend } from '../../../src/ports/queue-backend.port.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';

const QUEUE = 'orders-dlq';
const MINUTE = 60_000;
const backend = { name: QUEUE, kind: 'sqs', fifo: false, dlq: { status: async () => ({ depth: 40 }) } } as unknown as QueueBackend;
const command: RedriveCommand = { op: 'redrive-batch', queue: QUEUE, count: 40, rate: null };
const slack = (actor: string): CommandContext => ({ actor, channelId: 'C_ALERTS', transport: 'slack' });

describe('approval requests on a SQLite store', () => {
  let dir: string;
  let store: SqliteStore;
  const clock = fixedClock(new Date('2026-12-04T12:00:00Z'));
  let healthy = true;
  let policy: ApprovalPolicy;
  const starts: { command: RedriveCommand; context: CommandContext }[] = [];
  const start = async (c: RedriveCommand, context: CommandContext) => {
    starts.push({ command: c, context });
    return { text: 'started', blocks: [], private: true };
  };

  const open = (s: SqliteStore, admins: string[] = []): ApprovalRequests<Reply> => {
    const queue = { registry: createQueueRegistry([backend]), store: s, clock, metrics: noopMetrics };
    const checks: PreflightChecks = { alarms: [], http: [{ url: 'http://health', timeoutMs: 100 }], consumerLag: null };
    const preflight: PreflightDeps = {
      audit: queue,
      checksFor: () => checks,
      alarmsFor: () => null,
      http: { check: async () => (healthy ? { status: 200, elapsedMs: 1 } : { status: 503, elapsedMs: 1 }) },
      lagFor: () => null,
    };
    return createApprovalRequests({ queue, chat: null, messages: slackApprovalMessages, preflight, policyFor: () => policy, isAdmin: async (actor) => admins.includes(actor) });
  };
  const requestIdOf = async (s: SqliteStore): Promise<string> => (await s.listJobs({ status: ['pending'], limit: 1 }))[0]?.id ?? '';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redrive-approval-'));
    store = SqliteStore.open(join(dir, 'redrive.db'), { clock });
    await store.migrate();
    healthy = true;
    policy = { above: 10, adminMayApproveAlone: false, expiresAfterMs: 30 * MINUTE };
    starts.length = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two approvals at once start the job once; the other is told it was decided', async () => {
    const approvals = open(store);
    await approvals.request({ command, context: slack('U_ALICE'), plannedCount: 40, policy });
    const id = await requestIdOf(store);
    const [a, b] = await Promise.all([
      approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_BOB'), start),
      approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_CAROL'), start),
    ]);
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({ command, context: { actor: 'U_ALICE', channelId: 'C_ALERTS' } });
    expect([a.text, b.text].sort()).toEqual(['This request was already decided.', 'started'].sort());
    expect(await store.getJob(id)).toMatchObject({ status: 'succeeded', checkpoint: { outcome: 'approved' } });
  });

  it('an approval racing the expiry sweep past the deadline never starts the job', async () => {
    const approvals = open(store);
    await approvals.request({ command, context: slack('U_ALICE'), plannedCount: 40, policy });
    const id = await requestIdOf(store);
    clock.advance(30 * MINUTE);
    const [swept, clicked] = await Promise.all([approvals.expireDue(), approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_BOB'), start)]);
    expect(starts).toEqual([]);
    expect(clicked.text).toMatch(/expired/);
    expect(swept.length).toBeLessThanOrEqual(1);
    expect(await store.getJob(id)).toMatchObject({ status: 'cancelled', error: 'approval expired' });
    const expiries = await store.searchAudit({ ref: id, action: 'approval:expire', limit: 5 });
    expect(expiries).toHaveLength(1);
  });

  it('a request made before a restart is approved after it, by a new instance on the same store', async () => {
    await open(store).request({ command, context: slack('U_ALICE'), plannedCount: 40, policy });
    const id = await requestIdOf(store);
    await store.close();
    store = SqliteStore.open(join(dir, 'redrive.db'), { clock });
    await open(store).decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_BOB'), start);
    expect(starts).toHaveLength(1);
    const trail = (await store.searchAudit({ ref: id, limit: 10 })).map((r) => `${r.action}:${r.actor}`);
    expect(trail).toEqual(expect.arrayContaining(['approval:request:U_ALICE', 'approval:approve:U_BOB', 'preflight:U_BOB']));
  });

  it('the starter approves alone only where the queue allows it and they are admin; they may always withdraw', async () => {
    const approvals = open(store, ['U_ALICE']);
    await approvals.request({ command, context: slack('U_ALICE'), plannedCount: 40, policy });
    const id = await requestIdOf(store);
    expect((await approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_ALICE'), start)).text).toMatch(/cannot approve it/);
    policy = { ...policy, adminMayApproveAlone: true };
    expect((await open(store, []).decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_ALICE'), start)).text).toMatch(/cannot approve it/);
    await approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_ALICE'), start);
    expect(starts).toHaveLength(1);

    await approvals.request({ command, context: slack('U_ALICE'), plannedCount: 40, policy });
    const second = await requestIdOf(store);
    expect((await approvals.decide({ op: 'reject', queue: QUEUE, requestId: second }, slack('U_ALICE'), start)).text).toMatch(/Rejected/);
    expect(await store.getJob(second)).toMatchObject({ status: 'cancelled', error: 'rejected by U_ALICE' });
    expect((await approvals.decide({ op: 'approve', queue: QUEUE, requestId: second }, slack('U_BOB'), start)).text).toMatch(/already rejected/);
    expect(starts).toHaveLength(1);
  });

  it('pre-flight failing at approval blocks the start and leaves the request open until it passes', async () => {
    const approvals = open(store);
    await approvals.request({ command, context: slack('U_ALICE'), plannedCount: 40, policy });
    const id = await requestIdOf(store);
    healthy = false;
    const blocked = await approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_BOB'), start);
    expect(blocked.text).toContain('Pre-flight blocked');
    expect(blocked.text).toContain('answered HTTP 503');
    expect((await store.getJob(id))?.status).toBe('pending');
    healthy = true;
    await approvals.decide({ op: 'approve', queue: QUEUE, requestId: id }, slack('U_BOB'), start);
    expect(starts).toHaveLength(1);
  });

  it('an unknown request or one of another queue is not found', async () => {
    await expect(open(store).decide({ op: 'approve', queue: QUEUE, requestId: 'nope' }, slack('U_BOB'), start)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
