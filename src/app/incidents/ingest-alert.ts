// The ingest-alert use case: maps verified alert deliveries (CloudWatch via SNS, Alertmanager) to
// configured queues, records each once through the store's dedup key, counts and logs what happened,
// and tells subscribers (incidents) about newly recorded alerts. It never parses HTTP and never opens
// incidents itself.

import type {
  AlertLevel,
  AlertMapping,
  AlertQueue,
  MappedAlert,
} from '../../core/alerts/alert-mapping.ts';
import { mapAlertmanagerAlert, type AlertmanagerAlert } from '../../core/alerts/map-alertmanager-alert.ts';
import { mapCloudWatchAlarm, type CloudWatchDelivery } from '../../core/alerts/map-cloudwatch-alarm.ts';
import type { AlertSource, JsonObject } from '../../core/model.ts';
import type { Clock } from '../../ports/clock.port.ts';
import type { Metrics } from '../../ports/metrics.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { Logger } from '../../ports/logger.port.ts';

/** A delivery whose authenticity the inbound adapter has already checked. */
export type AlertDelivery =
  | { source: 'sns'; delivery: CloudWatchDelivery }
  | { source: 'alertmanager'; alerts: readonly AlertmanagerAlert[]; receiver?: string | undefined; groupKey?: string | undefined };

/** One alert matched to a queue and written (or found already written) in the store. */
export interface IngestedAlert {
  queue: string;
  state: 'firing' | 'ok';
  level: AlertLevel | null;
  name: string;
  dedupKey: string;
  outcome: 'recorded' | 'duplicate';
}

/** An alert that was not stored: no configured queue matches it, or it carries no usable state. */
export interface SkippedAlert {
  name: string;
  dedupKey: string;
  reason: 'unknown-queue' | 'ignored';
  detail: string;
}

export interface IngestResult {
  /** What the incidents feature consumes: one entry per alert matched to a queue. */
  alerts: IngestedAlert[];
  skipped: SkippedAlert[];
}

/** What a subscriber receives for each newly recorded alert (never for duplicates). */
export interface RecordedAlertEvent extends IngestedAlert {
  source: AlertSource;
  receivedAt: Date;
  details: JsonObject;
}

/**
 * Called once per newly recorded alert, after the store accepted it, before the HTTP answer. A
 * subscriber that fails is logged; the delivery still succeeds (the alert stays recorded, so a retry
 * would be a duplicate and would not call it again).
 */
export type OnAlert = (event: RecordedAlertEvent) => void | Promise<void>;

export interface IngestAlertDeps {
  store: Pick<Store, 'recordAlert'>;
  clock: Clock;
  metrics: Pick<Metrics, 'alertReceived'>;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  queues: readonly AlertQueue[];
  alertmanager?: { queueLabel?: string | undefined; alertLevels?: Readonly<Record<string, AlertLevel>> | undefined };
  cloudwatch?: { alarmLevels?: Readonly<Record<string, AlertLevel>> | undefined; defaultLevel?: AlertLevel | undefined };
  onAlert?: OnAlert | undefined;
}

export type IngestAlert = (delivery: AlertDelivery) => Promise<IngestResult>;

const mapDelivery = (delivery: AlertDelivery, deps: IngestAlertDeps): AlertMapping[] => {
  if (delivery.source === 'sns') {
    return [
      mapCloudWatchAlarm(delivery.delivery, deps.queues, {
        levels: deps.cloudwatch?.alarmLevels ?? {},
        defaultLevel: deps.cloudwatch?.defaultLevel ?? 'L1',
      }),
    ];
  }
  const options = { queueLabel: deps.alertmanager?.queueLabel ?? 'topic', levels: deps.alertmanager?.alertLevels ?? {} };
  return delivery.alerts.map((alert) => mapAlertmanagerAlert(alert, deps.queues, options));
};

export const createIngestAlert = (deps: IngestAlertDeps): IngestAlert => {
  const { store, clock, metrics, logger } = deps;

  const record = async (source: AlertSource, mapped: MappedAlert): Promise<IngestedAlert> => {
    const receivedAt = clock.now();
    const outcome = await store.recordAlert({
      dedupKey: mapped.dedupKey,
      source,
      queue: mapped.queue,
      name: mapped.name,
      state: mapped.state,
      receivedAt,
      details: mapped.details,
    });
    const ingested: IngestedAlert = {
      queue: mapped.queue,
      state: mapped.state,
      level: mapped.level,
      name: mapped.name,
      dedupKey: mapped.dedupKey,
      outcome,
    };
    const context = { source, queue: mapped.queue, alert: mapped.name, state: mapped.state, level: mapped.level, dedupKey: mapped.dedupKey };
    if (outcome === 'duplicate') {
      metrics.alertReceived(source, 'duplicate');
      logger.debug(context, 'alert already recorded; duplicate delivery ignored');
      return ingested;
    }
    metrics.alertReceived(source, 'accepted');
    logger.info(context, 'alert recorded');
    if (deps.onAlert) {
      try {
        await deps.onAlert({ ...ingested, source, receivedAt, details: mapped.details });
      } catch (error) {
        logger.error({ ...context, err: error }, 'alert subscriber failed; the alert stays recorded');
      }
    }
    return ingested;
  };

  return async (delivery) => {
    const source: AlertSource = delivery.source;
    const result: IngestResult = { alerts: [], skipped: [] };
    // Sequential on purpose: alerts of one group keep their order for subscribers.
    for (const mapping of mapDelivery(delivery, deps)) {
      if (mapping.kind === 'mapped') {
        result.alerts.push(await record(source, mapping.alert));
      } else if (mapping.kind === 'unknown-queue') {
        metrics.alertReceived(source, 'unknown-queue');
        logger.warn({ source, alert: mapping.name, dedupKey: mapping.dedupKey, lookedFor: mapping.lookedFor }, 'alert for no configured queue; not stored');
        result.skipped.push({ name: mapping.name, dedupKey: mapping.dedupKey, reason: 'unknown-queue', detail: `No configured queue matches ${mapping.lookedFor}.` });
      } else {
        logger.info({ source, alert: mapping.name, dedupKey: mapping.dedupKey }, mapping.reason);
        result.skipped.push({ name: mapping.name, dedupKey: mapping.dedupKey, reason: 'ignored', detail: mapping.reason });
      }
    }
    return result;
  };
};
