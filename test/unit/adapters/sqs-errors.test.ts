// SDK error translation at the AWS boundary: each failure family maps to one catalogue code.

import { describe, expect, it } from 'vitest';
import { translateAwsError } from '../../../src/adapters/outbound/sqs/sqs-errors.ts';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...extra });

describe('translateAwsError', () => {
  it.each([
    ['QueueDoesNotExist', 400, 'DLQ_QUEUE_MISSING'],
    ['AWS.SimpleQueueService.NonExistentQueue', 400, 'DLQ_QUEUE_MISSING'],
    ['StateMachineDoesNotExist', 400, 'DLQ_QUEUE_MISSING'],
    ['InvalidClientTokenId', 403, 'DLQ_ACCESS_DENIED'],
    ['AccessDenied', 403, 'DLQ_ACCESS_DENIED'],
    ['SignatureDoesNotMatch', 403, 'DLQ_ACCESS_DENIED'],
    ['UnrecognizedClientException', 400, 'DLQ_ACCESS_DENIED'],
    ['ServiceUnavailable', 503, 'DLQ_UNREACHABLE'],
    ['InvalidParameterValue', 400, 'INTERNAL_ERROR'],
  ])('%s → %s', (name, status, code) => {
    expect(translateAwsError(sdkError(name, status), 'call').code).toBe(code);
  });

  it('says when no credentials were found at all, rather than that the server refused them', () => {
    const error = translateAwsError(sdkError('CredentialsProviderError', undefined, { message: 'Could not load credentials from any providers' }), 'ReceiveMessage on orders-dlq');
    expect(error.code).toBe('DLQ_ACCESS_DENIED');
    expect(error.message).toBe(
      'ReceiveMessage on orders-dlq: no AWS credentials were found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance or task role).',
    );
    expect(error.retriable).toBe(false);
  });

  it('treats connection failures as unreachable and retriable, with ids only in the context', () => {
    const error = translateAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'GetQueueAttributes', { queue: 'q1' });
    expect(error.code).toBe('DLQ_UNREACHABLE');
    expect(error.retriable).toBe(true);
    expect(error.context).toMatchObject({ queue: 'q1' });
  });
});
