// A manual redrive job's parameters: what `createRedriveJob` stores in the job and how a run reads
// them back (`paramsOf`, `filterOfJob`). It writes only the new job; running it is redrive-job.ts.

import { isFiltered, type ReplayFilter } from '../../core/analysis/replay-filter.ts';
import type { Job, JsonObject } from '../../core/model.ts';
import { RedriveError } from '../../errors.ts';
import type { QueueDeps } from './queue-deps.ts';

export interface RedriveJobParams {
  /** Messages to replay; null = until the DLQ is empty. */
  count: number | null;
  ratePerSecond: number | null;
  /** JSON object merged into every body (the runbook's `jq '. + {...}'`); non-JSON bodies then fail and stay. */
  bodyMerge: JsonObject | null;
  concurrency: number;
  /** Only messages matching it are replayed (the rest stay untouched); null = every message. */
  filter: ReplayFilter | null;
}

/** The params stored in a job, with the defaults for what it does not say. */
export const paramsOf = (job: Job): RedriveJobParams => {
  const p = job.params;
  return {
    count: typeof p.count === 'number' ? p.count : null,
    ratePerSecond: typeof p.ratePerSecond === 'number' ? p.ratePerSecond : null,
    bodyMerge: p.bodyMerge && typeof p.bodyMerge === 'object' && !Array.isArray(p.bodyMerge) ? (p.bodyMerge as JsonObject) : null,
    concurrency: typeof p.concurrency === 'number' ? p.concurrency : 4,
    filter: filterOfJob(p.filter),
  };
};

/** The filter stored in a job's params (null when it has none). */
export const filterOfJob = (value: unknown): ReplayFilter | null => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  const filter: ReplayFilter = {
    category: text(v.category),
    domain: text(v.domain),
    signature: text(v.signature),
    olderThanSeconds: typeof v.olderThanSeconds === 'number' ? v.olderThanSeconds : null,
  };
  return isFiltered(filter) ? filter : null;
};

export const createRedriveJob = async (
  deps: QueueDeps,
  queue: string,
  params: Partial<RedriveJobParams> & { actor: string; kind?: 'redrive-batch' | 'redrive-all' },
): Promise<Job> => {
  const backend = deps.registry.get(queue);
  // A Kafka queue without a replay topic sends each message to the original topic its headers name,
  // which the operator confirms message by message: never in bulk, where nobody sees each destination.
  if (backend.kind === 'kafka' && (await backend.replayTarget()).destinationOf) {
    throw new RedriveError(
      'DLQ_OPERATION_UNSUPPORTED',
      `${backend.name} has no replay topic configured: each message goes back to the original topic its headers name, confirmed one message at a time (replay). Set replayTopic in the config to replay in bulk.`,
      { context: { queue: backend.name } },
    );
  }
  const full: RedriveJobParams = {
    count: params.count ?? null,
    ratePerSecond: params.ratePerSecond ?? null,
    bodyMerge: params.bodyMerge ?? null,
    concurrency: params.concurrency ?? 4,
    filter: isFiltered(params.filter) ? params.filter : null,
  };
  const id = deps.newId?.() ?? crypto.randomUUID();
  const incident = await deps.store.findOpenIncident(backend.name);
  return deps.store.createJob({
    id,
    kind: params.kind ?? 'redrive-batch',
    queue: backend.name,
    params: { ...full, manual: true } as unknown as JsonObject,
    createdBy: params.actor,
    createdAt: deps.clock.now(),
    incidentId: incident?.id ?? null,
    total: full.count,
  });
};
