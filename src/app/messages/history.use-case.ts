// Depth history of one queue (SPEC "Queue operations", `history`): CloudWatch GetMetricData
// (ApproximateNumberOfMessagesVisible, highest per period) where the queue has CloudWatch (SQS), and
// the depth samples Redrive stored itself (poller, status, monitor) for every queue. A CloudWatch
// failure does not hide the stored samples: it is reported beside them. Read-only; audited.

import type { MetricPoint } from '../../ports/queue-backend.port.ts';
import type { QueueKind } from '../../core/model.ts';
import { isRedriveError } from '../../errors.ts';
import { audited } from '../shared/audit-trail.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

export interface HistoryView {
  queue: string;
  kind: QueueKind;
  hours: number;
  since: Date;
  until: Date;
  /** Null when the queue has no CloudWatch (Kafka, or an SQS emulator without cloudwatchEndpoint). */
  cloudwatch: { points: MetricPoint[]; periodSeconds: number } | null;
  cloudwatchError: string | null;
  samples: { at: Date; depth: number }[];
}

/** At most ~360 CloudWatch points whatever the range, in whole minutes (CloudWatch periods are multiples of 60 s). */
export const historyPeriodSeconds = (hours: number): number => Math.max(60, Math.ceil((hours * 3600) / 360 / 60) * 60);

export const queueHistory = async (deps: QueueDeps, request: { queue: string; hours: number; actor: string }): Promise<HistoryView> => {
  const backend = deps.registry.get(request.queue);
  return audited(
    deps,
    { action: 'history', queue: backend.name, actor: request.actor, details: { hours: request.hours } },
    async () => {
      const until = deps.clock.now();
      const since = new Date(until.getTime() - request.hours * 3_600_000);
      const stored = await deps.store.listDepthSamples(backend.name, { since, until: new Date(until.getTime() + 1) });
      const samples = stored.map((s) => ({ at: s.at, depth: s.depth }));
      let cloudwatch: HistoryView['cloudwatch'] = null;
      let cloudwatchError: string | null = null;
      if (backend.alarms) {
        const periodSeconds = historyPeriodSeconds(request.hours);
        try {
          cloudwatch = { points: await backend.alarms.depthHistory({ since, until, periodSeconds }), periodSeconds };
        } catch (error) {
          cloudwatchError = isRedriveError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
        }
      }
      return { queue: backend.name, kind: backend.kind, hours: request.hours, since, until, cloudwatch, cloudwatchError, samples };
    },
    (view) => ({ cloudwatchPoints: view.cloudwatch?.points.length ?? null, cloudwatchError: view.cloudwatchError, samples: view.samples.length }),
  );
};
