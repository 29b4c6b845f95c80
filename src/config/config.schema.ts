// The one configuration schema (zod). Parsed once by load-config.ts; each adapter receives its slice.
// Secrets never live in the file: the file names environment variables, src/bootstrap reads them (main.ts hands the environment in).

import { z } from 'zod';
import { FIELD_NAMES } from '../core/analysis/field-mapping.ts';
import { canarySchema } from './canary.schema.ts';

// Underscores are accepted for test workspaces (U_ALICE); enterprise-grid user ids start with W.
const slackId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Z0-9_]{2,}$`), `expected a Slack id starting with ${prefix.replace(/[[\]]/g, '').split('').join(' or ')}`);
const channelId = z.string().regex(/^[CGD][A-Z0-9_]{2,}$/, 'expected a Slack channel id such as C0123ABCD');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name');

const levelBound = z.number().nonnegative();

/** Per-queue escalation overrides on top of a preset (SPEC "Incidents and escalation"). All optional. */
export const escalationSchema = z
  .object({
    preset: z.enum(['sqs-runbook', 'kafka-runbook']),
    l1Depth: levelBound.optional(),
    l2Depth: levelBound.optional(),
    l3AfterL2Minutes: levelBound.optional(),
    l1GrowthPer10Min: levelBound.optional(),
    l2GrowthPerMinute: levelBound.optional(),
    l2GrowthWindowMinutes: levelBound.optional(),
    l3GrowthPerMinute: levelBound.optional(),
    l3SignatureCount: levelBound.optional(),
    holdMinutes: levelBound.optional(),
    renotifyMinutes: z
      .object({ L1: levelBound.optional(), L2: levelBound.optional(), L3: levelBound.optional() })
      .strict()
      .optional(),
  })
  .strict();

const replayTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('source') }).strict(),
  z.object({ kind: z.literal('sqs'), queueUrl: z.url() }).strict(),
  z.object({ kind: z.literal('stepfunctions'), stateMachineArn: z.string().startsWith('arn:') }).strict(),
  z.object({ kind: z.literal('kafka'), topic: z.string().min(1) }).strict(),
]);

const fieldMappingSchema = z
  .record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
  .optional();

/** Pre-flight checks run before redrive-all / redrive-batch start (issue 14); every one must pass. */
export const preflightSchema = z
  .object({
    /** CloudWatch alarms that must be OK (DescribeAlarms), e.g. the consumer Lambda's Errors alarm. */
    alarms: z.array(z.string().min(1)).default([]),
    /** Health URLs that must answer 2xx within the timeout. */
    http: z.array(z.object({ url: z.url(), timeoutMs: z.number().int().positive().default(3_000) }).strict()).default([]),
    /** Kafka only: the consumer group reading the replay topic must lag at most `max` messages. */
    consumerLag: z.object({ group: z.string().min(1), topic: z.string().min(1).optional(), max: z.number().int().nonnegative() }).strict().optional(),
  })
  .strict();

/** Two-person approval (issue 14): jobs planning more than `above` messages need a second person's Approve. */
export const approvalSchema = z
  .object({
    above: z.number().int().nonnegative(),
    adminMayApproveAlone: z.boolean().default(false),
    expiresMinutes: z.number().positive().default(30),
  })
  .strict();

const queueBase = {
  name: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'letters, digits, dot, dash and underscore only (max 80)'),
  alertChannel: channelId.optional(),
  escalation: escalationSchema.default({ preset: 'sqs-runbook' }),
  /** Alarm names that belong to this queue besides its own name. */
  alarmNames: z.array(z.string().min(1)).default([]),
  fieldMapping: fieldMappingSchema,
  /** Per-queue roles: each field given replaces the global one for this queue; the others are inherited. */
  roles: z.lazy(() => queueRolesSchema).optional(),
  preflight: preflightSchema.optional(),
  approval: approvalSchema.optional(),
  /** Canary for bulk jobs and the post-replay watch (canary.schema.ts); absent = neither by default. */
  canary: canarySchema.optional(),
};

export const sqsQueueSchema = z
  .object({
    ...queueBase,
    kind: z.literal('sqs'),
    queueUrl: z.url(),
    /** Source queue for redrive-all (defaults to the DLQ's redrive source). */
    sourceQueueUrl: z.url().optional(),
    replayTarget: replayTargetSchema.default({ kind: 'source' }),
    stateMachineArn: z.string().startsWith('arn:').optional(),
    fifo: z.boolean().optional(),
    /** AWS region of this queue (and its CloudWatch metrics, state machine); default `aws.region`. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as eu-west-1').optional(),
    /** IAM role Redrive assumes (STS AssumeRole) for this queue's SQS, CloudWatch and Step Functions calls. */
    assumeRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/redrive').optional(),
    /** ExternalId the role's trust policy requires (sts:ExternalId). */
    externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'expected 2-1224 characters: letters, digits and +=,.@:/-_').optional(),
    /** RoleSessionName shown in the account's CloudTrail (default `redrive`). */
    roleSessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, 'expected 2-64 characters: letters, digits and +=,.@-_').optional(),
  })
  .strict();

export const kafkaQueueSchema = z
  .object({
    ...queueBase,
    kind: z.literal('kafka'),
    cluster: z.string().min(1).default('default'),
    topic: z.string().min(1),
    consumerGroup: z.string().min(1),
    /** Where replays go; without it each message goes back to the original topic its framework headers name, once an operator confirms it. */
    replayTopic: z.string().min(1).optional(),
  })
  .strict();

export const queueSchema = z.discriminatedUnion('kind', [sqsQueueSchema, kafkaQueueSchema]);

const roleName = z.enum(['viewer', 'operator', 'admin']);
const userIds = z.array(slackId('[UW]'));

/** Roles (SPEC "Security and audit", README "Roles and audit"): admin ⊇ operator ⊇ viewer. */
export const rolesSchema = z
  .object({
    /** Slack user ids with every permission (redrive-all, redrive-batch, bulk replay, alarms, and all below). */
    admins: userIds.default([]),
    /** Slack user ids who may replay, resolve, re-execute, acknowledge, monitor and cancel (and view). */
    operators: userIds.default([]),
    /** Viewers (status, peek, view, analyze, report, jobs, audit); `everyone` lets every workspace member view. */
    viewers: z.union([z.literal('everyone'), userIds]).default('everyone'),
    /** Slack user group id → the role its members get (read with usergroups.users.list, scope usergroups:read). */
    userGroups: z.record(slackId('S'), roleName).default({}),
  })
  .strict();

/** The same fields without defaults: a field left out inherits the global value. */
export const queueRolesSchema = z
  .object({
    admins: userIds.optional(),
    operators: userIds.optional(),
    viewers: z.union([z.literal('everyone'), userIds]).optional(),
    userGroups: z.record(slackId('S'), roleName).optional(),
  })
  .strict();

const kafkaClusterSchema = z
  .object({
    brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1),
    clientId: z.string().default('redrive'),
    ssl: z.boolean().default(false),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        usernameEnv: envName,
        passwordEnv: envName,
      })
      .strict()
      .optional(),
    connectionTimeoutMs: z.number().int().positive().default(5000),
    requestTimeoutMs: z.number().int().positive().default(15000),
  })
  .strict();

const storeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1).default('.data/redrive.db') }).strict(),
  z.object({ kind: z.literal('postgres'), urlEnv: envName.default('DATABASE_URL') }).strict(),
]);

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(3000),
        /** Largest accepted body on /alerts/* routes. */
        maxBodyBytes: z.number().int().positive().default(1_048_576),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 3000, maxBodyBytes: 1_048_576 }),
    slack: z
      .object({
        mode: z.enum(['http', 'socket']).default('http'),
        botTokenEnv: envName.default('SLACK_BOT_TOKEN'),
        signingSecretEnv: envName.default('SLACK_SIGNING_SECRET'),
        appTokenEnv: envName.default('SLACK_APP_TOKEN'),
        /** Web API base URL; only for tests and local Slack API servers. */
        apiUrl: z.url().optional(),
        defaultAlertChannel: channelId.optional(),
        l3Channel: channelId.optional(),
        l3UserGroup: slackId('S').optional(),
      })
      .strict()
      .default({ mode: 'http', botTokenEnv: 'SLACK_BOT_TOKEN', signingSecretEnv: 'SLACK_SIGNING_SECRET', appTokenEnv: 'SLACK_APP_TOKEN' }),
    store: storeSchema.default({ kind: 'sqlite', path: '.data/redrive.db' }),
    aws: z
      .object({
        region: z.string().default('us-east-1'),
        /** SQS endpoint override (ElasticMQ, LocalStack). */
        sqsEndpoint: z.url().optional(),
        cloudwatchEndpoint: z.url().optional(),
        /** Wire protocol for CloudWatch: the SDK's CBOR by default; json or query for emulators. */
        cloudwatchProtocol: z.enum(['cbor', 'json', 'query']).default('cbor'),
        stepFunctionsEndpoint: z.url().optional(),
        /** STS endpoint override for AssumeRole (moto, LocalStack); default the regional AWS endpoint. */
        stsEndpoint: z.url().optional(),
        /** SNS topic the created CloudWatch alarms notify. */
        alarmTopicArn: z.string().startsWith('arn:').optional(),
      })
      .strict()
      .default({ region: 'us-east-1', cloudwatchProtocol: 'cbor' }),
    kafka: z.record(z.string(), kafkaClusterSchema).default({}),
    queues: z.array(queueSchema).default([]),
    roles: rolesSchema.default({ admins: [], operators: [], viewers: 'everyone', userGroups: {} }),
    alerts: z
      .object({
        sns: z
          .object({
            topicArns: z.array(z.string().startsWith('arn:')).default([]),
            /** Certificate hosts trusted besides sns.<region>.amazonaws.com (tests, emulators). */
            extraCertificateHosts: z.array(z.string()).default([]),
            /** Level a firing CloudWatch alarm implies, by alarm name (default L1). */
            alarmLevels: z.record(z.string(), z.enum(['L1', 'L2', 'L3'])).default({}),
          })
          .strict()
          .default({ topicArns: [], extraCertificateHosts: [], alarmLevels: {} }),
        alertmanager: z
          .object({
            queueLabel: z.string().default('topic'),
            bearerTokenEnv: envName.optional(),
            basicAuthUserEnv: envName.optional(),
            basicAuthPasswordEnv: envName.optional(),
            alertLevels: z.record(z.string(), z.enum(['L1', 'L2', 'L3'])).default({}),
          })
          .strict()
          .default({ queueLabel: 'topic', alertLevels: {} }),
      })
      .strict()
      .default({
        sns: { topicArns: [], extraCertificateHosts: [], alarmLevels: {} },
        alertmanager: { queueLabel: 'topic', alertLevels: {} },
      }),
    poller: z
      .object({
        intervalSeconds: z.number().positive().default(30),
        retentionHours: z.number().positive().default(168),
      })
      .strict()
      .default({ intervalSeconds: 30, retentionHours: 168 }),
    /** Extra JSON keys whose values are redacted before reaching Slack or a log. */
    redactKeys: z.array(z.string().min(1)).default([]),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.queues.forEach((queue, index) => {
      const first = seen.get(queue.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['queues', index, 'name'], message: `duplicate queue name (also queues[${first}])` });
      }
      seen.set(queue.name, index);
      if (queue.kind === 'kafka' && !(queue.cluster in config.kafka)) {
        ctx.addIssue({
          code: 'custom',
          path: ['queues', index, 'cluster'],
          message: `unknown Kafka cluster "${queue.cluster}" (define it under kafka.${queue.cluster})`,
        });
      }
      for (const field of Object.keys(queue.fieldMapping ?? {})) {
        if (!(FIELD_NAMES as string[]).includes(field)) {
          ctx.addIssue({ code: 'custom', path: ['queues', index, 'fieldMapping', field], message: `unknown field "${field}" (known: ${FIELD_NAMES.join(', ')})` });
        }
      }
      if (queue.kind === 'sqs' && queue.preflight?.consumerLag) {
        ctx.addIssue({ code: 'custom', path: ['queues', index, 'preflight', 'consumerLag'], message: 'consumer group lag is a Kafka check; SQS queues use alarms or http' });
      }
      if (queue.kind === 'sqs' && queue.replayTarget.kind === 'kafka') {
        ctx.addIssue({ code: 'custom', path: ['queues', index, 'replayTarget', 'kind'], message: 'an SQS queue cannot replay to Kafka' });
      }
      if (queue.kind === 'sqs' && !queue.assumeRoleArn) {
        for (const key of ['externalId', 'roleSessionName'] as const) {
          if (queue[key] !== undefined) ctx.addIssue({ code: 'custom', path: ['queues', index, key], message: `${key} applies only with assumeRoleArn` });
        }
      }
      if (queue.kind === 'sqs' && queue.queueUrl.endsWith('.fifo') !== (queue.fifo ?? queue.queueUrl.endsWith('.fifo'))) {
        ctx.addIssue({ code: 'custom', path: ['queues', index, 'fifo'], message: 'fifo must match the queue URL (.fifo suffix)' });
      }
    });
  });

export type Config = z.infer<typeof configSchema>;
export type QueueConfig = z.infer<typeof queueSchema>;
export type SqsQueueConfig = z.infer<typeof sqsQueueSchema>;
export type KafkaQueueConfig = z.infer<typeof kafkaQueueSchema>;
export type KafkaClusterConfig = z.infer<typeof kafkaClusterSchema>;
