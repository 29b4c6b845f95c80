// `/dlq audit [ref]`: searches the append-only audit log (core/audit/audit-ref decides how a ref is
// read; a plain `@name` is resolved to member ids through the user directory first), keeps only the
// records of queues the actor may view, and records the search itself as an `audit` action after it ran.

import { AUDIT_DEFAULT_LIMIT, planAuditSearch, planUserSearch, userNameOf, type AuditRefKind, type AuditSearchPlan } from '../../core/audit/audit-ref.ts';
import type { AuditRecord } from '../../core/model.ts';
import type { UserDirectory, UserLookup } from '../../ports/user-directory.port.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { audited } from '../shared/audit-trail.ts';
import { ALL_QUEUES, type QueueScope } from '../shared/queue-visibility.ts';

/** Records read per query when some queues are hidden, so filtering still leaves a full page. */
export const AUDIT_SCAN_LIMIT = 500;

export interface AuditSearchResult {
  ref: string | null;
  kind: AuditRefKind;
  records: AuditRecord[];
  /** Records found but left out: about queues the actor may not view. */
  hidden?: number;
  /** A `@name` ref that matched no member, or could not be looked up. */
  unresolved?: { name: string; lookup: Exclude<UserLookup, { kind: 'found' }> };
}

export interface AuditSearchRequest {
  ref: string | null;
  actor: string;
  scope?: QueueScope;
  /** Resolves `@name`; null where there is no Slack (the terminal). */
  directory?: UserDirectory | null;
}

const NO_DIRECTORY: UserLookup = { kind: 'unavailable', reason: 'no Slack workspace is connected here' };

export const searchAuditLog = async (deps: QueueDeps, request: AuditSearchRequest): Promise<AuditSearchResult> =>
  audited(deps, { action: 'audit', queue: null, actor: request.actor, details: { ref: request.ref } }, async () => {
    const scope = request.scope ?? ALL_QUEUES;
    const name = userNameOf(request.ref);
    let plan: AuditSearchPlan;
    let unresolved: AuditSearchResult['unresolved'];
    if (name === null) plan = planAuditSearch(request.ref, deps.registry.list().map((b) => b.name));
    else {
      const lookup = request.directory ? await request.directory.findByName(name) : NO_DIRECTORY;
      if (lookup.kind === 'found') plan = planUserSearch(lookup.userIds);
      else {
        plan = { kind: 'user', queries: [] };
        unresolved = { name, lookup };
      }
    }
    const found = new Map<number, AuditRecord>();
    for (const query of plan.queries) {
      const limit = scope.restricted && query.id === undefined ? Math.max(query.limit ?? AUDIT_DEFAULT_LIMIT, AUDIT_SCAN_LIMIT) : query.limit;
      for (const record of await deps.store.searchAudit({ ...query, ...(limit === undefined ? {} : { limit }) })) found.set(record.id, record);
    }
    const all = [...found.values()];
    const visible = all.filter((r) => scope.mayView(r.queue));
    const records = visible.sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id).slice(0, AUDIT_DEFAULT_LIMIT);
    return { ref: request.ref, kind: plan.kind, records, hidden: all.length - visible.length, ...(unresolved ? { unresolved } : {}) };
  }, (result) => ({ found: result.records.length, ...((result.hidden ?? 0) > 0 ? { hidden: result.hidden ?? 0 } : {}), ...(result.unresolved ? { unresolved: result.unresolved.lookup.kind } : {}) }));
