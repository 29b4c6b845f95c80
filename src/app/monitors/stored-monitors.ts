// `/dlq monitor` for the server: monitors live in the store (queue, interval, thread, who, since
// when), so they outlive the process. Any replica starts one (and posts its first reading); the
// replica holding the poller lease runs them all (adopt, called on each of its polls), one reading
// every interval in the stored thread; another replica or the next start carries on from the last
// reading. stop-monitor removes it from the store, and whoever runs it stops at its next reading.
// It decides nothing about where a first reading goes: monitor-thread.ts does.

import { RedriveError } from '../../errors.ts';
import type { StoredMonitor } from '../../core/model.ts';
import type { Chat } from '../../ports/chat.port.ts';
import { POLLER_LEASE } from '../shared/poller-lease.ts';
import { audited } from '../shared/audit-trail.ts';
import type { MonitorPost, Monitors } from './monitor.use-case.ts';
import type { RenderMonitorReading, ThreadedMonitorPost } from './monitor-thread.ts';
import { realSleep, type QueueDeps } from '../shared/queue-deps.ts';
import { readStatus } from '../shared/queue-status.ts';

export interface StoredMonitorsDeps {
  queue: QueueDeps;
  /** Where messages go; null without Slack (nothing is posted). */
  chat: Chat | null;
  renderReading: RenderMonitorReading;
  /** This replica's id, as it holds the poller lease. */
  replicaId: string;
}

export interface StoredMonitors extends Monitors {
  /**
   * Runs here every stored monitor not yet running here, while this replica holds the poller lease
   * (called on each of its polls, and after a monitor is started). Never throws.
   */
  adopt(): Promise<void>;
}

const alreadyMonitored = (queue: string) => new RedriveError('CLI_USAGE', `${queue} is already monitored; stop-monitor it first.`, { context: { queue } });

const hasThread = (post: MonitorPost): post is ThreadedMonitorPost => typeof (post as Partial<ThreadedMonitorPost>).thread === 'function';

export const createStoredMonitors = (deps: StoredMonitorsDeps): StoredMonitors => {
  const q = deps.queue;
  const { store, clock } = q;
  const sleep = q.sleep ?? realSleep;
  const running = new Map<string, { controller: AbortController; finished: Promise<void> }>();

  /** The poller lease's holder runs the monitors; an expired lease nobody took is still this one's. */
  const runsPoller = async (): Promise<boolean> => (await store.getLease(POLLER_LEASE))?.holder === deps.replicaId;

  const reading = async (monitor: StoredMonitor): Promise<void> => {
    const view = await readStatus(q, q.registry.get(monitor.queue));
    const chat = deps.chat;
    if (!chat || !monitor.channel || !monitor.threadTs) return;
    const posted = await chat.reply(monitor.channel, monitor.threadTs, deps.renderReading(view));
    if (!posted.ok) q.logger?.warn({ queue: monitor.queue, code: posted.failure.code, channel: monitor.channel }, 'monitor reading not posted');
  };

  const run = (start: StoredMonitor): void => {
    const controller = new AbortController();
    const { signal } = controller;
    const loop = async (): Promise<void> => {
      let monitor = start;
      while (!signal.aborted) {
        const last = (monitor.lastReadingAt ?? monitor.startedAt).getTime();
        await sleep(Math.max(0, last + monitor.intervalSeconds * 1000 - clock.now().getTime()), signal);
        if (signal.aborted) return;
        // Stopped from any replica, or the poller (and so the monitors) moved to another replica.
        const current = await store.getMonitor(monitor.queue);
        if (!current || !(await runsPoller())) return;
        try {
          await reading(current);
        } catch (error) {
          q.logger?.warn({ queue: current.queue, err: error }, 'monitor reading failed');
        }
        const at = clock.now();
        if (!(await store.noteMonitorReading(current.queue, at))) return;
        monitor = { ...current, lastReadingAt: at };
      }
    };
    const finished = loop()
      .catch((error: unknown) => q.logger?.warn({ queue: start.queue, err: error }, 'monitor stopped on an error; the next poll starts it again'))
      .finally(() => running.delete(start.queue));
    running.set(start.queue, { controller, finished });
  };

  const adopt = async (): Promise<void> => {
    try {
      if (!(await runsPoller())) return;
      for (const monitor of await store.listMonitors()) {
        if (running.has(monitor.queue) || !q.registry.list().some((b) => b.name === monitor.queue)) continue;
        run(monitor);
      }
    } catch (error) {
      q.logger?.warn({ err: error }, 'stored monitors not read; the next poll tries again');
    }
  };

  return {
    start: async ({ queue, intervalSeconds, actor, post }) => {
      const backend = q.registry.get(queue);
      if (await store.getMonitor(queue)) throw alreadyMonitored(queue);
      return audited(q, { action: 'monitor', queue, actor, details: { intervalSeconds } }, async () => {
        const first = await readStatus(q, backend);
        await post(queue, first);
        const thread = hasThread(post) ? post.thread() : null;
        const added = await store.addMonitor({
          queue,
          intervalSeconds,
          channel: thread?.channel ?? null,
          threadTs: thread?.threadTs ?? null,
          startedBy: actor,
          startedAt: clock.now(),
          lastReadingAt: clock.now(),
        });
        if (!added) throw alreadyMonitored(queue);
        await adopt();
        return first;
      });
    },
    stop: async ({ queue, actor }) =>
      audited(q, { action: 'stop-monitor', queue, actor }, async () => {
        const removed = await store.removeMonitor(queue);
        const entry = running.get(queue);
        entry?.controller.abort();
        await entry?.finished;
        return removed || entry !== undefined;
      }),
    active: () => [...running.keys()],
    done: async (queue) => {
      await running.get(queue)?.finished;
    },
    // The process stops: the monitors stay stored, for the replica that polls next (or the next start).
    stopAll: () => {
      for (const entry of running.values()) entry.controller.abort();
    },
    adopt,
  };
};
