// Who may do what (SPEC "Security and audit"): the role each action needs, a user's role from Slack user ids and user
// groups (globally or per queue), and the decision. Pure: the caller resolves user groups and acts.

/** Roles in increasing order of power: each includes everything the ones before it may do. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** One set of role grants; `viewers: 'everyone'` lets every workspace member view. */
export interface RoleGrants {
  admins: readonly string[];
  operators: readonly string[];
  viewers: 'everyone' | readonly string[];
  /** Slack user group id (S…) → the role its members get. */
  userGroups: Readonly<Record<string, Role>>;
}

/**
 * The global grants plus per-queue overrides. A field a queue sets replaces the global one for that
 * queue (so a queue can narrow who operates it); a field it leaves out is inherited.
 */
export interface AccessRoles {
  global: RoleGrants;
  queues: Readonly<Record<string, Partial<RoleGrants>>>;
}

/**
 * The role each action needs. Action names are the /dlq subcommands and the audit actions of the
 * buttons and modals (`acknowledge`, `reexecute`, `bulk-replay`; an edited replay is a `replay`). An action missing
 * here needs admin: a new button is closed until someone decides who may press it.
 */
export const ACTION_ROLES: Readonly<Record<string, Role>> = {
  help: 'viewer',
  status: 'viewer',
  peek: 'viewer',
  view: 'viewer',
  analyze: 'viewer',
  report: 'viewer',
  history: 'viewer',
  jobs: 'viewer',
  audit: 'viewer',
  replay: 'operator',
  resolve: 'operator',
  reexecute: 'operator',
  're-execute': 'operator',
  acknowledge: 'operator',
  monitor: 'operator',
  'stop-monitor': 'operator',
  cancel: 'operator',
  'redrive-all': 'admin',
  'redrive-batch': 'admin',
  /** Bulk resolve: as much a bulk operation as a bulk replay. */
  'resolve-batch': 'admin',
  /** Continues a paused bulk replay: as much a bulk replay as starting one. */
  resume: 'admin',
  'bulk-replay': 'admin',
  /** Two-person approval: a second operator (or admin) approves or rejects a bulk replay request. */
  approve: 'operator',
  reject: 'operator',
  alarms: 'admin',
};

export const requiredRole = (action: string): Role => (Object.hasOwn(ACTION_ROLES, action) ? (ACTION_ROLES[action] as Role) : 'admin');

const rank = (role: Role | null): number => (role === null ? -1 : ROLES.indexOf(role));
export const atLeast = (role: Role | null, needed: Role): boolean => rank(role) >= rank(needed);

/** The grants that apply to a queue (null: commands about no one queue use the global grants). */
export const grantsFor = (roles: AccessRoles, queue: string | null): RoleGrants => {
  const override = queue === null ? undefined : roles.queues[queue];
  if (!override) return roles.global;
  return {
    admins: override.admins ?? roles.global.admins,
    operators: override.operators ?? roles.global.operators,
    viewers: override.viewers ?? roles.global.viewers,
    userGroups: override.userGroups ?? roles.global.userGroups,
  };
};

/** Every user group id that grants a role somewhere (the only ones worth asking Slack about). */
export const configuredUserGroups = (roles: AccessRoles): string[] => {
  const ids = new Set(Object.keys(roles.global.userGroups));
  for (const override of Object.values(roles.queues)) for (const id of Object.keys(override.userGroups ?? {})) ids.add(id);
  return [...ids].sort();
};

export interface RoleSource {
  role: Role | null;
  /** `user id`, `user group S…`, `everyone`, or null when nothing grants a role. */
  via: string | null;
}

/** The highest role the grants give the user, directly or through one of their user groups. */
export const roleOf = (user: string, userGroupsOfUser: readonly string[], grants: RoleGrants): RoleSource => {
  let best: RoleSource = { role: null, via: null };
  const offer = (role: Role, via: string): void => {
    if (rank(role) > rank(best.role)) best = { role, via };
  };
  if (grants.viewers === 'everyone') offer('viewer', 'everyone');
  else if (grants.viewers.includes(user)) offer('viewer', 'user id');
  for (const group of userGroupsOfUser) {
    const role = grants.userGroups[group];
    if (role) offer(role, `user group ${group}`);
  }
  if (grants.operators.includes(user)) offer('operator', 'user id');
  if (grants.admins.includes(user)) offer('admin', 'user id');
  return best;
};

export type AccessDecision =
  | { kind: 'allowed'; action: string; queue: string | null; role: Role; needed: Role; via: string }
  | {
      kind: 'denied';
      action: string;
      queue: string | null;
      /** The role the user has there (null: none at all). */
      role: Role | null;
      needed: Role;
      /** Plain text, one sentence: what was refused and why (queue text is the caller's to escape). */
      reason: string;
      /** The config list that grants the needed role, e.g. `roles.operators`. */
      configKey: string;
      /** User groups that would grant it. */
      groups: readonly string[];
      /** Users who hold admin there, to ask. */
      admins: readonly string[];
    };

/**
 * Commands about no single queue (`status` and `jobs` of all queues, `report`, `audit`): they show only
 * the queues the user may view, so viewing one queue through its own grants is enough to ask.
 */
export const LISTING_ACTIONS: ReadonlySet<string> = new Set(['status', 'jobs', 'report', 'audit']);

const article = (role: Role): string => (role === 'viewer' ? 'a' : 'an');

/**
 * May `user` (whose Slack user groups are `userGroupsOfUser`) do `action` on `queue`? Trusted callers
 * (the terminal) are the app layer's business: here every user is judged by the grants alone.
 */
export const decide = (user: string, userGroupsOfUser: readonly string[], action: string, queue: string | null, roles: AccessRoles): AccessDecision => {
  const needed = requiredRole(action);
  const grants = grantsFor(roles, queue);
  const { role, via } = roleOf(user, userGroupsOfUser, grants);
  if (role !== null && atLeast(role, needed)) return { kind: 'allowed', action, queue, role, needed, via: via ?? 'user id' };
  // A listing about no single queue is let in for whoever views some queue: it then shows only those.
  if (queue === null && LISTING_ACTIONS.has(action) && needed === 'viewer') {
    const viewed = Object.keys(roles.queues).find((q) => mayView(user, userGroupsOfUser, q, roles));
    if (viewed !== undefined) return { kind: 'allowed', action, queue, role: 'viewer', needed, via: 'per-queue grants' };
  }
  const where = queue === null ? '' : ` on ${queue}`;
  const has = role === null ? 'you have no Redrive role' : `you are ${article(role)} ${role}`;
  const list = needed === 'viewer' ? 'viewers' : needed === 'operator' ? 'operators' : 'admins';
  const overridden = queue !== null && roles.queues[queue]?.[list] !== undefined;
  return {
    kind: 'denied',
    action,
    queue,
    role,
    needed,
    reason: `${action}${where} needs the ${needed} role; ${has}${role === null ? '' : where}.`,
    configKey: overridden ? `queues[${queue}].roles.${list}` : `roles.${list}`,
    groups: Object.entries(grants.userGroups).filter(([, r]) => atLeast(r, needed)).map(([id]) => id),
    admins: grants.admins,
  };
};

/** May the user (with these user groups) view `queue`? Null: the global grants (a record about no queue). */
export const mayView = (user: string, userGroupsOfUser: readonly string[], queue: string | null, roles: AccessRoles): boolean =>
  atLeast(roleOf(user, userGroupsOfUser, grantsFor(roles, queue)).role, 'viewer');

/**
 * Whether the user-id grants alone let the user view every queue (configured ones and unknown ones,
 * which use the global grants): when they do, listing commands need not ask Slack for user groups.
 */
export const viewsEverywhere = (user: string, userGroupsOfUser: readonly string[], roles: AccessRoles): boolean =>
  [null, ...Object.keys(roles.queues)].every((queue) => mayView(user, userGroupsOfUser, queue, roles));
