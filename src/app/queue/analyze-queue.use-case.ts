// analyze: streams the DLQ through the core analyzer (bounded memory) with the queue's field
// mapping and returns the report. Read-only: the scan consumes nothing (SQS makes every message
// visible again; Kafka commits nothing). The audit record carries counts and pattern ids, never bodies.

import { createAnalyzer } from '../../core/analysis/analyzer.ts';
import type { AnalysisReport } from '../../core/analysis/analysis-report.ts';
import { DEFAULT_FIELD_MAPPING } from '../../core/analysis/field-mapping.ts';
import type { JsonObject, QueueKind } from '../../core/model.ts';
import { audited } from './audit-trail.ts';
import type { QueueDeps } from './queue-deps.ts';

/** Messages read at most per analysis: enough to name the patterns, bounded in time on a huge DLQ. */
export const DEFAULT_ANALYZE_LIMIT = 10_000;
const DEFAULT_SCAN_TIMEOUT_MS = 120_000;

export interface AnalyzeRequest {
  queue: string;
  actor: string;
  limit?: number;
  timeoutMs?: number;
}

export interface QueueAnalysis {
  queue: string;
  kind: QueueKind;
  report: AnalysisReport;
  /** Messages read (= report.total). */
  scanned: number;
  /** The scan stopped at `limit`: the counts cover the first `scanned` messages only. */
  limited: boolean;
  limit: number;
  elapsedMs: number;
}

const auditDetails = (analysis: QueueAnalysis): JsonObject => ({
  scanned: analysis.scanned,
  limited: analysis.limited,
  systematic: analysis.report.systematic.systematic,
  basis: analysis.report.systematic.basis,
  patterns: Object.fromEntries(analysis.report.byPattern.map((group) => [group.pattern.id, group.count])),
  unparsed: analysis.report.unparsed,
});

export const analyzeQueue = async (deps: QueueDeps, request: AnalyzeRequest): Promise<QueueAnalysis> => {
  const backend = deps.registry.get(request.queue);
  const limit = Math.max(1, Math.floor(request.limit ?? DEFAULT_ANALYZE_LIMIT));
  return audited(
    deps,
    { action: 'analyze', queue: backend.name, actor: request.actor, details: { limit } },
    async () => {
      const started = deps.clock.now();
      const analyzer = createAnalyzer({ now: started, mapping: backend.mapping ?? DEFAULT_FIELD_MAPPING });
      let scanned = 0;
      let limited = false;
      // Leaving the loop early closes the scan, which makes what it held visible again.
      for await (const message of backend.dlq.scan({ timeoutMs: request.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS })) {
        analyzer.add(message);
        scanned += 1;
        if (scanned >= limit) {
          limited = true;
          break;
        }
      }
      const report = analyzer.result();
      return { queue: backend.name, kind: backend.kind, report, scanned, limited, limit, elapsedMs: deps.clock.now().getTime() - started.getTime() };
    },
    auditDetails,
  );
};
