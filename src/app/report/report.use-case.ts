// `/dlq report [--days N]`: reads the store (depth samples, message index, replays, resolutions, jobs,
// incidents, audit) for every configured queue and builds the runbook's weekly report. Audited as
// `report`. It never reads a queue: the numbers are what Redrive saw and did.

import { buildDlqReport, type DlqReport } from '../../core/report/dlq-report.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';
import { audited } from '../shared/audit-trail.ts';
import { ALL_QUEUES, type QueueScope } from '../shared/queue-visibility.ts';

/** Audit rows read for the summary (the newest first; more are counted as "at least"). */
export const REPORT_AUDIT_LIMIT = 5_000;

/** Over the queues `scope` lets the actor view (audit records of the others are left out too). */
export const buildReport = async (deps: QueueDeps, request: { days: number; actor: string; scope?: QueueScope }): Promise<DlqReport> =>
  audited(deps, { action: 'report', queue: null, actor: request.actor, details: { days: request.days } }, async () => {
    const until = deps.clock.now();
    const since = new Date(until.getTime() - request.days * 86_400_000);
    const queues = await Promise.all(
      deps.registry.list().filter((b) => (request.scope ?? ALL_QUEUES).mayView(b.name)).map(async (backend) => {
        const [samples, indexed, replays, resolutions, jobs, incidents] = await Promise.all([
          deps.store.listDepthSamples(backend.name, { since }),
          deps.store.listIndexedMessages(backend.name, { since }),
          deps.store.listReplays(backend.name, { since }),
          deps.store.listResolutions(backend.name, { since }),
          deps.store.listJobs({ queue: backend.name, limit: 500 }),
          deps.store.listIncidents({ queue: backend.name, limit: 500 }),
        ]);
        return {
          queue: backend.name,
          kind: backend.kind,
          samples,
          indexed,
          replays,
          resolutions: resolutions.filter((r) => r.resolvedAt >= since),
          jobs: jobs.filter((j) => j.createdAt >= since),
          incidents: incidents.filter((i) => i.openedAt >= since || i.status === 'open' || (i.resolvedAt !== null && i.resolvedAt >= since)),
        };
      }),
    );
    const audit = (await deps.store.searchAudit({ since, limit: REPORT_AUDIT_LIMIT })).filter((r) => (request.scope ?? ALL_QUEUES).mayView(r.queue));
    return buildDlqReport({ since, until, days: request.days, queues, audit });
  });
