// One run's view of a job's per-message checkpoint (claimed → sent → done, or failed): what earlier
// runs left behind, kept in step with the store as this run claims and ends items. It decides nothing
// about sending; the batch runner (redrive-batch.ts) does.

import type { JobItem, JobItemStatus } from '../../core/model.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

export interface JobCheckpoint {
  /** The item's last known state; undefined when no run of this job has touched it. */
  statusOf(key: string): JobItemStatus | undefined;
  /** Items this job has touched, in any state. */
  readonly size: number;
  count(status: JobItemStatus): number;
  keysIn(status: JobItemStatus): string[];
  /** Claims an item in the store before it is sent; false when it was already claimed. */
  claim(key: string): Promise<boolean>;
  /** Records the item's new state, here and in the store. */
  set(key: string, status: JobItemStatus, error?: string | null): Promise<void>;
  /** A sent copy whose DLQ delete failed: stays `sent` with the reason, so a resume deletes it. */
  noteDeleteFailed(key: string, error: string): Promise<void>;
  /** Takes in items another run ended that this one never saw (or saw before they were done). */
  absorb(items: JobItem[]): void;
}

export const loadJobCheckpoint = async (deps: QueueDeps, jobId: string): Promise<JobCheckpoint> => {
  const known = new Map<string, JobItemStatus>();
  for (const item of await deps.store.listJobItems(jobId)) known.set(item.itemKey, item.status);
  const keysIn = (status: JobItemStatus) => [...known].filter(([, s]) => s === status).map(([key]) => key);
  return {
    statusOf: (key) => known.get(key),
    get size() {
      return known.size;
    },
    count: (status) => [...known.values()].filter((s) => s === status).length,
    keysIn,
    claim: async (key) => {
      if (!(await deps.store.claimJobItem(jobId, key, deps.clock.now()))) return false;
      known.set(key, 'claimed');
      return true;
    },
    set: async (key, status, error = null) => {
      known.set(key, status);
      await deps.store.setJobItemStatus(jobId, key, status, deps.clock.now(), error);
    },
    noteDeleteFailed: async (key, error) => {
      await deps.store.setJobItemStatus(jobId, key, 'sent', deps.clock.now(), `delete failed: ${error}`);
    },
    absorb: (items) => {
      for (const item of items) if (!known.has(item.itemKey) || item.status === 'done') known.set(item.itemKey, item.status);
    },
  };
};
