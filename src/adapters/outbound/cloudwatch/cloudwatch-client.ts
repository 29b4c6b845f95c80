// Builds the CloudWatch client with the configured wire protocol: the SDK's RPC v2 CBOR by default,
// AWS JSON 1.0 or Query for emulators (moto speaks those, not CBOR). See shared/RECIPES.md.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AwsJson1_0Protocol, AwsQueryProtocol } from '@aws-sdk/core';
import type { AwsCredentials } from '../sqs/sqs-client.ts';

export type CloudWatchProtocol = 'cbor' | 'json' | 'query';

export interface CloudWatchSettings {
  region: string;
  endpoint?: string | undefined;
  protocol: CloudWatchProtocol;
  credentials?: AwsCredentials | undefined;
  maxAttempts?: number | undefined;
}

const protocolFor = (protocol: CloudWatchProtocol) => {
  switch (protocol) {
    case 'json':
      return new AwsJson1_0Protocol({
        defaultNamespace: 'com.amazonaws.cloudwatch',
        serviceTarget: 'GraniteServiceVersion20100801',
        awsQueryCompatible: true,
      });
    case 'query':
      return new AwsQueryProtocol({
        defaultNamespace: 'com.amazonaws.cloudwatch',
        xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
        version: '2010-08-01',
      });
    case 'cbor':
      return undefined;
  }
};

export const createCloudWatchClient = (settings: CloudWatchSettings): CloudWatchClient => {
  const protocol = protocolFor(settings.protocol);
  return new CloudWatchClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(protocol ? { protocol } : {}),
    maxAttempts: settings.maxAttempts ?? 3,
  });
};
