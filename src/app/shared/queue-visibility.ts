// Which queues a user may view, for the commands about no single queue (`status` and `jobs` of all
// queues, `report`, `audit`): their rows and records are filtered by the per-queue viewer grants, and
// the reply says how much was left out, without naming what the user may not see (the presentation
// layer's hidden-note.ts puts that note on a reply).

export interface QueueScope {
  /** False when every queue is visible (nothing to filter, nothing to say). */
  restricted: boolean;
  /** May the user view this queue? Null: a record about no queue, judged on the global grants. */
  mayView(queue: string | null): boolean;
}

export interface QueueVisibility {
  /** The user's scope; asks Slack for user groups only when the user-id grants leave a queue hidden. */
  scopeFor(actor: string): Promise<QueueScope>;
}

export const ALL_QUEUES: QueueScope = { restricted: false, mayView: () => true };

/** Everything visible: the terminal, and callers wired without roles. */
export const SEE_ALL: QueueVisibility = { scopeFor: () => Promise.resolve(ALL_QUEUES) };

/** The configured queues the scope hides. */
export const countHidden = (queues: readonly string[], scope: QueueScope): number => queues.filter((q) => !scope.mayView(q)).length;
