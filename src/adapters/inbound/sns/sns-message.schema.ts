// Payload schemas of the SNS HTTP(S) endpoint: the envelope SNS posts (Notification,
// SubscriptionConfirmation, UnsubscribeConfirmation) and the CloudWatch alarm inside a Notification's
// Message. Signature fields are optional here so an unsigned message is refused as unsigned (403), not
// as malformed.

import { z } from 'zod';

const signed = {
  MessageId: z.string().min(1).max(128),
  TopicArn: z.string().startsWith('arn:').max(512),
  Message: z.string(),
  /** ISO 8601 in UTC, e.g. 2026-03-01T12:00:00.000Z. */
  Timestamp: z.iso.datetime({ offset: true }),
  SignatureVersion: z.string().max(8).optional(),
  Signature: z.string().max(4096).optional(),
  SigningCertURL: z.string().max(2048).optional(),
};

export const snsNotificationSchema = z.object({
  ...signed,
  Type: z.literal('Notification'),
  Subject: z.string().max(1024).optional(),
  UnsubscribeURL: z.string().max(2048).optional(),
});

export const snsConfirmationSchema = z.object({
  ...signed,
  Type: z.enum(['SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  Token: z.string().min(1).max(2048),
  SubscribeURL: z.string().min(1).max(2048),
});

export const snsEnvelopeSchema = z.discriminatedUnion('Type', [snsNotificationSchema, snsConfirmationSchema]);

export type SnsNotification = z.infer<typeof snsNotificationSchema>;
export type SnsConfirmation = z.infer<typeof snsConfirmationSchema>;
export type SnsEnvelope = z.infer<typeof snsEnvelopeSchema>;

// CloudWatch writes dimensions as { name, value }; accept { Name, Value } too (hand-written tests, tools).
const dimensionSchema = z.union([
  z.object({ name: z.string().max(255), value: z.string().max(1024) }),
  z.object({ Name: z.string().max(255), Value: z.string().max(1024) }).transform((d) => ({ name: d.Name, value: d.Value })),
]);

const dimensionsSchema = z.array(dimensionSchema).max(30);

export const cloudWatchAlarmSchema = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).nullish(),
  AWSAccountId: z.string().max(32).optional(),
  AlarmArn: z.string().max(1024).optional(),
  Region: z.string().max(64).optional(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  OldStateValue: z.string().max(32).optional(),
  NewStateReason: z.string().max(8192).optional(),
  StateChangeTime: z.string().max(64).optional(),
  Trigger: z
    .object({
      MetricName: z.string().max(255).optional(),
      Namespace: z.string().max(255).optional(),
      Statistic: z.string().max(64).optional(),
      Threshold: z.number().optional(),
      ComparisonOperator: z.string().max(64).optional(),
      Period: z.number().optional(),
      EvaluationPeriods: z.number().optional(),
      Dimensions: dimensionsSchema.optional(),
      Metrics: z
        .array(
          z.object({
            MetricStat: z.object({ Metric: z.object({ Dimensions: dimensionsSchema.optional() }).optional() }).optional(),
          }),
        )
        .max(20)
        .optional(),
    })
    .optional(),
});
