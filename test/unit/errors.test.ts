import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, RedriveError, errorCodes, isUserMistake } from '../../src/errors.ts';

describe('error catalogue', () => {
  it('has unique AREA_WHAT codes, each with a hint a person can act on', () => {
    const codes = errorCodes();
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]+_[A-Z_]+$/);
      expect(ERROR_CATALOGUE[code].hint).toMatch(/\.$/);
    }
  });

  it('carries retriable and context ids, and one sentence for the user', () => {
    const error = new RedriveError('DLQ_UNREACHABLE', 'SQS did not answer for queue frontier-dlq.', { context: { queue: 'frontier-dlq' } });
    expect(error.retriable).toBe(true);
    expect(error.context).toEqual({ queue: 'frontier-dlq' });
    expect(error.userMessage()).toMatch(/^SQS did not answer .* check the endpoint/);
  });

  it('tells a user mistake (unknown queue or id, bad arguments, denied) from a fault of Redrive or a backend', () => {
    for (const code of ['QUEUE_UNKNOWN', 'DLQ_MESSAGE_NOT_FOUND', 'CLI_USAGE', 'AUTH_DENIED', 'JOB_NOT_FOUND'] as const) expect(isUserMistake(new RedriveError(code, 'x'))).toBe(true);
    for (const code of ['DLQ_UNREACHABLE', 'DLQ_QUEUE_MISSING', 'STORE_UNAVAILABLE', 'INTERNAL_ERROR', 'DLQ_REPLAY_FAILED'] as const) expect(isUserMistake(new RedriveError(code, 'x'))).toBe(false);
    expect(isUserMistake(new Error('plain'))).toBe(false);
  });
});
