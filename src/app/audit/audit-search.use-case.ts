// `/dlq audit [ref]`: searches the append-only audit log (core/audit/audit-ref decides how a ref is
// read) and records the search itself as an `audit` action after it ran.

import { AUDIT_DEFAULT_LIMIT, planAuditSearch, type AuditRefKind } from '../../core/audit/audit-ref.ts';
import type { AuditRecord } from '../../core/model.ts';
import type { QueueDeps } from '../queue/queue-deps.ts';
import { audited } from '../queue/audit-trail.ts';

export interface AuditSearchResult {
  ref: string | null;
  kind: AuditRefKind;
  records: AuditRecord[];
}

export const searchAuditLog = async (deps: QueueDeps, request: { ref: string | null; actor: string }): Promise<AuditSearchResult> =>
  audited(deps, { action: 'audit', queue: null, actor: request.actor, details: { ref: request.ref } }, async () => {
    const plan = planAuditSearch(request.ref, deps.registry.list().map((b) => b.name));
    const found = new Map<number, AuditRecord>();
    for (const query of plan.queries) for (const record of await deps.store.searchAudit(query)) found.set(record.id, record);
    const records = [...found.values()].sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id).slice(0, AUDIT_DEFAULT_LIMIT);
    return { ref: request.ref, kind: plan.kind, records };
  }, (result) => ({ found: result.records.length }));
