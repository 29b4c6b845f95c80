// Builds the SQS client from the `aws` config slice. Credentials come from the SDK's default chain
// (environment, profile, role) unless the composition root or a test passes them in.

import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClientSettings {
  region: string;
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
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
