// UserDirectory over Slack's users.list (scope users:read): the workspace's members read page by page
// and cached for a TTL, so `/dlq audit @alice` costs no Slack call most of the time. A failed listing
// is cached briefly as unavailable, logged and counted, like the user groups beside it.
// https://api.slack.com/methods/users.list

import type { Clock } from '../../../ports/clock.port.ts';
import type { Metrics } from '../../../ports/metrics.port.ts';
import type { UserDirectory, UserLookup } from '../../../ports/user-directory.port.ts';
import { createExpiringCache } from './expiring-cache.ts';
import { slackErrorCode } from './slack-user-groups.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export interface SlackMember {
  id?: string;
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

/** The one Web API method this adapter calls (Bolt's WebClient has it). */
export interface UsersListClient {
  users: { list(args: { limit: number; cursor?: string }): Promise<{ ok?: boolean; members?: SlackMember[]; response_metadata?: { next_cursor?: string } }> };
}

export interface SlackUsersOptions {
  client: UsersListClient;
  clock: Clock;
  metrics: Pick<Metrics, 'slackApiError'>;
  logger: Pick<Logger, 'warn'>;
  /** How long the member list is trusted (default 5 minutes). */
  ttlMs?: number;
  /** How long a failed listing is remembered before Slack is asked again (default 30 s). */
  failureTtlMs?: number;
  /** Pages read at most (200 members each), so a huge workspace cannot stall a command. */
  maxPages?: number;
}

export const USERS_LIST = 'users.list';

type Listing = { kind: 'members'; byName: ReadonlyMap<string, readonly string[]> } | { kind: 'failed'; reason: string };

const key = (name: string): string => name.trim().replace(/^@/, '').toLowerCase();

/** Every name a member answers to (username, display name, real name), lower-cased, to their ids. */
export const indexMembers = (members: readonly SlackMember[]): Map<string, string[]> => {
  const byName = new Map<string, string[]>();
  for (const m of members) {
    if (!m.id) continue;
    const names = new Set([m.name, m.real_name, m.profile?.display_name, m.profile?.real_name].filter((n): n is string => typeof n === 'string' && n.trim() !== '').map(key));
    for (const name of names) byName.set(name, [...(byName.get(name) ?? []), m.id]);
  }
  return byName;
};

export const createSlackUsers = (options: SlackUsersOptions): UserDirectory => {
  const ttlMs = options.ttlMs ?? 300_000;
  const failureTtlMs = options.failureTtlMs ?? 30_000;
  const maxPages = options.maxPages ?? 50;

  const listing = createExpiringCache<'members', Listing>(options.clock, async () => {
    try {
      const members: SlackMember[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page += 1) {
        const result = await options.client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
        members.push(...(result.members ?? []));
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return { value: { kind: 'members', byName: indexMembers(members) }, ttlMs };
    } catch (error) {
      const code = slackErrorCode(error);
      options.metrics.slackApiError(USERS_LIST, code);
      options.logger.warn({ method: USERS_LIST, code }, `Could not list the workspace's members (${code}); /dlq audit @name cannot be resolved until Slack answers`);
      return { value: { kind: 'failed', reason: `Slack answered ${code}` }, ttlMs: failureTtlMs };
    }
  });

  return {
    findByName: async (name): Promise<UserLookup> => {
      const current = await listing('members');
      if (current.kind === 'failed') return { kind: 'unavailable', reason: current.reason };
      const ids = current.byName.get(key(name)) ?? [];
      return ids.length > 0 ? { kind: 'found', userIds: [...ids] } : { kind: 'not-found' };
    },
  };
};
