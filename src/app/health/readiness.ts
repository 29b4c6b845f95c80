// Readiness: the store decides it (Redrive can do nothing without its state), and each configured
// queue's backend is reported reachable or not beside it without failing readiness (a queue server
// being down is an incident to report, not a reason for a load balancer to drop this replica).
// Backend checks run in parallel, each capped by a timeout, and are shared for a few seconds so a
// busy probe does not hammer the queue servers.

import { isRedriveError } from '../../errors.ts';
import type { QueueBackend } from '../../ports/queue-backend.port.ts';
import type { Store } from '../../ports/store.port.ts';

export interface BackendReachability {
  kind: string;
  backend: 'reachable' | 'unreachable';
  /** Why it is unreachable (error code and message, never a payload). */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  store: 'ok' | 'failing';
  storeError?: string;
  queues: Record<string, BackendReachability>;
}

export interface ReadinessDeps {
  store: Pick<Store, 'ping'>;
  backends: () => readonly Pick<QueueBackend, 'name' | 'kind' | 'dlq'>[];
  /** How long one backend may take to answer (default 2 s). */
  timeoutMs?: number;
  /** How long a backend answer is reused (default 5 s). */
  cacheMs?: number;
  now?: () => number;
}

const reason = (error: unknown): string =>
  isRedriveError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);

const withTimeout = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref?.();
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });

export const createReadiness = (deps: ReadinessDeps): (() => Promise<Readiness>) => {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const cacheMs = deps.cacheMs ?? 5_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; answer: Promise<BackendReachability> }>();

  const check = (backend: Pick<QueueBackend, 'name' | 'kind' | 'dlq'>): Promise<BackendReachability> => {
    const cached = cache.get(backend.name);
    if (cached && now() - cached.at < cacheMs) return cached.answer;
    const answer = withTimeout(backend.dlq.status(), timeoutMs, backend.name).then(
      (): BackendReachability => ({ kind: backend.kind, backend: 'reachable' }),
      (error: unknown): BackendReachability => ({ kind: backend.kind, backend: 'unreachable', error: reason(error).slice(0, 300) }),
    );
    cache.set(backend.name, { at: now(), answer });
    return answer;
  };

  return async () => {
    const backends = deps.backends();
    const [store, ...answers] = await Promise.all([
      withTimeout(deps.store.ping(), timeoutMs, 'the store').then(() => null, (error: unknown) => reason(error)),
      ...backends.map(check),
    ]);
    const queues = Object.fromEntries(backends.map((b, i) => [b.name, answers[i]!]));
    return store === null ? { ready: true, store: 'ok', queues } : { ready: false, store: 'failing', storeError: store.slice(0, 300), queues };
  };
};
