// Commands about no single queue (`status`/`jobs` of all, `report`, `audit`) show only the queues a
// user may view: the scope from the per-queue viewer grants (user groups asked only when needed), the
// use cases filtering by it, the replies saying how much was left out, and `/dlq audit @name`
// resolved through Slack's users.list (paged, cached, a failure remembered briefly and logged).

import { describe, expect, it } from 'vitest';
import { createSlackUsers, type SlackMember, type UsersListClient } from '../../../src/adapters/outbound/slack-directory/slack-users.ts';
import { createAccessControl } from '../../../src/app/access/access-control.ts';
import { ALL_QUEUES, type QueueScope, type QueueVisibility } from '../../../src/app/shared/queue-visibility.ts';
import { withHiddenNote } from '../../../src/presentation/slack/replies/hidden-note.ts';
import { hiddenQueuesNote } from '../../../src/core/auth/hidden-queues-note.ts';
import { createAuditOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { auditFailures } from '../../../src/app/commands/audit.middleware.ts';
import { listKnownQueues } from '../../../src/app/commands/known-queues.middleware.ts';
import { throughMiddlewares } from '../../../src/app/commands/command-middleware.ts';
import type { Reply } from '../../../src/presentation/slack/block-kit/blocks.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import { readAppHome } from '../../../src/app/incidents/app-home.use-case.ts';
import { isRedriveError } from '../../../src/errors.ts';
import type { QueueBackend } from '../../../src/ports/queue-backend.port.ts';
import { renderAuditSearch } from '../../../src/presentation/slack/replies/audit-replies.ts';
import { searchAuditLog } from '../../../src/app/access/audit-search.use-case.ts';
import { listJobViews } from '../../../src/app/jobs/jobs.use-case.ts';
import type { QueueDeps } from '../../../src/app/shared/queue-deps.ts';
import { buildReport } from '../../../src/app/report/report.use-case.ts';
import { planUserSearch, userNameOf } from '../../../src/core/audit/audit-ref.ts';
import { mayView, viewsEverywhere, type AccessRoles } from '../../../src/core/auth/access-policy.ts';
import type { AuditQuery, AuditRecord, AuditRecordInput, Job } from '../../../src/core/model.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import type { Store } from '../../../src/ports/store.port.ts';
import type { UserDirectory } from '../../../src/ports/user-directory.port.ts';

const T0 = new Date('2026-03-02T12:00:00.000Z');

const roles: AccessRoles = {
  global: { admins: ['U_ADMIN'], operators: [], viewers: 'everyone', userGroups: { S_FIN: 'viewer' } },
  queues: { payments: { viewers: ['U_PAY'], userGroups: { S_FIN: 'viewer' } }, ledger: { viewers: ['U_PAY'], userGroups: {} }, orders: { operators: ['U_OPS'] } },
};

describe('who may view which queue (pure)', () => {
  it.each([
    ['U_CAROL', [], 'orders', true],
    ['U_CAROL', [], 'payments', false],
    ['U_CAROL', ['S_FIN'], 'payments', true],
    ['U_CAROL', ['S_FIN'], 'ledger', false],
    ['U_PAY', [], 'ledger', true],
    ['U_CAROL', [], null, true],
    ['U_CAROL', [], 'not-configured', true],
  ] as const)('%s (groups %j) on %s → %s', (user, groups, queue, expected) => {
    expect(mayView(user, groups, queue, roles)).toBe(expected);
  });

  it('views everywhere only when every queue with its own grants lets the user view', () => {
    expect(viewsEverywhere('U_PAY', [], roles)).toBe(true);
    expect(viewsEverywhere('U_CAROL', ['S_FIN'], roles)).toBe(false);
    expect(viewsEverywhere('U_CAROL', [], { ...roles, queues: {} })).toBe(true);
  });
});

const record = (id: number, queue: string | null, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id, at: new Date(T0.getTime() + id * 1000), action: 'replay', queue, messageId: `m-${id}`, traceId: null, partition: null, offset: null,
  actor: 'U_ALICE', result: 'success', error: null, incidentId: null, jobId: null, details: {}, ...overrides,
});

const job = (id: string, queue: string): Job => ({
  id, kind: 'redrive-batch', queue, status: 'succeeded', progress: { done: 1, failed: 0, total: 1 }, params: {}, checkpoint: {},
  createdBy: 'U_OPS', createdAt: T0, updatedAt: T0, error: null,
} as unknown as Job);

const setup = (stored: AuditRecord[] = [], jobs: Job[] = []) => {
  const written: AuditRecordInput[] = [];
  const queries: AuditQuery[] = [];
  const store = {
    appendAudit: async (input: AuditRecordInput) => (written.push(input), { ...input, id: 1000 + written.length, jobId: input.jobId ?? null, details: input.details ?? {} }),
    findOpenIncident: async () => null,
    getIncident: async () => null,
    getJob: async () => null,
    searchAudit: async (query: AuditQuery) => {
      queries.push(query);
      return stored
        .filter((r) => (query.actor === undefined || r.actor === query.actor) && (query.queue === undefined || r.queue === query.queue) && (query.since === undefined || r.at >= query.since))
        .slice(0, query.limit ?? 20);
    },
    listJobs: async () => jobs,
    listDepthSamples: async () => [],
    listIndexedMessages: async () => [],
    listReplays: async () => [],
    listResolutions: async () => [],
    listIncidents: async () => [],
  } as unknown as Store;
  const backends = ['orders', 'payments', 'ledger'].map((name) => ({ name, kind: 'sqs' }));
  const registry = { list: () => backends, get: (name: string) => backends.find((b) => b.name === name), close: async () => undefined };
  const deps = { registry, store, clock: fixedClock(T0), metrics: noopMetrics } as unknown as QueueDeps;
  const asked: string[] = [];
  const access = createAccessControl({
    roles,
    userGroups: { groupsOf: async (user) => (asked.push(user), user === 'U_FINN' ? ['S_FIN'] : []) },
    audit: deps,
  });
  return { deps, access, written, queries, asked };
};

describe('the scope of a user', () => {
  it('is everything for the terminal and for a user who views every queue by user id, without asking Slack', async () => {
    const { access, asked } = setup();
    expect(await access.scopeFor('cli:ops')).toBe(ALL_QUEUES);
    expect(await access.scopeFor('U_PAY')).toBe(ALL_QUEUES);
    expect(asked).toEqual([]);
  });

  it('hides the queues whose viewers leave the user out, user groups counted', async () => {
    const { access, asked } = setup();
    const carol = await access.scopeFor('U_CAROL');
    expect(carol.restricted).toBe(true);
    expect(['orders', 'payments', 'ledger', null].map((q) => carol.mayView(q))).toEqual([true, false, false, true]);
    const finn = await access.scopeFor('U_FINN');
    expect(['orders', 'payments', 'ledger'].map((q) => finn.mayView(q))).toEqual([true, true, false]);
    expect(asked).toEqual(['U_CAROL', 'U_FINN']);
  });
});

describe('filtered listings', () => {
  const onlyOrders: QueueScope = { restricted: true, mayView: (q) => q === null || q === 'orders' };

  it('audit keeps the records of visible queues (and of none), counts the others, and reads deeper to fill the page', async () => {
    const stored = [record(1, 'orders'), record(2, 'payments'), record(3, null, { action: 'status' }), record(4, 'ledger'), record(5, 'orders')];
    const { deps, queries, written } = setup(stored);
    const result = await searchAuditLog(deps, { ref: null, actor: 'U_CAROL', scope: onlyOrders });
    expect(result.records.map((r) => r.id)).toEqual([5, 3, 1]);
    expect(result.hidden).toBe(2);
    expect(queries[0]?.limit).toBe(500);
    expect(written.at(-1)).toMatchObject({ action: 'audit', result: 'success', details: { ref: null, found: 3, hidden: 2 } });
    const shown = renderAuditSearch(result);
    expect(JSON.stringify(shown.blocks)).toContain('2 records left out: about queues you have no viewer role on.');
    expect(JSON.stringify(shown.blocks)).not.toMatch(/payments|ledger/);
    // Unrestricted: the usual page, nothing said.
    const all = await searchAuditLog(deps, { ref: null, actor: 'cli:ops' });
    expect(all.records).toHaveLength(5);
    expect(queries.at(-1)?.limit).toBe(20);
    expect(JSON.stringify(renderAuditSearch(all).blocks)).not.toContain('left out');
  });

  it('jobs of all queues leave out the hidden queues’ jobs; report leaves out their rows and audit records', async () => {
    const stored = [record(1, 'orders'), record(2, 'payments', { result: 'denied' }), record(3, null)];
    const { deps } = setup(stored, [job('j-1', 'orders'), job('j-2', 'payments'), job('j-3', 'ledger')]);
    expect((await listJobViews(deps, { queue: null, actor: 'U_CAROL', scope: onlyOrders })).map((v) => v.job.id)).toEqual(['j-1']);
    expect((await listJobViews(deps, { queue: null, actor: 'cli:ops' })).map((v) => v.job.id)).toEqual(['j-1', 'j-2', 'j-3']);
    const report = await buildReport(deps, { days: 7, actor: 'U_CAROL', scope: onlyOrders });
    expect(report.queues.map((q) => q.queue)).toEqual(['orders']);
    expect(report.audit).toMatchObject({ actions: 2, denied: 0 });
  });

  it('the report handler says how many queues were hidden, without naming them', async () => {
    const { deps, access } = setup();
    const ops = createAuditOperations(deps, { visibility: access });
    const reply = await ops.report?.({ op: 'report', days: 7 }, { actor: 'U_CAROL', channelId: 'C1', transport: 'slack' });
    const shown = JSON.stringify(reply?.blocks);
    expect(shown).toContain('2 queues hidden: you have no viewer role on them.');
    expect(shown).not.toMatch(/payments|ledger/);
    const admin = await ops.report?.({ op: 'report', days: 7 }, { actor: 'U_PAY', channelId: 'C1', transport: 'slack' });
    expect(JSON.stringify(admin?.blocks)).not.toContain('hidden');
  });

  it('notes: singular and plural, none when nothing is hidden, the terminal gets a last line', () => {
    expect(hiddenQueuesNote(0)).toBeNull();
    expect(hiddenQueuesNote(1)).toBe('1 queue hidden: you have no viewer role on it.');
    const base = { text: 'Jobs', blocks: [], private: false, terminal: 'table' };
    expect(withHiddenNote(base, null)).toBe(base);
    expect(withHiddenNote(base, hiddenQueuesNote(2))).toMatchObject({ text: 'Jobs (2 queues hidden: you have no viewer role on them.)', terminal: 'table\n2 queues hidden: you have no viewer role on them.' });
  });
});

describe('an unknown queue name', () => {
  const registry = createQueueRegistry(['orders', 'payments', 'ledger'].map((name) => ({ name, kind: 'sqs', close: async () => undefined }) as unknown as QueueBackend));
  const ctx = (actor: string) => ({ actor, channelId: 'C1', transport: actor.startsWith('cli:') ? ('cli' as const) : ('slack' as const) });
  const failing = (deps: QueueDeps, visibility?: QueueVisibility) =>
    ({ peek: throughMiddlewares<Reply>([listKnownQueues({ registry, ...(visibility ? { visibility } : {}) }), auditFailures(deps)], async (command) => (registry.get((command as { queue: string }).queue), { text: '', blocks: [], private: true })) });
  const messageOf = async (run: Promise<unknown>): Promise<string> => run.then(() => '', (error: unknown) => (isRedriveError(error) ? `${error.code}: ${error.userMessage()}` : String(error)));

  it('the registry names no other queue', () => {
    expect(() => registry.get('typo')).toThrow(/^No queue named "typo" is configured\.$/);
  });

  it('lists only the queues the user may view; the audit record names none; the terminal and who views all get every queue', async () => {
    const { deps, access, written } = setup();
    const peek = failing(deps, access).peek;
    const carol = await messageOf(peek?.({ op: 'peek', queue: 'typo', count: 5 }, ctx('U_CAROL')) ?? Promise.resolve());
    expect(carol).toContain('QUEUE_UNKNOWN: No queue named "typo" is configured (known: orders).');
    expect(carol).not.toMatch(/payments|ledger/);
    expect(written.at(-1)).toMatchObject({ action: 'peek', queue: 'typo', actor: 'U_CAROL', result: 'failure', error: 'QUEUE_UNKNOWN: No queue named "typo" is configured.' });
    expect(await messageOf(peek?.({ op: 'peek', queue: 'typo', count: 5 }, ctx('U_FINN')) ?? Promise.resolve())).toContain('(known: orders, payments).');
    expect(await messageOf(peek?.({ op: 'peek', queue: 'typo', count: 5 }, ctx('cli:ops')) ?? Promise.resolve())).toContain('(known: orders, payments, ledger).');
    expect(await messageOf(failing(deps).peek?.({ op: 'peek', queue: 'typo', count: 5 }, ctx('cli:ops')) ?? Promise.resolve())).toContain('(known: orders, payments, ledger).');
    for (const record of written) expect(JSON.stringify(record)).not.toMatch(/payments|ledger|known/);
  });

  it('other errors pass through untouched', async () => {
    const { access } = setup();
    const boom = new Error('boom');
    const ops = { peek: throughMiddlewares<Reply>([listKnownQueues({ registry, visibility: access })], async () => { throw boom; }) };
    await expect(ops.peek?.({ op: 'peek', queue: 'orders', count: 1 }, ctx('U_CAROL'))).rejects.toBe(boom);
  });
});

describe('App Home for a user who may not view every queue', () => {
  it('reads and shows only the queues the user may view, and only the actions about them, with the count hidden', async () => {
    const stored = [record(1, 'orders'), record(2, 'payments'), record(3, 'ledger', { action: 'resolve' }), record(4, null, { action: 'cancel' })];
    const { deps, access } = setup(stored);
    const carol = await readAppHome({ queue: deps, chat: null }, await access.scopeFor('U_CAROL'));
    expect(carol.queues.map((q) => q.name)).toEqual(['orders']);
    expect(carol.recent.map((r) => r.id)).toEqual([1, 4]);
    expect(carol.hiddenNote).toBe('2 queues hidden: you have no viewer role on them.');
    const all = await readAppHome({ queue: deps, chat: null });
    expect(all.queues.map((q) => q.name)).toEqual(['orders', 'payments', 'ledger']);
    expect(all.recent).toHaveLength(4);
    expect(all.hiddenNote).toBeNull();
  });
});

describe('/dlq audit @name', () => {
  it.each([
    ['@alice', 'alice'],
    [' @Alice Adams ', 'Alice Adams'],
    ['@', null],
    ['alice', null],
    ['<@U123>', null],
    [null, null],
  ])('%j → %j', (ref, name) => expect(userNameOf(ref)).toBe(name));

  it('searches every member the name matches', () => {
    expect(planUserSearch(['U1', 'U2'])).toEqual({ kind: 'user', queries: [{ actor: 'U1', limit: 20 }, { actor: 'U2', limit: 20 }] });
  });

  const directory = (answer: Awaited<ReturnType<UserDirectory['findByName']>>): UserDirectory & { names: string[] } => {
    const names: string[] = [];
    return { names, findByName: async (name) => (names.push(name), answer) };
  };

  it('a resolved name lists that member’s records; an unknown name or no directory gets a clear answer', async () => {
    const { deps } = setup([record(1, 'orders', { actor: 'U_ALICE' }), record(2, 'orders', { actor: 'U_BOB' })]);
    const found = directory({ kind: 'found', userIds: ['U_ALICE'] });
    const result = await searchAuditLog(deps, { ref: '@Alice', actor: 'U_CAROL', directory: found });
    expect(found.names).toEqual(['Alice']);
    expect(result).toMatchObject({ kind: 'user', records: [expect.objectContaining({ id: 1 })] });
    const unknown = renderAuditSearch(await searchAuditLog(deps, { ref: '@nobody', actor: 'U_CAROL', directory: directory({ kind: 'not-found' }) }));
    expect(unknown.private).toBe(true);
    expect(unknown.text).toContain('No Slack member has the name, display name or real name "@nobody".');
    expect(unknown.text).toContain('member id');
    const terminal = renderAuditSearch(await searchAuditLog(deps, { ref: '@alice', actor: 'cli:ops', directory: null }));
    expect(terminal.terminal).toContain('Could not look up "@alice" in Slack: no Slack workspace is connected here.');
  });
});

describe('Slack users (users.list)', () => {
  const members: SlackMember[] = [
    { id: 'U_ALICE', name: 'alice', real_name: 'Alice Adams', profile: { display_name: 'Ali', real_name: 'Alice Adams' } },
    { id: 'U_BOB', name: 'bob', real_name: 'Bob Brown', profile: { display_name: '', real_name: 'Bob Brown' } },
    { id: 'U_AL2', name: 'al2', profile: { display_name: 'ali' } },
  ];
  const client = (pageSize = 2) => {
    const calls: (string | undefined)[] = [];
    let failures = 0;
    const c: UsersListClient = {
      users: {
        list: async ({ cursor }) => {
          calls.push(cursor);
          if (failures > 0) {
            failures -= 1;
            throw Object.assign(new Error('An API error occurred: missing_scope'), { data: { ok: false, error: 'missing_scope' } });
          }
          const start = Number(cursor ?? 0);
          const next = start + pageSize < members.length ? String(start + pageSize) : '';
          return { ok: true, members: members.slice(start, start + pageSize), response_metadata: { next_cursor: next } };
        },
      },
    };
    return { client: c, calls, failNext: () => (failures = 1) };
  };
  const recorder = () => {
    const warnings: Record<string, unknown>[] = [];
    const errors: [string, string][] = [];
    return { warnings, errors, logger: { warn: (f: Record<string, unknown>) => warnings.push(f) }, metrics: { slackApiError: (m: string, c: string) => errors.push([m, c]) } };
  };

  it('reads every page once per TTL and matches name, display name or real name, ignoring case', async () => {
    const clock = fixedClock(T0);
    const slack = client();
    const r = recorder();
    const users = createSlackUsers({ client: slack.client, clock, metrics: r.metrics, logger: r.logger, ttlMs: 60_000 });
    const [byName, byReal] = await Promise.all([users.findByName('ALICE'), users.findByName('alice adams')]);
    expect(byName).toEqual({ kind: 'found', userIds: ['U_ALICE'] });
    expect(byReal).toEqual({ kind: 'found', userIds: ['U_ALICE'] });
    expect(await users.findByName('Ali')).toEqual({ kind: 'found', userIds: ['U_ALICE', 'U_AL2'] });
    expect(await users.findByName('@bob')).toEqual({ kind: 'found', userIds: ['U_BOB'] });
    expect(await users.findByName('carol')).toEqual({ kind: 'not-found' });
    expect(slack.calls).toEqual([undefined, '2']);
    clock.advance(61_000);
    await users.findByName('bob');
    expect(slack.calls).toHaveLength(4);
  });

  it('a Slack error is unavailable for a while, logged and counted, then Slack is asked again', async () => {
    const clock = fixedClock(T0);
    const slack = client(10);
    const r = recorder();
    const users = createSlackUsers({ client: slack.client, clock, metrics: r.metrics, logger: r.logger, failureTtlMs: 30_000 });
    slack.failNext();
    expect(await users.findByName('alice')).toEqual({ kind: 'unavailable', reason: 'Slack answered missing_scope' });
    expect(await users.findByName('alice')).toMatchObject({ kind: 'unavailable' });
    expect(r.errors).toEqual([['users.list', 'missing_scope']]);
    expect(r.warnings[0]).toMatchObject({ method: 'users.list', code: 'missing_scope' });
    clock.advance(30_001);
    expect(await users.findByName('alice')).toEqual({ kind: 'found', userIds: ['U_ALICE'] });
  });
});
