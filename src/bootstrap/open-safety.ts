// Safe redrive (issue 14): builds pre-flight's ports and the approval requests for the gates around
// bulk replays, for serve and the terminal alike. It starts nothing and reads no environment.

import { createCloudWatchAlarmStates } from '../adapters/outbound/cloudwatch/cloudwatch-alarm-states.ts';
import type { AwsClientFactory } from '../adapters/outbound/aws/aws-client-factory.ts';
import { createHttpHealthProbe } from '../adapters/outbound/http/http-health-probe.ts';
import type { AccessControl } from '../app/access/access-control.ts';
import { createApprovalRequests } from '../app/jobs/safety/approval-requests.ts';
import { slackApprovalMessages } from '../presentation/slack/replies/safety-replies.ts';
import type { PreflightDeps } from '../app/jobs/safety/preflight.use-case.ts';
import { safetySettings } from '../app/jobs/safety/safety-settings.ts';
import type { QueueDeps } from '../app/shared/queue-deps.ts';
import { accessKey, awsAccessFor } from '../config/aws-credential-sets.ts';
import type { Config } from '../config/config.schema.ts';
import type { Chat } from '../ports/chat.port.ts';
import type { AlarmStates } from '../ports/preflight-probes.port.ts';

/**
 * Pre-flight's ports (CloudWatch DescribeAlarms only when a queue checks alarms, HTTP health, Kafka
 * lag per queue) and the approval requests, for the gates around bulk replays.
 */
export const openSafety = (config: Config, queueDeps: QueueDeps, aws: AwsClientFactory, access: AccessControl, chat: Chat | null) => {
  const settings = safetySettings(config.queues);
  // Each queue's alarms are read with its own region and credentials (an assumed role's account); a
  // Kafka queue's alarms with the default ones.
  const alarmStates = new Map<string, AlarmStates>();
  const alarmsFor = (queue: string): AlarmStates | null => {
    if (!settings.usesAlarms) return null;
    const queueConfig = config.queues.find((q) => q.name === queue);
    const access = awsAccessFor(config.aws, queueConfig?.kind === 'sqs' ? queueConfig : {});
    const key = accessKey(access);
    let states = alarmStates.get(key);
    if (!states) alarmStates.set(key, (states = createCloudWatchAlarmStates(aws.clientsFor(access).cloudwatch())));
    return states;
  };
  const preflight: PreflightDeps = {
    audit: queueDeps,
    checksFor: settings.checksFor,
    alarmsFor,
    http: createHttpHealthProbe(),
    lagFor: (queue) => queueDeps.registry.get(queue).consumerGroupLag ?? null,
  };
  const approvals = createApprovalRequests({
    queue: queueDeps,
    chat,
    messages: slackApprovalMessages,
    preflight,
    policyFor: settings.policyFor,
    isAdmin: async (actor, queue) => {
      const checked = await access.check({ actor, action: 'approve-alone', queue });
      return checked.ok && checked.role === 'admin';
    },
    ...(queueDeps.logger ? { logger: queueDeps.logger } : {}),
  });
  return { approvals, gates: { queue: queueDeps, preflight, policyFor: settings.policyFor, approvals } };
};
