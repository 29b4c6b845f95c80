// The one place AWS clients are built: SQS, CloudWatch and Step Functions per credential set (a
// queue's region + the role it assumes), cached, so queues with the same role and region share their
// clients and one AssumeRole. Every adapter that calls AWS for a queue (DLQ, replay, alarms, metrics,
// pre-flight checks) takes its client from here: `clientsFor(queue access)`.
// Security: credentials come from the SDK's default chain or from STS; none is logged.

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../../config/config.schema.ts';
import { accessKey, type AwsAccess } from '../../../config/aws-credential-sets.ts';
import type { Clock } from '../../../ports/clock.port.ts';
import { createCloudWatchClient } from '../cloudwatch/cloudwatch-client.ts';
import { createSfnClient } from '../stepfunctions/sfn-replay-target.ts';
import { createSqsClient, type AwsCredentials } from '../sqs/sqs-client.ts';
import { assumedRoleCredentials } from './assumed-role-credentials.ts';

export interface AwsClients {
  access: AwsAccess;
  /** What the clients sign with: undefined = the SDK's default chain; a provider for an assumed role. */
  credentials: AwsCredentials | undefined;
  sqs(): SQSClient;
  cloudwatch(): CloudWatchClient;
  sfn(): SFNClient;
}

export interface AwsClientFactory {
  clientsFor(access: AwsAccess): AwsClients;
  /** Credential sets built so far (tests, `check-config`). */
  readonly sets: number;
  destroy(): void;
}

const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

export const createAwsClientFactory = (
  aws: Config['aws'],
  deps: { clock: Clock; /** Keys used directly or to call STS (tests); default the SDK chain. */ baseCredentials?: AwsCredentials | undefined },
): AwsClientFactory => {
  const cache = new Map<string, AwsClients & { destroy(): void }>();
  const build = (access: AwsAccess): AwsClients & { destroy(): void } => {
    const built: { destroy(): void }[] = [];
    const track = <T extends { destroy(): void }>(client: T): T => {
      built.push(client);
      return client;
    };
    let credentials = deps.baseCredentials;
    if (access.roleArn !== null) {
      const sts = track(new STSClient({ region: access.region, ...(aws.stsEndpoint ? { endpoint: aws.stsEndpoint } : {}), ...(deps.baseCredentials ? { credentials: deps.baseCredentials } : {}) }));
      credentials = assumedRoleCredentials(sts, { roleArn: access.roleArn, externalId: access.externalId, sessionName: access.sessionName }, deps.clock).provider;
    }
    const settings = { region: access.region, credentials };
    return {
      access,
      credentials,
      sqs: lazy(() => track(createSqsClient({ ...settings, endpoint: aws.sqsEndpoint }))),
      cloudwatch: lazy(() => track(createCloudWatchClient({ ...settings, endpoint: aws.cloudwatchEndpoint, protocol: aws.cloudwatchProtocol }))),
      sfn: lazy(() => track(createSfnClient({ ...settings, endpoint: aws.stepFunctionsEndpoint }))),
      destroy: () => built.forEach((client) => client.destroy()),
    };
  };
  return {
    clientsFor(access) {
      const key = accessKey(access);
      let clients = cache.get(key);
      if (!clients) {
        clients = build(access);
        cache.set(key, clients);
      }
      return clients;
    },
    get sets() {
      return cache.size;
    },
    destroy() {
      for (const clients of cache.values()) clients.destroy();
      cache.clear();
    },
  };
};
