// Maps one Prometheus Alertmanager alert (webhook payload version 4) to a configured queue, a state and
// a level. Pure: the Alertmanager adapter has already authenticated and parsed the request.

import { createHash } from 'node:crypto';
import type { JsonObject } from '../model.ts';
import { clip, sqsQueueNameOf, type AlertLevel, type AlertMapping, type AlertQueue } from './alert-mapping.ts';

/** One entry of the webhook's `alerts[]`. */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: string;
  endsAt?: string | undefined;
  generatorURL?: string | undefined;
  fingerprint?: string | undefined;
}

/** Alert names from the Kafka runbook and the level each implies while firing (SPEC "Incidents and escalation"). */
export const BUILTIN_ALERT_LEVELS: Readonly<Record<string, AlertLevel>> = {
  KafkaDLQGrowthRapid: 'L2',
  KafkaDLQGrowthWarning: 'L1',
  KafkaDLQSizeHigh: 'L1',
};

export interface AlertmanagerMappingOptions {
  /** Label naming the queue; default `topic`. */
  queueLabel?: string;
  /** Configured levels by alert name; they override the built-in ones. */
  levels?: Readonly<Record<string, AlertLevel>>;
}

const MAX_LABELS_KEPT = 50;

/** Alertmanager's own fingerprint, or a stable hash of the sorted labels when a sender omits it. */
export const alertFingerprint = (alert: AlertmanagerAlert): string => {
  if (alert.fingerprint) return alert.fingerprint;
  const canonical = JSON.stringify(Object.entries(alert.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `labels-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
};

const normalizeTime = (value: string): string => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};

/**
 * Same alert, same key: fingerprint + status + startsAt. A repeat_interval resend or a second replica
 * produces the same key; the alert resolving, or firing again later (new startsAt), produces a new one.
 */
export const alertmanagerDedupKey = (alert: AlertmanagerAlert): string =>
  `alertmanager:${alertFingerprint(alert)}:${alert.status}:${normalizeTime(alert.startsAt)}`;

/** A Kafka queue whose topic is the value, else a queue with that name, else an SQS queue with that queue name. */
export const findQueueForLabel = (value: string, queues: readonly AlertQueue[]): AlertQueue | null =>
  queues.find((queue) => queue.kind === 'kafka' && queue.topic === value) ??
  queues.find((queue) => queue.name === value) ??
  queues.find((queue) => queue.kind === 'sqs' && sqsQueueNameOf(queue.queueUrl) === value) ??
  null;

/** The level a firing alert of this name implies: configured, else built-in, else none (the measured level decides). */
export const levelForAlertName = (name: string, levels: Readonly<Record<string, AlertLevel>> = {}): AlertLevel | null =>
  (Object.hasOwn(levels, name) ? levels[name] : undefined) ??
  (Object.hasOwn(BUILTIN_ALERT_LEVELS, name) ? BUILTIN_ALERT_LEVELS[name] : undefined) ??
  null;

const clippedRecord = (record: Readonly<Record<string, string>>): JsonObject =>
  Object.fromEntries(
    Object.entries(record)
      .slice(0, MAX_LABELS_KEPT)
      .map(([key, value]) => [clip(key, 100), clip(value, 1_000)]),
  );

export const mapAlertmanagerAlert = (
  alert: AlertmanagerAlert,
  queues: readonly AlertQueue[],
  options: AlertmanagerMappingOptions = {},
): AlertMapping => {
  const queueLabel = options.queueLabel ?? 'topic';
  const name = alert.labels.alertname ?? '(no alertname)';
  const dedupKey = alertmanagerDedupKey(alert);
  const labelValue = Object.hasOwn(alert.labels, queueLabel) ? alert.labels[queueLabel] : undefined;
  const queue = labelValue === undefined ? null : findQueueForLabel(labelValue, queues);
  if (!queue) {
    const lookedFor = labelValue === undefined ? `label "${queueLabel}" (absent)` : `label ${queueLabel}="${clip(labelValue, 200)}"`;
    return { kind: 'unknown-queue', name, dedupKey, lookedFor };
  }
  const firing = alert.status === 'firing';
  const level = firing ? levelForAlertName(name, options.levels) : null;
  const details: JsonObject = {
    source: 'alertmanager',
    alertname: clip(name, 255),
    status: alert.status,
    level,
    fingerprint: alertFingerprint(alert),
    startsAt: alert.startsAt,
    endsAt: alert.endsAt ?? null,
    generatorURL: alert.generatorURL ? clip(alert.generatorURL, 1_000) : null,
    labels: clippedRecord(alert.labels),
    annotations: clippedRecord(alert.annotations),
  };
  return { kind: 'mapped', alert: { queue: queue.name, state: firing ? 'firing' : 'ok', level, name, dedupKey, details } };
};
