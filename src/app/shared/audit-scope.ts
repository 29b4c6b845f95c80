// The audit records one command writes, as it writes them: `writeAudit` notes each stored record in
// every command scope it runs inside, and the pipeline's steps read their scope instead of searching
// the audit table for what a use case may have written. Holds records in memory only while the
// command runs (a closed scope takes no more, e.g. from a job the command started in the background).

import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditRecord } from '../../core/model.ts';

export interface AuditScope {
  /** The records written so far inside `run`, oldest first. */
  readonly records: readonly AuditRecord[];
  /** Runs `work` inside this scope: every audit record it writes (and what it awaits) is noted here. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Stops noting and lets go of the records (call once the command's answer is known). */
  close(): void;
}

interface OpenScope {
  records: AuditRecord[];
  open: boolean;
}

// Nested scopes (the audit step around the idempotency step) each see the records written inside them.
const scopes = new AsyncLocalStorage<readonly OpenScope[]>();

export const openAuditScope = (): AuditScope => {
  const scope: OpenScope = { records: [], open: true };
  return {
    get records() {
      return scope.records;
    },
    run: (work) => scopes.run([...(scopes.getStore() ?? []), scope], work),
    close: () => {
      scope.open = false;
      scope.records = [];
    },
  };
};

/** Called by the audit writer with each stored record. */
export const noteAudited = (record: AuditRecord): void => {
  for (const scope of scopes.getStore() ?? []) if (scope.open) scope.records.push(record);
};
