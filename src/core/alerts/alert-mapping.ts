// Shared shapes of the pure alert mapping: what a CloudWatch alarm or an Alertmanager alert becomes
// once matched to a configured queue, and how queues are looked up. No I/O, no clock, no config parsing.

import type { JsonObject } from '../model.ts';

/** A level an alert can imply (SPEC "Incidents and escalation"); OK is never implied by an alert, a resolved alert implies none. */
export type AlertLevel = 'L1' | 'L2' | 'L3';

/** Just what the mapping needs from a configured queue (config's QueueConfig fits this shape). */
export type AlertQueue =
  | { name: string; kind: 'sqs'; queueUrl: string; alarmNames: readonly string[] }
  | { name: string; kind: 'kafka'; topic: string; alarmNames: readonly string[] };

/** One alert matched to one queue, ready to be recorded. */
export interface MappedAlert {
  queue: string;
  state: 'firing' | 'ok';
  /** The level the alert implies while firing; null when resolved or when its name implies none. */
  level: AlertLevel | null;
  /** Alarm name (CloudWatch) or alertname label (Alertmanager). */
  name: string;
  /** Identity of this delivery's content: the same alert delivered again has the same key. */
  dedupKey: string;
  details: JsonObject;
}

export type AlertMapping =
  | { kind: 'mapped'; alert: MappedAlert }
  /** No configured queue matches: logged and counted, never stored. `lookedFor` says what was tried. */
  | { kind: 'unknown-queue'; name: string; dedupKey: string; lookedFor: string }
  /** The alert carries no firing/ok state Redrive acts on (CloudWatch INSUFFICIENT_DATA). */
  | { kind: 'ignored'; name: string; dedupKey: string; reason: string };

/** The SQS queue name of a queue URL: its last non-empty path segment. */
export const sqsQueueNameOf = (queueUrl: string): string => {
  let path = queueUrl;
  try {
    path = new URL(queueUrl).pathname;
  } catch {
    // Not a URL: treat the whole string as a path.
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  const last = segments[segments.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
};

/** Cuts user-controlled text stored with an alert so one alert can never carry a huge field. */
export const clip = (text: string, max = 1_000): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
