// A small keyed cache for Slack directory listings: each value is kept for the time its loader says
// (long for an answer, short for a failure), and concurrent askers for one key share a single load.

import type { Clock } from '../../../ports/clock.port.ts';

export type ExpiringLoad<K, V> = (key: K) => Promise<{ value: V; ttlMs: number }>;

export const createExpiringCache = <K, V>(clock: Clock, load: ExpiringLoad<K, V>): ((key: K) => Promise<V>) => {
  const cache = new Map<K, { value: V; expiresAt: number }>();
  const inFlight = new Map<K, Promise<V>>();
  return (key) => {
    const hit = cache.get(key);
    if (hit && hit.expiresAt > clock.now().getTime()) return Promise.resolve(hit.value);
    let pending = inFlight.get(key);
    if (!pending) {
      const askedAt = clock.now().getTime();
      pending = load(key)
        .then(({ value, ttlMs }) => {
          cache.set(key, { value, expiresAt: askedAt + ttlMs });
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
};
