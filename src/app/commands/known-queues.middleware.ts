// A QUEUE_UNKNOWN answer lists the queues the asking user may view, so a typo gets a useful answer
// without naming a queue the user has no viewer role on. The registry's error names none (it reaches
// the audit record); this step, outside the audit step, adds the list to what the user is shown.
// The terminal (SEE_ALL, or a trusted actor) gets every configured queue.

import { isRedriveError, RedriveError } from '../../errors.ts';
import type { QueueRegistry } from '../shared/queue-registry.ts';
import { SEE_ALL, type QueueVisibility } from '../shared/queue-visibility.ts';
import type { Middleware } from './command-middleware.ts';

export interface KnownQueuesDeps {
  registry: Pick<QueueRegistry, 'list'>;
  /** Who may view which queue; absent: every queue (the terminal). */
  visibility?: QueueVisibility;
}

/** The error again, its message ending with the queues `known` (none: unchanged). */
export const withKnownQueueList = (error: RedriveError, known: readonly string[]): RedriveError =>
  known.length === 0
    ? error
    : new RedriveError(error.code, `${error.message.replace(/\.$/, '')} (known: ${known.join(', ')}).`, { context: error.context, cause: error, retriable: error.retriable });

export const listKnownQueues = <R>(deps: KnownQueuesDeps): Middleware<R> => {
  const visibility = deps.visibility ?? SEE_ALL;
  return async (command, context, next) => {
    try {
      return await next(command, context);
    } catch (error) {
      if (!isRedriveError(error) || error.code !== 'QUEUE_UNKNOWN') throw error;
      const scope = await visibility.scopeFor(context.actor).catch(() => null);
      if (scope === null) throw error;
      throw withKnownQueueList(error, deps.registry.list().map((b) => b.name).filter((name) => scope.mayView(name)));
    }
  };
};
