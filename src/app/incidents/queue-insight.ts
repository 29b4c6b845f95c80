// What the incident service learns about a DLQ beyond its depth: a bounded analysis (top error
// signatures, unknown categories, replays that came back) and one sample message, redacted, for the
// L3 page and the Kafka runbook's L3 criteria. Read-only; the analysis is audited as `system`.

import type { AnalysisSnapshot } from '../../core/incident/incident-data.ts';
import { redactSecrets } from '../../core/text/redact.ts';
import type { AnalysisReport } from '../../core/analysis/analysis-report.ts';
import { moveTaskOf } from '../../core/job/job-kinds.ts';
import type { Job } from '../../core/model.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

export interface QueueInsight {
  /** A bounded analysis of the queue; null when it has no backend here or the scan failed. */
  analyze(queue: string): Promise<AnalysisSnapshot | null>;
  /** Messages replayed (one by one, by jobs and by move tasks) and resolved since a time. */
  activity(queue: string, since: Date): Promise<{ replayed: number; resolved: number }>;
}

/** The actor incident automation acts as in audit records. */
export const INCIDENT_ACTOR = 'system:incidents';
const SAMPLE_CHARS = 1_500;

/** The use cases the insight reads through, passed in by the composition root (they live in app/messages and app/jobs). */
export interface QueueInsightReaders {
  /** app/messages analyzeQueue: a bounded, audited scan of the queue. */
  analyzeQueue(deps: QueueDeps, request: { queue: string; actor: string; limit: number; timeoutMs: number }): Promise<{ scanned: number; report: AnalysisReport; returned: { count: number } }>;
  /** app/jobs refreshMoveTask: a move-task job with its progress read from the broker. */
  refreshMoveTask(deps: QueueDeps, jobId: string): Promise<{ job: Job }>;
}

export const createQueueInsight = (
  deps: QueueDeps,
  readers: QueueInsightReaders,
  options: { limit?: number; timeoutMs?: number; redactKeys?: readonly string[] } = {},
): QueueInsight => ({
  analyze: async (queue) => {
    let backend;
    try {
      backend = deps.registry.get(queue);
    } catch {
      return null;
    }
    try {
      const analysis = await readers.analyzeQueue(deps, { queue, actor: INCIDENT_ACTOR, limit: options.limit ?? 1_000, timeoutMs: options.timeoutMs ?? 15_000 });
      const { report } = analysis;
      const top = report.bySignature[0] ?? null;
      const [first] = await backend.dlq.peek({ limit: 1, timeoutMs: 5_000 });
      return {
        at: deps.clock.now(),
        scanned: analysis.scanned,
        topSignature: top ? top.signature : null,
        // The guaranteed count: a capped group may overstate by maxOvercount.
        topSignatureCount: top ? top.count - top.maxOvercount : 0,
        unknownCategories: report.byCategory.filter((c) => c.category !== null && !c.known).map((c) => c.category as string),
        replayFailures: analysis.returned.count,
        topPatterns: report.bySignature.slice(0, 5).map((g) => ({ label: `${g.pattern.title}: ${g.signature}`, count: g.count, action: g.pattern.action })),
        sample: first
          ? { messageKey: first.messageKey, text: redactSecrets(first.body.slice(0, SAMPLE_CHARS * 2), { jsonKeys: options.redactKeys ?? [] }).slice(0, SAMPLE_CHARS) }
          : null,
      };
    } catch (error) {
      deps.logger?.warn({ queue, err: error instanceof Error ? error.message : String(error) }, 'incident analysis failed; the page goes out without it');
      return null;
    }
  },
  activity: async (queue, since) => {
    const replays = await deps.store.listReplays(queue, { since });
    const resolutions = await deps.store.listResolutions(queue, { since });
    // A broker move task moves messages without replay records: read its progress instead.
    let moved = 0;
    for (const job of await deps.store.listJobs({ queue, limit: 100 })) {
      if (job.kind !== 'redrive-all' || job.createdAt.getTime() < since.getTime() || moveTaskOf(job) === null) continue;
      const view = await readers.refreshMoveTask(deps, job.id).catch(() => null);
      moved += (view?.job ?? job).progress.done;
    }
    return { replayed: replays.length + moved, resolved: resolutions.length };
  },
});
