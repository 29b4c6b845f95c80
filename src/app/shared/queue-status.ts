// A queue's status as every capability reads it: the depth (stored as a depth sample), its growth
// over the stored samples, and the open incident's level. Read-only on the queue.

import type { Level } from '../../core/model.ts';
import type { QueueStatus } from '../../ports/dead-letter-queue.port.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import { sampleDepth } from './depth-sample.ts';
import type { QueueDeps } from './queue-deps.ts';

export interface StatusView {
  status: QueueStatus;
  /** Messages a minute over the last `GROWTH_WINDOW_MINUTES` of stored samples; null without enough history. */
  growthPerMinute: number | null;
  level: Level | null;
  incidentId: string | null;
}

export const GROWTH_WINDOW_MINUTES = 10;
const MIN_GROWTH_SPAN_MS = 20_000;

export const growthFromSamples = (samples: readonly { at: Date; depth: number }[]): number | null => {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) return null;
  const span = last.at.getTime() - first.at.getTime();
  if (span < MIN_GROWTH_SPAN_MS) return null;
  return Math.round(((last.depth - first.depth) / (span / 60_000)) * 10) / 10;
};

/** Reads the queue, stores the reading as a depth sample, and adds growth and incident level. */
export const readStatus = async (deps: QueueDeps, backend: QueueBackend): Promise<StatusView> => {
  const status = await sampleDepth(deps, backend);
  const since = new Date(status.at.getTime() - GROWTH_WINDOW_MINUTES * 60_000);
  const samples = await deps.store.listDepthSamples(backend.name, { since, until: new Date(status.at.getTime() + 1) });
  const incident = await deps.store.findOpenIncident(backend.name);
  return { status, growthPerMinute: growthFromSamples(samples), level: incident?.level ?? null, incidentId: incident?.id ?? null };
};
