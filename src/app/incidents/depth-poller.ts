// The depth poller: every `intervalMs`, while this replica holds the `poller` lease, reads the depth
// of every configured queue, stores it as a sample, prunes samples past retention, feeds the incident
// service and runs its timers. One replica polls; another takes over when the lease expires.

import type { Clock } from '../../ports/clock.port.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { Timers } from '../../ports/timers.port.ts';
import type { QueueRegistry } from '../shared/queue-registry.ts';
import { sampleDepth } from '../shared/depth-sample.ts';
import type { IncidentLogger } from './incident-notifications.ts';

export const POLLER_LEASE = 'poller';
const PRUNE_EVERY_MS = 60 * 60_000;

export interface DepthPollerDeps {
  registry: Pick<QueueRegistry, 'list'>;
  store: Pick<Store, 'acquireLease' | 'releaseLease' | 'addDepthSample' | 'pruneDepthSamples'>;
  clock: Clock;
  timers: Timers;
  metrics: Pick<Metrics, 'queueDepth'>;
  logger: IncidentLogger;
  replicaId: string;
  intervalMs: number;
  retentionMs: number;
  /** A sample was stored for this queue. */
  onSample(queue: string): Promise<void>;
  /** After each poll by the lease holder (incident timers). */
  onTick(): Promise<void>;
}

export interface DepthPoller {
  start(): void;
  /** One poll now; false when another replica holds the lease. */
  pollOnce(): Promise<boolean>;
  /** Stops polling and frees the lease; `keepLease` leaves it to expire, as a killed process does (tests). */
  stop(options?: { keepLease?: boolean }): Promise<void>;
}

export const createDepthPoller = (deps: DepthPollerDeps): DepthPoller => {
  const { clock, store, logger } = deps;
  // The lease outlives a missed poll or two, so a slow poll does not hand it over.
  const ttlMs = Math.max(deps.intervalMs * 3, 30_000);
  let timer: unknown = null;
  let running: Promise<boolean> | null = null;
  let stopped = false;
  let lastPrune = 0;
  let holding = false;

  const poll = async (): Promise<boolean> => {
    const now = clock.now();
    const held = await store.acquireLease(POLLER_LEASE, deps.replicaId, now, ttlMs);
    if (held !== holding) logger.info({ replicaId: deps.replicaId, held }, held ? 'this replica runs the depth poller' : 'another replica runs the depth poller');
    holding = held;
    if (!held) return false;
    for (const backend of deps.registry.list()) {
      try {
        await sampleDepth({ store, metrics: deps.metrics }, backend);
        await deps.onSample(backend.name);
      } catch (error) {
        logger.warn({ queue: backend.name, err: error }, 'depth poll failed; next queue');
      }
    }
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      const pruned = await store.pruneDepthSamples(new Date(now.getTime() - deps.retentionMs));
      if (pruned > 0) logger.debug({ pruned }, 'pruned old depth samples');
    }
    await deps.onTick();
    return true;
  };

  const pollOnce = (): Promise<boolean> => {
    if (running) return running;
    running = poll().finally(() => {
      running = null;
    });
    return running;
  };

  const loop = (): void => {
    if (stopped) return;
    timer = deps.timers.setTimeout(() => {
      pollOnce()
        .catch((error: unknown) => logger.error({ err: error }, 'depth poll failed'))
        .finally(loop);
    }, deps.intervalMs);
  };

  return {
    start: () => {
      stopped = false;
      pollOnce()
        .catch((error: unknown) => logger.error({ err: error }, 'depth poll failed'))
        .finally(loop);
    },
    pollOnce,
    stop: async (options = {}) => {
      stopped = true;
      if (timer !== null) deps.timers.clearTimeout(timer);
      await running?.catch(() => undefined);
      if (holding && !options.keepLease) await store.releaseLease(POLLER_LEASE, deps.replicaId).catch(() => undefined);
      holding = false;
    },
  };
};
