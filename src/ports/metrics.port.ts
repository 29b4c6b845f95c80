// What the app layer reports for /metrics. Adapters decide the exposition format (Prometheus).

import type { Level } from '../core/model.ts';

export interface Metrics {
  alertReceived(source: string, result: 'accepted' | 'duplicate' | 'unknown-queue' | 'rejected'): void;
  incidentLevel(queue: string, level: Level | null): void;
  queueDepth(queue: string, depth: number): void;
  actionCompleted(action: string, result: 'success' | 'failure' | 'denied'): void;
  slackApiError(method: string, error: string): void;
  jobProgress(jobId: string, kind: string, done: number, total: number | null): void;
}

/** For CLI runs and tests that do not look at metrics. */
export const noopMetrics: Metrics = {
  alertReceived: () => {},
  incidentLevel: () => {},
  queueDepth: () => {},
  actionCompleted: () => {},
  slackApiError: () => {},
  jobProgress: () => {},
};
