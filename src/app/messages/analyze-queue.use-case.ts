// analyze: streams the DLQ through the core analyzer (bounded memory) with the queue's field
// mapping, and checks each message against the store's replay records, so a replayed message that
// came back (same trace id or body, new message) shows as a replay failure. Read-only: the scan
// consumes nothing (SQS makes every message visible again; Kafka commits nothing). The audit record
// carries counts and pattern ids, never bodies.

import { createAnalyzer } from '../../core/analysis/analyzer.ts';
import type { AnalysisReport } from '../../core/analysis/analysis-report.ts';
import { DEFAULT_FIELD_MAPPING, type FieldMapping } from '../../core/analysis/field-mapping.ts';
import type { JsonObject, QueueKind } from '../../core/model.ts';
import { isReturnOf } from '../../core/replay/replay-returns.ts';
import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import { audited } from '../shared/audit-trail.ts';
import { returnFingerprints } from '../shared/message-identity.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

/** Messages read at most per analysis: enough to name the patterns, bounded in time on a huge DLQ. */
export const DEFAULT_ANALYZE_LIMIT = 10_000;
const DEFAULT_SCAN_TIMEOUT_MS = 120_000;
/** Messages whose fingerprints are looked up in the store at once. */
const REPLAY_LOOKUP_BATCH = 200;
const RETURNED_SAMPLES = 5;

/** Messages in the DLQ that an earlier replay had sent back for processing: the replay did not hold. */
export interface ReturnedAfterReplay {
  count: number;
  samples: { messageKey: string; replayedBy: string; replayedAt: Date; jobId: string | null; destination: string }[];
  jobIds: string[];
}

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
  returned: ReturnedAfterReplay;
}

const auditDetails = (analysis: QueueAnalysis): JsonObject => ({
  scanned: analysis.scanned,
  limited: analysis.limited,
  systematic: analysis.report.systematic.systematic,
  basis: analysis.report.systematic.basis,
  patterns: Object.fromEntries(analysis.report.byPattern.map((group) => [group.pattern.id, group.count])),
  unparsed: analysis.report.unparsed,
  returnedAfterReplay: analysis.returned.count,
});

/**
 * Finds, a batch at a time, the messages matching an earlier replay of *another* message (Kafka keeps
 * a replayed message until it is resolved, so the replayed one itself is not a return) that entered
 * the DLQ after that replay.
 */
const createReplayWatch = (deps: QueueDeps, queue: string, mapping?: FieldMapping) => {
  const returned: ReturnedAfterReplay = { count: 0, samples: [], jobIds: [] };
  let pending: { message: DlqMessage; fingerprints: string[] }[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const replays = await deps.store.findReplays(queue, batch.flatMap((entry) => entry.fingerprints));
    if (replays.length === 0) return;
    for (const { message, fingerprints } of batch) {
      // The time margin and the fingerprint rules: core/replay/replay-returns.ts.
      const replay = replays.find((r) => isReturnOf({ messageKey: message.messageKey, fingerprints, enqueuedAt: message.enqueuedAt }, r));
      if (!replay) continue;
      returned.count += 1;
      if (returned.samples.length < RETURNED_SAMPLES) {
        returned.samples.push({ messageKey: message.messageKey, replayedBy: replay.replayedBy, replayedAt: replay.replayedAt, jobId: replay.jobId, destination: replay.destination });
      }
      if (replay.jobId !== null && !returned.jobIds.includes(replay.jobId)) returned.jobIds.push(replay.jobId);
    }
  };
  return {
    returned,
    add: async (message: DlqMessage): Promise<void> => {
      // The message-key fingerprint can only match the message itself: returns have new keys.
      pending.push({ message, fingerprints: returnFingerprints(message, mapping).filter((f) => !f.startsWith('key:')) });
      if (pending.length >= REPLAY_LOOKUP_BATCH) await flush();
    },
    flush,
  };
};

export const analyzeQueue = async (deps: QueueDeps, request: AnalyzeRequest): Promise<QueueAnalysis> => {
  const backend = deps.registry.get(request.queue);
  const limit = Math.max(1, Math.floor(request.limit ?? DEFAULT_ANALYZE_LIMIT));
  return audited(
    deps,
    { action: 'analyze', queue: backend.name, actor: request.actor, details: { limit } },
    async () => {
      const started = deps.clock.now();
      const analyzer = createAnalyzer({ now: started, mapping: backend.mapping ?? DEFAULT_FIELD_MAPPING });
      const replays = createReplayWatch(deps, backend.name, backend.mapping);
      let scanned = 0;
      let limited = false;
      // Leaving the loop early closes the scan, which makes what it held visible again.
      for await (const message of backend.dlq.scan({ timeoutMs: request.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS })) {
        analyzer.add(message);
        await replays.add(message);
        scanned += 1;
        if (scanned >= limit) {
          limited = true;
          break;
        }
      }
      await replays.flush();
      const report = analyzer.result();
      const elapsedMs = deps.clock.now().getTime() - started.getTime();
      return { queue: backend.name, kind: backend.kind, report, scanned, limited, limit, elapsedMs, returned: replays.returned };
    },
    auditDetails,
  );
};
