// The UserDirectory port: Slack members found by the name a person typed (`/dlq audit @alice`).

export type UserLookup =
  | { kind: 'found'; userIds: string[] }
  | { kind: 'not-found' }
  /** The directory could not be read (Slack error, missing scope, no Slack here): `reason` says why. */
  | { kind: 'unavailable'; reason: string };

export interface UserDirectory {
  /**
   * The members whose username, display name or real name is `name`, ignoring case (deleted members
   * included: their past actions stay in the audit log). Never throws: a failure is `unavailable`,
   * logged and counted by the adapter. Results may be stale by up to the adapter's cache TTL.
   */
  findByName(name: string): Promise<UserLookup>;
}
