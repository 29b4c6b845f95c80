// What the app layer reports for /metrics. Adapters decide the exposition format (Prometheus).

import type { Level } from '../core/model.ts';

/** The job a progress report is about. */
export interface JobRef {
  id: string;
  queue: string;
  kind: string;
}

export interface Metrics {
  alertReceived(source: string, result: 'accepted' | 'duplicate' | 'unknown-queue' | 'rejected'): void;
  incidentLevel(queue: string, level: Level | null): void;
  /** Visible messages, and (SQS) those not visible now; null where the DLQ has no such count (Kafka). */
  queueDepth(queue: string, depth: number, inFlight?: number | null): void;
  /** One audited action; `queue` is null for actions about no single queue (report, audit, status of all). */
  actionCompleted(action: string, result: 'success' | 'failure' | 'denied', queue?: string | null): void;
  slackApiError(method: string, error: string): void;
  /**
   * Cumulative progress of a job this process runs or follows. The first report of a job in this
   * process is its baseline (a resumed job's earlier messages are not counted again): report at start.
   */
  jobProgress(job: JobRef, done: number, total: number | null): void;
  /** This process no longer runs or follows the job: it ended (`status`), was paused or handed over. */
  jobEnded(job: JobRef, status: string): void;
}

/** For CLI runs and tests that do not look at metrics. */
export const noopMetrics: Metrics = {
  alertReceived: () => {},
  incidentLevel: () => {},
  queueDepth: () => {},
  actionCompleted: () => {},
  slackApiError: () => {},
  jobProgress: () => {},
  jobEnded: () => {},
};
