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

  it('treats connection failures as unreachable and retriable, with ids only in the context', () => {
    const error = translateAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'GetQueueAttributes', { queue: 'q1' });
    expect(error.code).toBe('DLQ_UNREACHABLE');
    expect(error.retriable).toBe(true);
    expect(error.context).toMatchObject({ queue: 'q1' });
  });
});
