// The UserGroups port: which Slack user groups a user belongs to, for roles granted to groups.

export interface UserGroups {
  /**
   * The groups among `candidates` that have `user` as a member. Never throws: a group whose members
   * cannot be listed (Slack error, missing scope) counts as not containing the user, so roles fall
   * back to the ones granted to user ids directly; the adapter logs and counts the failure.
   * Membership may be stale by up to the adapter's cache TTL.
   */
  groupsOf(user: string, candidates: readonly string[]): Promise<string[]>;
}
