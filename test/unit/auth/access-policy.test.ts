// The access policy (SPEC "Security and audit"): every role × every action, per-queue overrides, user groups, and the
// explanation a denied user gets.

import { describe, expect, it } from 'vitest';
import { DLQ_OPS, type DlqOp } from '../../../src/core/command/parse-dlq-command.ts';
import { ACTION_ROLES, configuredUserGroups, decide, requiredRole, roleOf, type AccessRoles, type Role } from '../../../src/core/auth/access-policy.ts';

const roles: AccessRoles = {
  global: {
    admins: ['U_ADMIN'],
    operators: ['U_OPERATOR'],
    viewers: ['U_VIEWER'],
    userGroups: { S_ONCALL: 'operator', S_PLATFORM: 'admin', S_READERS: 'viewer' },
  },
  queues: {
    payments: { operators: ['U_PAYMENTS'], userGroups: { S_PAYMENTS: 'operator' } },
    open: { viewers: 'everyone' },
  },
};

/** The same without the queue everyone views: a stranger views no queue at all. */
const closed: AccessRoles = { ...roles, queues: { payments: roles.queues.payments ?? {} } };

const VIEWER_ACTIONS = ['status', 'peek', 'view', 'analyze', 'report', 'history', 'jobs', 'audit', 'help'];
const OPERATOR_ACTIONS = ['replay', 'resolve', 'reexecute', 're-execute', 'acknowledge', 'monitor', 'stop-monitor', 'cancel', 'approve', 'reject'];
const ADMIN_ACTIONS = ['redrive-all', 'redrive-batch', 'resolve-batch', 'resume', 'bulk-replay', 'alarms'];
const ALL_ACTIONS = [...VIEWER_ACTIONS, ...OPERATOR_ACTIONS, ...ADMIN_ACTIONS];
const needed = (action: string): Role => (VIEWER_ACTIONS.includes(action) ? 'viewer' : OPERATOR_ACTIONS.includes(action) ? 'operator' : 'admin');

const users: [string, Role | null][] = [
  ['U_ADMIN', 'admin'],
  ['U_OPERATOR', 'operator'],
  ['U_VIEWER', 'viewer'],
  ['U_STRANGER', null],
];
const allows = (role: Role | null, action: string): boolean =>
  role !== null && ['viewer', 'operator', 'admin'].indexOf(role) >= ['viewer', 'operator', 'admin'].indexOf(needed(action));

describe('access policy', () => {
  it('needs the SPEC §6 role for every action, and admin for anything it does not know', () => {
    for (const action of ALL_ACTIONS) expect(requiredRole(action), action).toBe(needed(action));
    expect(requiredRole('some-new-button')).toBe('admin');
    expect(Object.keys(ACTION_ROLES).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it('names a role for every /dlq subcommand', () => {
    for (const op of Object.keys(DLQ_OPS) as DlqOp[]) expect(Object.hasOwn(ACTION_ROLES, op), op).toBe(true);
  });

  describe.each(users)('%s (%s)', (user, role) => {
    it.each(ALL_ACTIONS)('%s', (action) => {
      const decision = decide(user, [], action, 'orders', roles);
      expect(decision.kind).toBe(allows(role, action) ? 'allowed' : 'denied');
      expect(decision.needed).toBe(needed(action));
      expect(decision.role).toBe(role);
    });
  });

  it('gives the highest role of user id and user groups', () => {
    expect(decide('U_VIEWER', ['S_ONCALL'], 'replay', 'orders', roles)).toMatchObject({ kind: 'allowed', role: 'operator', via: 'user group S_ONCALL' });
    expect(decide('U_STRANGER', ['S_PLATFORM', 'S_READERS'], 'alarms', 'orders', roles)).toMatchObject({ kind: 'allowed', role: 'admin' });
    expect(decide('U_STRANGER', ['S_READERS'], 'peek', 'orders', roles)).toMatchObject({ kind: 'allowed', role: 'viewer' });
    expect(decide('U_STRANGER', ['S_READERS'], 'resolve', 'orders', roles)).toMatchObject({ kind: 'denied', role: 'viewer', needed: 'operator' });
    expect(decide('U_ADMIN', ['S_READERS'], 'redrive-all', 'orders', roles)).toMatchObject({ kind: 'allowed', role: 'admin', via: 'user id' });
    expect(decide('U_STRANGER', ['S_UNMAPPED'], 'status', null, closed)).toMatchObject({ kind: 'denied', role: null });
  });

  it('lets a queue replace a grant and inherit the others', () => {
    // payments replaces operators and user groups: the global operator and on-call group lose it there.
    expect(decide('U_OPERATOR', [], 'replay', 'payments', roles)).toMatchObject({ kind: 'denied', role: null, configKey: 'queues[payments].roles.operators', groups: ['S_PAYMENTS'] });
    expect(decide('U_STRANGER', ['S_ONCALL'], 'replay', 'payments', roles).kind).toBe('denied');
    expect(decide('U_PAYMENTS', [], 'replay', 'payments', roles).kind).toBe('allowed');
    expect(decide('U_STRANGER', ['S_PAYMENTS'], 'resolve', 'payments', roles).kind).toBe('allowed');
    expect(decide('U_PAYMENTS', [], 'replay', 'orders', roles).kind).toBe('denied');
    // Inherited: admins and viewers.
    expect(decide('U_ADMIN', [], 'redrive-all', 'payments', roles).kind).toBe('allowed');
    expect(decide('U_VIEWER', [], 'peek', 'payments', roles).kind).toBe('allowed');
    // `everyone` views the open queue, nothing more.
    expect(decide('U_STRANGER', [], 'peek', 'open', roles).kind).toBe('allowed');
    expect(decide('U_STRANGER', [], 'peek', 'orders', roles).kind).toBe('denied');
    expect(decide('U_STRANGER', [], 'replay', 'open', roles)).toMatchObject({ kind: 'denied', role: 'viewer', configKey: 'roles.operators' });
  });

  it('explains a denial: the action, the queue, the role needed, the role held, whom to ask', () => {
    const decision = decide('U_VIEWER', [], 'redrive-all', 'orders', roles);
    expect(decision).toMatchObject({
      kind: 'denied',
      reason: 'redrive-all on orders needs the admin role; you are a viewer on orders.',
      configKey: 'roles.admins',
      groups: ['S_PLATFORM'],
      admins: ['U_ADMIN'],
    });
    expect(decide('U_STRANGER', [], 'audit', null, closed)).toMatchObject({ reason: 'audit needs the viewer role; you have no Redrive role.' });
  });

  it('lets a viewer of one queue only (through its own grants) ask the listings about no single queue, nothing else', () => {
    const perQueue: AccessRoles = { ...closed, queues: { ...closed.queues, ledger: { viewers: ['U_LEDGER'], userGroups: { S_LEDGER: 'viewer' } } } };
    for (const action of ['status', 'jobs', 'report', 'audit']) {
      expect(decide('U_LEDGER', [], action, null, perQueue), action).toMatchObject({ kind: 'allowed', role: 'viewer', via: 'per-queue grants' });
      expect(decide('U_STRANGER', ['S_LEDGER'], action, null, perQueue).kind, action).toBe('allowed');
      // Who views no queue at all is still refused, with the same explanation.
      expect(decide('U_STRANGER', [], action, null, perQueue), action).toMatchObject({ kind: 'denied', role: null, reason: `${action} needs the viewer role; you have no Redrive role.`, configKey: 'roles.viewers' });
    }
    // Only the listings, only about no single queue.
    expect(decide('U_LEDGER', [], 'status', 'orders', perQueue).kind).toBe('denied');
    expect(decide('U_LEDGER', [], 'peek', 'ledger', perQueue).kind).toBe('allowed');
    expect(decide('U_LEDGER', [], 'cancel', null, perQueue).kind).toBe('denied');
    // A queue everyone views lets everyone ask them.
    expect(decide('U_STRANGER', [], 'report', null, roles).kind).toBe('allowed');
  });

  it('roleOf: nothing grants nothing; `everyone` grants viewer', () => {
    expect(roleOf('U_X', [], { admins: [], operators: [], viewers: [], userGroups: {} })).toEqual({ role: null, via: null });
    expect(roleOf('U_X', [], { admins: [], operators: [], viewers: 'everyone', userGroups: {} })).toEqual({ role: 'viewer', via: 'everyone' });
  });

  it('lists every user group any grant names, once', () => {
    expect(configuredUserGroups(roles)).toEqual(['S_ONCALL', 'S_PAYMENTS', 'S_PLATFORM', 'S_READERS']);
  });
});
