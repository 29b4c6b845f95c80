// Payload schema of the Prometheus Alertmanager webhook (version "4"). Unknown keys are dropped;
// an empty alerts[] is refused (Alertmanager never sends one, so it means a misbehaving sender).
// https://prometheus.io/docs/alerting/latest/configuration/#webhook_config

import { z } from 'zod';

const labelSet = z.record(z.string().max(256), z.string().max(4096));

export const alertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet.refine((labels) => typeof labels.alertname === 'string' && labels.alertname !== '', {
    message: 'an alertname label is required',
    path: ['alertname'],
  }),
  annotations: labelSet.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  /** Go's zero time (0001-01-01T00:00:00Z) while firing. */
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().max(128).optional(),
});

/** Read first, so an unknown version is refused as such rather than as a shape error. */
export const webhookVersionSchema = z.object({ version: z.unknown().optional() });

export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4'),
  receiver: z.string().max(1024).optional(),
  status: z.enum(['firing', 'resolved']),
  groupKey: z.string().max(4096).optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  groupLabels: labelSet.optional(),
  commonLabels: labelSet.optional(),
  commonAnnotations: labelSet.optional(),
  externalURL: z.string().max(4096).optional(),
  alerts: z.array(alertmanagerAlertSchema).min(1, 'alerts must not be empty').max(5_000),
});
