// A manual redrive job's parameters: what `createRedriveJob` stores in the job (core/job/job-kinds.ts
// reads them back). It writes only the new job; running it is redrive-job.ts.
// A `resolve-batch` job is the same machine with the store's archive as its target (bulk resolve).

import { isFiltered } from '../../core/analysis/replay-filter.ts';
import type { ManualJobKind, RedriveJobParams } from '../../core/job/job-kinds.ts';
import type { Job, JsonObject } from '../../core/model.ts';
import type { ReplayedBefore } from '../../core/command/parse-dlq-command.ts';
import { canaryForJob } from './canary.ts';
import { RedriveError } from '../../errors.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

/** What a manual job does to each message it takes: `resolved` for bulk resolve, else `replayed`. */
export const jobVerb = (job: Pick<Job, 'kind'>): 'resolved' | 'replayed' => (job.kind === 'resolve-batch' ? 'resolved' : 'replayed');

/** `--replayed-before` as the instant it means now (an age counts back from `now`). */
export const replayedBeforeInstant = (spec: ReplayedBefore | null | undefined, now: Date): string | null =>
  !spec ? null : 'at' in spec ? spec.at : new Date(now.getTime() - spec.agoSeconds * 1000).toISOString();

export const createRedriveJob = async (
  deps: QueueDeps,
  queue: string,
  params: Partial<RedriveJobParams> & {
    actor: string;
    kind?: ManualJobKind;
    canary?: number | undefined;
    /** SQS redrive-all with a canary: the canary goes through this job, the rest through a message move task. */
    thenMoveTask?: boolean;
  },
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
    replayedBefore: params.replayedBefore ?? null,
    reason: params.reason ?? null,
  };
  // `--canary N` over the queue's config; none when the job is no bigger than its canary, and none for
  // a bulk resolve (it sends nothing downstream, so nothing can come back).
  const canary = params.kind === 'resolve-batch' ? null : canaryForJob(deps.canaryConfig?.(backend.name) ?? null, params.canary, full.count);
  const id = deps.newId?.() ?? crypto.randomUUID();
  const incident = await deps.store.findOpenIncident(backend.name);
  return deps.store.createJob({
    id,
    kind: params.kind ?? 'redrive-batch',
    queue: backend.name,
    params: { ...full, manual: true, ...(canary ? { canary: { ...canary }, ...(params.thenMoveTask ? { moveTaskAfterCanary: true } : {}) } : {}) } as unknown as JsonObject,
    createdBy: params.actor,
    createdAt: deps.clock.now(),
    incidentId: incident?.id ?? null,
    total: full.count,
  });
};
