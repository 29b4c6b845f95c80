// The config's `roles` and `queues[].roles` as the policy's AccessRoles (structural: no config import).

import type { AccessRoles, RoleGrants } from '../../core/auth/access-policy.ts';

export const accessRolesFrom = (config: { roles: RoleGrants; queues: readonly { name: string; roles?: Partial<RoleGrants> | undefined }[] }): AccessRoles => ({
  global: config.roles,
  queues: Object.fromEntries(config.queues.filter((q) => q.roles !== undefined).map((q) => [q.name, q.roles ?? {}])),
});
