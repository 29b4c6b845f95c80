// Reads what the App Home tab shows: each configured queue's depth (read now, like `status`) and
// incident level, a permalink to the open incident's thread, and the last actions from the audit log.
// A queue that cannot be read shows why instead of failing the whole tab.

import type { HomeData, HomeQueue } from '../../core/slack/app-home-view.ts';
import type { Chat } from '../../ports/chat.port.ts';
import type { QueueDeps } from '../queue/queue-deps.ts';
import { readStatus } from '../queue/read-queue.use-case.ts';

/** Audit actions that only read: left out of "last actions" so a busy tab does not hide changes. */
const READS = new Set(['status', 'peek', 'view', 'analyze', 'jobs', 'audit', 'report', 'history']);
const RECENT = 10;

export const readAppHome = async (deps: { queue: QueueDeps; chat: Chat | null }): Promise<HomeData> => {
  const { queue, chat } = deps;
  // Queues are read side by side: one slow broker must not hold up the whole tab for long.
  const queues = await Promise.all(
    queue.registry.list().map(async (backend): Promise<HomeQueue> => {
      const row: HomeQueue = { name: backend.name, kind: backend.kind, depth: null, error: null, level: null, incidentLink: null };
      try {
        const view = await readStatus(queue, backend);
        row.depth = view.status.depth;
        row.level = view.level;
      } catch (error) {
        row.error = error instanceof Error ? error.message : String(error);
      }
      const incident = await queue.store.findOpenIncident(backend.name);
      if (row.level === null) row.level = incident?.level ?? null;
      if (incident?.slackChannel && incident.slackTs && chat) {
        const link = await chat.permalink(incident.slackChannel, incident.slackTs);
        if (link.ok) row.incidentLink = link.value;
      }
      return row;
    }),
  );
  const recent = (await queue.store.searchAudit({ limit: 60 })).filter((r) => !READS.has(r.action)).slice(0, RECENT);
  return { queues, recent, at: queue.clock.now() };
};
