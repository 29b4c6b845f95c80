// monitor / stop-monitor: posts the queue's status every interval until stopped, one monitor per
// queue in this process. Where the readings go (a Slack thread, the terminal) is the caller's `post`.

import { RedriveError } from '../../errors.ts';
import { audited } from '../shared/audit-trail.ts';
import { readStatus, type StatusView } from '../shared/queue-status.ts';
import { realSleep, type QueueDeps } from '../shared/queue-deps.ts';

export type MonitorPost = (queue: string, view: StatusView) => Promise<void>;

export interface Monitors {
  start(request: { queue: string; intervalSeconds: number; actor: string; post: MonitorPost; maxReadings?: number }): Promise<StatusView>;
  stop(request: { queue: string; actor: string }): Promise<boolean>;
  active(): string[];
  /** Resolves when the queue's monitor has stopped (immediately if none runs). */
  done(queue: string): Promise<void>;
  stopAll(): void;
}

export const createMonitors = (deps: QueueDeps): Monitors => {
  const running = new Map<string, { controller: AbortController; finished: Promise<void> }>();
  const sleep = deps.sleep ?? realSleep;
  return {
    start: async ({ queue, intervalSeconds, actor, post, maxReadings }) => {
      const backend = deps.registry.get(queue);
      if (running.has(queue)) throw new RedriveError('CLI_USAGE', `${queue} is already monitored; stop-monitor it first.`, { context: { queue } });
      return audited(deps, { action: 'monitor', queue, actor, details: { intervalSeconds } }, async () => {
        const first = await readStatus(deps, backend);
        await post(queue, first);
        const controller = new AbortController();
        const loop = async () => {
          let readings = 1;
          while (!controller.signal.aborted && (maxReadings === undefined || readings < maxReadings)) {
            await sleep(intervalSeconds * 1000, controller.signal);
            if (controller.signal.aborted) break;
            try {
              await post(queue, await readStatus(deps, backend));
            } catch (error) {
              deps.logger?.warn({ queue, err: error }, 'monitor reading failed');
            }
            readings += 1;
          }
        };
        const finished = loop().finally(() => running.delete(queue));
        running.set(queue, { controller, finished });
        return first;
      });
    },
    stop: async ({ queue, actor }) =>
      audited(deps, { action: 'stop-monitor', queue, actor }, async () => {
        const entry = running.get(queue);
        entry?.controller.abort();
        await entry?.finished;
        return entry !== undefined;
      }),
    active: () => [...running.keys()],
    done: async (queue) => {
      await running.get(queue)?.finished;
    },
    stopAll: () => {
      for (const entry of running.values()) entry.controller.abort();
    },
  };
};
