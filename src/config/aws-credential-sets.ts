// Which AWS credentials each SQS queue uses: its region and, when set, the role it assumes (with its
// external id and session name). Queues with the same role and region share one credential set and
// one set of clients. Pure: `check-config` prints it, the client factory keys its cache by it.

import type { Config, SqsQueueConfig } from './config.schema.ts';

export const DEFAULT_ROLE_SESSION_NAME = 'redrive';

export interface AwsAccess {
  region: string;
  /** null: the SDK's default credential chain (environment, profile, instance or task role). */
  roleArn: string | null;
  externalId: string | null;
  sessionName: string;
}

export const awsAccessFor = (aws: Pick<Config['aws'], 'region'>, queue: Pick<SqsQueueConfig, 'region' | 'assumeRoleArn' | 'externalId' | 'roleSessionName'>): AwsAccess => ({
  region: queue.region ?? aws.region,
  roleArn: queue.assumeRoleArn ?? null,
  externalId: queue.assumeRoleArn ? (queue.externalId ?? null) : null,
  sessionName: queue.assumeRoleArn ? (queue.roleSessionName ?? DEFAULT_ROLE_SESSION_NAME) : DEFAULT_ROLE_SESSION_NAME,
});

/** Equal for two queues exactly when they can share credentials and clients. */
export const accessKey = (access: AwsAccess): string => JSON.stringify([access.roleArn, access.externalId, access.sessionName, access.region]);

export interface CredentialSet {
  access: AwsAccess;
  queues: string[];
}

/** The SQS queues grouped by credential set, in config order. */
export const credentialSets = (config: Pick<Config, 'aws' | 'queues'>): CredentialSet[] => {
  const sets = new Map<string, CredentialSet>();
  for (const queue of config.queues) {
    if (queue.kind !== 'sqs') continue;
    const access = awsAccessFor(config.aws, queue);
    const key = accessKey(access);
    const set = sets.get(key) ?? { access, queues: [] };
    set.queues.push(queue.name);
    sets.set(key, set);
  }
  return [...sets.values()];
};

/** "role arn:aws:iam::…:role/x (external id set, session redrive) in eu-west-1: a, b". The external id's value is not printed. */
export const describeCredentialSet = (set: CredentialSet): string => {
  const { access } = set;
  const who =
    access.roleArn === null
      ? 'default AWS credential chain'
      : `role ${access.roleArn} (${access.externalId ? 'external id set, ' : ''}session ${access.sessionName})`;
  return `${who} in ${access.region}: ${set.queues.join(', ')}`;
};
