// Reads what the App Home tab shows: each configured queue's depth (read now, like `status`) and
// incident level, a permalink to the open incident's thread, and the last actions from the audit log.
// A queue that cannot be read shows why instead of failing the whole tab. Only the queues the user may
// view are read and shown (and only the actions about them), with a note saying how many were hidden.

import type { AuditRecord, Level } from '../../core/model.ts';
import { ALL_QUEUES, countHidden, type QueueScope } from '../shared/queue-visibility.ts';
import { hiddenQueuesNote } from '../../core/auth/hidden-queues-note.ts';
import type { Chat } from '../../ports/chat.port.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { readStatus } from '../shared/queue-status.ts';

export interface HomeQueue {
  name: string;
  kind: string;
  depth: number | null;
  /** Why the depth could not be read now. */
  error: string | null;
  level: Level | null;
  /** Permalink to the open incident's parent message. */
  incidentLink: string | null;
}

export interface HomeData {
  queues: HomeQueue[];
  recent: AuditRecord[];
  at: Date;
  /** Says how many configured queues the user may not view (they are left out); null when none. */
  hiddenNote?: string | null;
}

/** Audit actions that only read: left out of "last actions" so a busy tab does not hide changes. */
const READS = new Set(['status', 'peek', 'view', 'analyze', 'jobs', 'audit', 'report', 'history']);
const RECENT = 10;

export const readAppHome = async (deps: { queue: QueueDeps; chat: Chat | null }, scope: QueueScope = ALL_QUEUES): Promise<HomeData> => {
  const { queue, chat } = deps;
  // Queues are read side by side: one slow broker must not hold up the whole tab for long.
  const queues = await Promise.all(
    queue.registry.list().filter((backend) => scope.mayView(backend.name)).map(async (backend): Promise<HomeQueue> => {
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
  const recent = (await queue.store.searchAudit({ limit: scope.restricted ? 200 : 60 })).filter((r) => !READS.has(r.action) && scope.mayView(r.queue)).slice(0, RECENT);
  const hiddenNote = hiddenQueuesNote(countHidden(queue.registry.list().map((b) => b.name), scope));
  return { queues, recent, at: queue.clock.now(), hiddenNote };
};
