// Access control around the pure policy: the Slack user-group directory (cached for a TTL, one call
// per group however many clicks, a Slack error falls back to user-id roles and is logged and counted),
// the terminal trusted as admin, denials audited with the ids of the attempt, and the router hook
// deciding cancel by the job's queue.

import { describe, expect, it } from 'vitest';
import { createSlackUserGroups, type UserGroupsClient } from '../../../src/adapters/outbound/slack-directory/slack-user-groups.ts';
import { createAccessControl } from '../../../src/app/access/access-control.ts';
import { renderDenied } from '../../../src/presentation/slack/replies/access-replies.ts';
import type { AccessRoles } from '../../../src/core/auth/access-policy.ts';
import type { AuditRecord, AuditRecordInput } from '../../../src/core/model.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import type { Store } from '../../../src/ports/store.port.ts';

const T0 = new Date('2026-03-02T12:00:00.000Z');

const fakeClient = (members: Record<string, string[]>) => {
  const calls: string[] = [];
  let failures = 0;
  const client: UserGroupsClient = {
    usergroups: {
      users: {
        list: async ({ usergroup }) => {
          calls.push(usergroup);
          if (failures > 0) {
            failures -= 1;
            throw Object.assign(new Error('An API error occurred: missing_scope'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'missing_scope' } });
          }
          return { ok: true, users: members[usergroup] ?? [] };
        },
      },
    },
  };
  return { client, calls, failNext: (n = 1) => (failures = n) };
};

const recorder = () => {
  const warnings: Record<string, unknown>[] = [];
  const errors: [string, string][] = [];
  return {
    warnings,
    errors,
    logger: { warn: (fields: Record<string, unknown>) => warnings.push(fields), info: () => undefined },
    metrics: { ...noopMetrics, slackApiError: (method: string, code: string) => errors.push([method, code]) },
  };
};

describe('Slack user groups', () => {
  it('lists each group once per TTL, concurrent checks included', async () => {
    const clock = fixedClock(T0);
    const slack = fakeClient({ S_ONCALL: ['U_ALICE', 'U_BOB'], S_PLATFORM: ['U_CAROL'] });
    const r = recorder();
    const groups = createSlackUserGroups({ client: slack.client, clock, metrics: r.metrics, logger: r.logger, ttlMs: 60_000 });
    const [alice, carol] = await Promise.all([groups.groupsOf('U_ALICE', ['S_ONCALL', 'S_PLATFORM']), groups.groupsOf('U_CAROL', ['S_ONCALL', 'S_PLATFORM'])]);
    expect(alice).toEqual(['S_ONCALL']);
    expect(carol).toEqual(['S_PLATFORM']);
    expect(slack.calls.sort()).toEqual(['S_ONCALL', 'S_PLATFORM']);
    clock.advance(59_000);
    expect(await groups.groupsOf('U_BOB', ['S_ONCALL'])).toEqual(['S_ONCALL']);
    expect(slack.calls).toHaveLength(2);
    clock.advance(2_000);
    await groups.groupsOf('U_BOB', ['S_ONCALL']);
    expect(slack.calls).toHaveLength(3);
  });

  it('a Slack error grants nothing through that group for a while, is logged and counted, then Slack is asked again', async () => {
    const clock = fixedClock(T0);
    const slack = fakeClient({ S_ONCALL: ['U_ALICE'] });
    const r = recorder();
    const groups = createSlackUserGroups({ client: slack.client, clock, metrics: r.metrics, logger: r.logger, failureTtlMs: 30_000 });
    slack.failNext();
    expect(await groups.groupsOf('U_ALICE', ['S_ONCALL'])).toEqual([]);
    expect(r.errors).toEqual([['usergroups.users.list', 'missing_scope']]);
    expect(r.warnings[0]).toMatchObject({ method: 'usergroups.users.list', usergroup: 'S_ONCALL', code: 'missing_scope' });
    expect(await groups.groupsOf('U_ALICE', ['S_ONCALL'])).toEqual([]);
    expect(slack.calls).toHaveLength(1);
    clock.advance(30_001);
    expect(await groups.groupsOf('U_ALICE', ['S_ONCALL'])).toEqual(['S_ONCALL']);
  });
});

describe('access control', () => {
  const roles: AccessRoles = {
    global: { admins: [], operators: [], viewers: 'everyone', userGroups: { S_ONCALL: 'operator' } },
    queues: { payments: { operators: ['U_PAY'] } },
  };
  const setup = () => {
    const audit: AuditRecord[] = [];
    const store = {
      appendAudit: async (input: AuditRecordInput) => {
        const stored = { ...input, id: audit.length + 1, jobId: input.jobId ?? null, details: input.details ?? {} };
        audit.push(stored);
        return stored;
      },
      findOpenIncident: async () => null,
      getIncident: async (id: string) => (id === 'inc-1' ? { id, queue: 'payments' } : null),
      getJob: async (id: string) => (id === 'job-1' ? { id, queue: 'payments' } : null),
    } as unknown as Store;
    const asked: string[] = [];
    const access = createAccessControl({
      roles,
      userGroups: { groupsOf: async (user) => (asked.push(user), user === 'U_ALICE' ? ['S_ONCALL'] : []) },
      audit: { store, clock: fixedClock(T0), metrics: noopMetrics },
    });
    return { access, audit, asked };
  };

  it('trusts the terminal as admin without asking Slack or writing a denial', async () => {
    const { access, audit, asked } = setup();
    expect(await access.check({ actor: 'cli:ops', action: 'redrive-all', queue: 'orders' })).toMatchObject({ ok: true, role: 'admin' });
    expect(await access.authorize({ op: 'alarms', queue: 'orders' }, { actor: 'cli:ops', channelId: null, transport: 'cli' })).toBeNull();
    expect(audit).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('asks for user groups only when the user-id grants fall short', async () => {
    const { access, asked } = setup();
    expect((await access.check({ actor: 'U_CAROL', action: 'peek', queue: 'orders' })).ok).toBe(true);
    expect(asked).toEqual([]);
    expect((await access.check({ actor: 'U_ALICE', action: 'replay', queue: 'orders' })).ok).toBe(true);
    expect(asked).toEqual(['U_ALICE']);
  });

  it('audits a denial with what was attempted, and answers with the explanation', async () => {
    const { access, audit } = setup();
    const denial = await access.authorize({ op: 'resolve', queue: 'orders', id: 'msg-9', reason: null }, { actor: 'U_CAROL', channelId: 'C1', transport: 'slack' });
    const denied = denial && renderDenied(denial);
    expect(denied?.private).toBe(true);
    expect(denied?.text).toContain('resolve on orders needs the operator role');
    expect(audit).toEqual([
      expect.objectContaining({ action: 'resolve', queue: 'orders', messageId: 'msg-9', actor: 'U_CAROL', result: 'denied', details: { needed: 'operator', role: 'viewer' } }),
    ]);
  });

  it('judges cancel by the job’s queue and Acknowledge by the incident’s queue (per-queue roles apply)', async () => {
    const { access, audit } = setup();
    expect(await access.authorize({ op: 'cancel', jobId: 'job-1' }, { actor: 'U_PAY', channelId: null, transport: 'slack' })).toBeNull();
    expect(await access.authorize({ op: 'cancel', jobId: 'job-1' }, { actor: 'U_ALICE', channelId: null, transport: 'slack' })).toBeNull(); // groups inherited
    expect((await access.check({ actor: 'U_PAY', action: 'acknowledge', queue: null, incidentId: 'inc-1' })).ok).toBe(true);
    const refused = await access.check({ actor: 'U_CAROL', action: 'acknowledge', queue: null, incidentId: 'inc-1' });
    expect(refused.ok).toBe(false);
    expect(audit.at(-1)).toMatchObject({ action: 'acknowledge', queue: 'payments', incidentId: 'inc-1', result: 'denied' });
  });
});
