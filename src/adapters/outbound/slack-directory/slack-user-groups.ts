// UserGroups over Slack's usergroups.users.list (scope usergroups:read), with each group's members
// cached for a TTL so a click costs no Slack call. A failed listing is cached briefly as "unknown":
// the group grants nothing until Slack answers again (roles fall back to user ids), and it is logged.
// https://api.slack.com/methods/usergroups.users.list

import type { Clock } from '../../../ports/clock.port.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';
import type { UserGroups } from '../../../ports/user-groups.port.ts';
import { createExpiringCache } from './expiring-cache.ts';
import type { Logger } from '../../../ports/logger.port.ts';

/** The one Web API method this adapter calls (Bolt's WebClient has it). */
export interface UserGroupsClient {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[] }> } };
}

export interface SlackUserGroupsOptions {
  client: UserGroupsClient;
  clock: Clock;
  metrics: Pick<Metrics, 'slackApiError'>;
  logger: Pick<Logger, 'warn'>;
  /** How long a group's member list is trusted (default 5 minutes). */
  ttlMs?: number;
  /** How long a failed listing is remembered before Slack is asked again (default 30 s). */
  failureTtlMs?: number;
}

export const USERGROUPS_USERS_LIST = 'usergroups.users.list';

/** A group's members, or null while Slack could not list them. */
type Members = ReadonlySet<string> | null;

export const slackErrorCode = (error: unknown): string => {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  if (data && typeof data.error === 'string') return data.error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown_error';
};

export const createSlackUserGroups = (options: SlackUserGroupsOptions): UserGroups => {
  const ttlMs = options.ttlMs ?? 300_000;
  const failureTtlMs = options.failureTtlMs ?? 30_000;

  const membersOf = createExpiringCache<string, Members>(options.clock, async (group) => {
    try {
      const result = await options.client.usergroups.users.list({ usergroup: group });
      return { value: new Set(result.users ?? []), ttlMs };
    } catch (error) {
      const code = slackErrorCode(error);
      options.metrics.slackApiError(USERGROUPS_USERS_LIST, code);
      options.logger.warn(
        { method: USERGROUPS_USERS_LIST, usergroup: group, code },
        `Could not list the members of user group ${group} (${code}); its members get only the roles granted to their user ids`,
      );
      return { value: null, ttlMs: failureTtlMs };
    }
  });

  return {
    groupsOf: async (user, candidates) => {
      const entries = await Promise.all(candidates.map(async (group) => [group, await membersOf(group)] as const));
      return entries.filter(([, members]) => members?.has(user) ?? false).map(([group]) => group);
    },
  };
};
