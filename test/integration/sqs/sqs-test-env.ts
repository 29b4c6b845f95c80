// Shared set-up for the SQS integration tests: the ElasticMQ and moto endpoints the integration global
// setup provides (`inject('services')`), and an SQS client on them. Files wrap their tests in
// `describe.skipIf(!services)`: services are null only outside CI when they could not start.
// Tests only, never imported by src.

import { inject } from 'vitest';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../../src/adapters/outbound/sqs/sqs-client.ts';
import { dummyAwsCredentials, requireServices, type ServiceEndpoints } from '../../support/services.ts';

export * from './sqs-queues.ts';

export type SqsEndpoint = ServiceEndpoints['sqs'];

/** The real services (ElasticMQ, moto...) from test/integration/global-setup.ts. */
export const services: ServiceEndpoints | null = inject('services');

export const TEST_CREDENTIALS = dummyAwsCredentials;

/** ElasticMQ; throws a clear error when the services are not running (use inside skipIf blocks). */
export const sqsEndpoint = (): SqsEndpoint => requireServices(services).sqs;

/** moto (CloudWatch, Step Functions). */
export const motoEndpoint = (): ServiceEndpoints['moto'] => requireServices(services).moto;

export const testSqsClient = (maxAttempts = 2): SQSClient => {
  const { endpoint, region } = sqsEndpoint();
  return createSqsClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts });
};
