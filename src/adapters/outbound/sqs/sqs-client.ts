// Builds the SQS client from the `aws` config slice. Credentials come from the SDK's default chain
// (environment, profile, role) unless the composition root or a test passes them in.

import { SQSClient } from '@aws-sdk/client-sqs';

/** Keys as the SDK takes them; `expiration` tells the SDK when to ask the provider again. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;
/** Fixed keys (tests), or a provider the SDK calls when its cached credentials near expiry (assumed roles). */
export type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AwsClientSettings {
  region: string;
  endpoint?: string | undefined;
  credentials?: AwsCredentials | undefined;
  /** SDK retry attempts (default 3); tests use 1 so failures show at once. */
  maxAttempts?: number | undefined;
}

export const createSqsClient = (settings: AwsClientSettings): SQSClient =>
  new SQSClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: settings.maxAttempts ?? 3,
  });
