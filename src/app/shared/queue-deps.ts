// What the queue use cases need from the outside, passed in once by the composition root.

import type { Clock } from '../../ports/clock.port.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { QueueRegistry } from './queue-registry.ts';
import type { CanaryConfigLookup } from '../../core/job/canary-settings.ts';
import type { Logger } from '../../ports/logger.port.ts';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface QueueDeps {
  registry: QueueRegistry;
  store: Store;
  clock: Clock;
  metrics: Metrics;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Where each audit record's log line goes (the root logger's `component: audit` child); else `logger`. */
  auditLogger?: Pick<Logger, 'info' | 'warn'>;
  /** Extra JSON keys redacted from queue text before it reaches a Reply (config `redactKeys`). */
  redactKeys?: readonly string[];
  /** Injectable for tests and the rate limiter. */
  sleep?: Sleep;
  newId?: () => string;
  /** Each queue's `canary` config (count, watch window); absent or null = none configured. */
  canaryConfig?: CanaryConfigLookup;
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
