import { describe, expect, it } from 'vitest';
import { mapMessage } from '../../../src/core/analysis/field-mapping.ts';
import { matchRunbookPattern, RUNBOOK_PATTERNS, type RunbookPatternId } from '../../../src/core/analysis/runbook-patterns.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES, type RunbookExampleName } from '../../fixtures/download-dlq-body.ts';

describe('matchRunbookPattern: the Kafka runbook examples', () => {
  it.each<[RunbookExampleName, RunbookPatternId, boolean]>([
    ['expiredUrl', 'expired-url', false],
    ['fileType', 'file-type-not-allowed', false],
    ['timeout', 'transient-exhausted', true],
    ['oneLakeAuth', 'upload-auth', true],
    ['sslCertificate', 'ssl-certificate', true],
  ])('%s → %s', (name, id, replayable) => {
    const mapped = mapMessage(downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES[name], traceId: 'evt-1', failedAt: new Date('2024-12-27T10:00:00Z') }));
    const pattern = matchRunbookPattern(mapped);
    expect(pattern.id).toBe(id);
    expect(pattern.replayable).toBe(replayable);
  });

  it('suggests the runbook actions', () => {
    expect(RUNBOOK_PATTERNS['expired-url'].action).toMatch(/resolve, or replay with a new URL/);
    expect(RUNBOOK_PATTERNS['file-type-not-allowed'].action).toMatch(/resolve if the rejection is right, else change the allowlist and replay/);
    expect(RUNBOOK_PATTERNS['transient-exhausted'].action).toBe('Replay once the source is healthy.');
    expect(RUNBOOK_PATTERNS['upload-auth'].action).toMatch(/check OneLake\/Azure auth and quota, then replay/);
    for (const [id, pattern] of Object.entries(RUNBOOK_PATTERNS)) {
      expect(pattern.id).toBe(id);
      expect(pattern.title.length).toBeGreaterThan(0);
      expect(pattern.runbookRef).toMatch(/^(Kafka|SQS) DLQ runbook, /);
    }
  });
});

describe('matchRunbookPattern: error texts', () => {
  it.each<[string, RunbookPatternId]>([
    // Kafka runbook, patterns 1-5 and their variants.
    ['HTTP 404: Not Found - URL no longer available', 'expired-url'],
    ['HTTP 410: Gone', 'expired-url'],
    ['File not found (404) - URL returned 404 Not Found after 4 retry attempts', 'expired-url'],
    ['AccessDenied: Request has expired', 'expired-url'],
    ['NoSuchKey: The specified key does not exist.', 'expired-url'],
    ['File type validation failed: .exe not in allowed types [.pdf, .xml, .jpg, .png]', 'file-type-not-allowed'],
    ['File type .exe not allowed', 'file-type-not-allowed'],
    ['HTTP 415 Unsupported Media Type', 'file-type-not-allowed'],
    ['Connection timeout after 30s - retries exhausted (4 attempts)', 'transient-exhausted'],
    ['HTTP 503: Service Unavailable', 'transient-exhausted'],
    ['Service temporarily unavailable', 'transient-exhausted'],
    ['connect ECONNREFUSED 10.0.0.1:443', 'transient-exhausted'],
    ['socket hang up', 'transient-exhausted'],
    ['OneLake upload failed: AuthenticationError - Token expired', 'upload-auth'],
    ['Delta write failed after 4 retries: Connection to OneLake timed out', 'upload-auth'],
    ['Azure storage quota exceeded for account', 'upload-auth'],
    ['SSL certificate verification failed', 'ssl-certificate'],
    ['[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired', 'ssl-certificate'],
    // SQS runbook root causes.
    ['HTTP 429 Too Many Requests', 'rate-limited'],
    ['ThrottlingException: Rate exceeded', 'rate-limited'],
    ['API quota exceeded for project', 'rate-limited'],
    ['Task timed out after 30.03 seconds', 'timeout'],
    ['Runtime exited with error: signal: killed Runtime.OutOfMemory', 'timeout'],
    ['JSONDecodeError: Expecting value: line 1 column 1 (char 0)', 'data-format'],
    ['SyntaxError: Unexpected token } in JSON at position 42', 'data-format'],
    ['ValidationError: missing required field "city"', 'data-format'],
    ["KeyError: 'job_id'", 'data-format'],
    ['An error occurred (AccessDenied) when calling the PutObject operation: Access Denied', 'access-denied'],
    ['User: arn:aws:sts::1:assumed-role/x is not authorized to perform: states:StartExecution', 'access-denied'],
    ["TypeError: Cannot read properties of undefined (reading 'city')", 'lambda-error'],
    ['Traceback (most recent call last): ZeroDivisionError: division by zero', 'lambda-error'],
    // URLs are not read for status codes; unknown text is unknown.
    ['Failed for https://example.com/404/file.pdf', 'unknown'],
    ['the frobnicator declined', 'unknown'],
  ])('%j → %s', (errorText, id) => {
    expect(matchRunbookPattern({ errorText }).id).toBe(id);
  });

  it.each<[Parameters<typeof matchRunbookPattern>[0], RunbookPatternId]>([
    [{ errorText: null }, 'no-error-info'],
    [{ errorText: '   ' }, 'no-error-info'],
    [{ errorText: null, errorType: 'Runtime.ExitError' }, 'lambda-error'],
    [{ errorText: "'url'", errorType: 'KeyError' }, 'data-format'],
    [{ errorText: 'mystery', errorType: 'CustomThing' }, 'lambda-error'],
    // Runbook symptoms when the text says nothing known: transient and retried 4 times → Pattern 3.
    [{ errorText: 'mystery', errorCategory: 'transient', retryCount: 4 }, 'transient-exhausted'],
    [{ errorText: 'mystery', errorCategory: 'transient', retryCount: 1 }, 'unknown'],
    [{ errorText: 'mystery', errorCategory: 'permanent', retryCount: 0 }, 'unknown'],
  ])('%j → %s', (input, id) => {
    expect(matchRunbookPattern(input).id).toBe(id);
  });
});
