// Credentials from STS AssumeRole for one role (+ external id, session name), shared by every client
// that signs with them. Refreshed before they expire: a call within `refreshMarginMs` of the expiry
// assumes the role again; concurrent calls share one AssumeRole request. The SDK clients also cache
// what this returns until 5 minutes before `expiration`, then ask again.
// Security: the keys are never logged; failures carry the role ARN only.

import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../../../ports/clock.port.ts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '../sqs/sqs-client.ts';
import { translateAwsError } from '../sqs/sqs-errors.ts';

export interface AssumeRoleSettings {
  roleArn: string;
  externalId: string | null;
  sessionName: string;
  /** Lifetime asked of STS (default 3600 s; the role's maximum session duration caps it). */
  durationSeconds?: number;
  /** Assume again when the credentials expire within this (default 5 minutes, as the SDK). */
  refreshMarginMs?: number;
}

const DEFAULT_DURATION_SECONDS = 3600;
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export interface AssumedRoleCredentials {
  provider: AwsCredentialIdentityProvider;
  /** AssumeRole calls made so far (tests, metrics). */
  readonly assumeCount: number;
}

export const assumedRoleCredentials = (sts: Pick<STSClient, 'send'>, settings: AssumeRoleSettings, clock: Clock): AssumedRoleCredentials => {
  const margin = settings.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  let current: AwsCredentialIdentity | null = null;
  let pending: Promise<AwsCredentialIdentity> | null = null;
  let assumeCount = 0;

  const assume = async (): Promise<AwsCredentialIdentity> => {
    assumeCount += 1;
    try {
      const output = await sts.send(
        new AssumeRoleCommand({
          RoleArn: settings.roleArn,
          RoleSessionName: settings.sessionName,
          DurationSeconds: settings.durationSeconds ?? DEFAULT_DURATION_SECONDS,
          ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
        }),
      );
      const c = output.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
      };
    } catch (error) {
      throw translateAwsError(error, `AssumeRole ${settings.roleArn}`, { roleArn: settings.roleArn });
    }
  };

  const fresh = (credentials: AwsCredentialIdentity | null): credentials is AwsCredentialIdentity =>
    credentials !== null && (credentials.expiration === undefined || credentials.expiration.getTime() - clock.now().getTime() > margin);

  const provider: AwsCredentialIdentityProvider = async () => {
    if (fresh(current)) return current;
    pending ??= assume().then(
      (credentials) => {
        current = credentials;
        pending = null;
        return credentials;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };

  return {
    provider,
    get assumeCount() {
      return assumeCount;
    },
  };
};
