import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorSignature, MAX_SIGNATURE_LENGTH, NO_ERROR_TEXT } from '../../../src/core/analysis/error-signature.ts';

describe('errorSignature', () => {
  it.each([
    // Kafka runbook examples: already stable, kept as they are (numbers that vary become <n>).
    ['HTTP 404: Not Found - URL no longer available', 'HTTP 404: Not Found - URL no longer available'],
    ['File type validation failed: .exe not in allowed types [.pdf, .xml, .jpg, .png]', 'File type validation failed: .exe not in allowed types [.pdf, .xml, .jpg, .png]'],
    ['Connection timeout after 30s - retries exhausted (4 attempts)', 'Connection timeout after <n>s - retries exhausted (<n> attempts)'],
    ['OneLake upload failed: AuthenticationError - Token expired', 'OneLake upload failed: AuthenticationError - Token expired'],
    ['SSL certificate verification failed', 'SSL certificate verification failed'],
    // HTTP status codes stay in an HTTP context, other numbers go.
    ['File not found (404) - URL returned 404 Not Found after 4 retry attempts', 'File not found (404) - URL returned 404 Not Found after <n> retry attempts'],
    ['HTTP/1.1 503 Service Unavailable', 'HTTP/<n> 503 Service Unavailable'],
    ['status code 429 from api', 'status code 429 from api'],
    ['timed out after 404 ms', 'timed out after <n> ms'],
    // Placeholders.
    ['GET https://a.example.com/x/y.pdf?X-Amz-Signature=abc failed', 'GET <url> failed'],
    ['see www.example.com/help', 'see <url>'],
    ['fetch https://x.example.com/a.pdf, then https://y.example.com/b.pdf.', 'fetch <url>, then <url>.'],
    ["fetch 'https://x.example.com/it's.pdf' failed", "fetch '<url>' failed"],
    ['(at https://en.wikipedia.org/wiki/A_(b)).', '(at <url>).'],
    ['mail ops@example.com', 'mail <email>'],
    ['at 2024-12-25T10:45:00Z and 2024-12-25 10:45:00.123+01:00 and 10:45:07', 'at <time> and <time> and <time>'],
    ['id 550e8400-e29b-41d4-a716-446655440000', 'id <uuid>'],
    ['req a3f9c2e1d4b5 addr 0x7ffee3b1', 'req <hex> addr <hex>'],
    ['from 10.0.0.12:8080', 'from <ip>'],
    ['open /var/task/handler.py failed', 'open <path> failed'],
    ['blob claims/C-789/bad.pdf missing', 'blob <path> missing'],
    ['C:\\Users\\bob\\file.txt locked', '<path> locked'],
    ['user "bob" and \'alice\' denied', 'user "<v>" and \'<v>\' denied'],
    ["KeyError: 'job_id'", "KeyError: '<v>'"],
    ["can't open it", "can't open it"],
    ['trace evt-abc-123 job P67890', 'trace evt-abc-<n> job P<n>'],
    ['v2 S3 sha256 UTF8 x509', 'v2 S3 sha256 UTF8 x509'],
    ['token dGhpc2lzYXZlcnlsb25ndG9rZW4xMjM0NQ', 'token <id>'],
    ['Authorization: Bearer abc.def.ghi', 'Authorization: [REDACTED]'],
    ['login password=hunter2', 'login password=[REDACTED]'],
    // Whitespace and emptiness.
    ['  many \n\t spaces  ', 'many spaces'],
    ['', NO_ERROR_TEXT],
    ['   ', NO_ERROR_TEXT],
  ])('%j', (input, expected) => {
    expect(errorSignature(input)).toBe(expected);
  });

  it('maps null and undefined to the no-error signature', () => {
    expect(errorSignature(null)).toBe(NO_ERROR_TEXT);
    expect(errorSignature(undefined)).toBe(NO_ERROR_TEXT);
  });

  it('groups the same error from messages with different URLs, ids and times', () => {
    const a = errorSignature('HTTP 404: Not Found - URL no longer available (https://a.example.com/f1.pdf, trace evt-abc-123, 2024-12-25T10:00:00Z)');
    const b = errorSignature('HTTP 404: Not Found - URL no longer available (https://b.example.org/x/f2.pdf?sig=1, trace evt-abc-987, 2024-12-26T11:30:00Z)');
    expect(a).toBe(b);
    expect(errorSignature('HTTP 410: Gone')).not.toBe(errorSignature('HTTP 404: Not Found'));
  });

  it('caps long text at a word boundary', () => {
    const long = `${'word '.repeat(200)}end`;
    const signature = errorSignature(long);
    expect(signature.length).toBeLessThanOrEqual(MAX_SIGNATURE_LENGTH);
    expect(signature.endsWith('word…')).toBe(true);
    expect(errorSignature('x'.repeat(10_000)).length).toBeLessThanOrEqual(MAX_SIGNATURE_LENGTH);
  });

  const words = fc.constantFrom('failed', 'upload', 'timeout', 'after', 'Connection', 'to', 'bucket', 'for', 'retry', 'item', 'KeyError', 'x', 'ms');
  const token = fc.oneof(
    words,
    fc.integer({ min: 0, max: 2_000_000_000 }).map(String),
    fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => n.toFixed(2)),
    fc.uuid(),
    fc.webUrl(),
    // Everyday addresses (fc.emailAddress also makes RFC oddities like a0'b@c.io, left alone here).
    fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}$/), fc.stringMatching(/^[a-z0-9-]{1,10}\.[a-z]{2,4}$/)).map(([l, d]) => `${l}@${d}`),
    fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  );
  const sentence = fc.array(token, { minLength: 1, maxLength: 20 }).map((tokens) => tokens.join(' '));

  it('lets no number survive (outside an HTTP status context)', () => {
    fc.assert(
      fc.property(sentence, (text) => {
        expect(errorSignature(text)).not.toMatch(/\d/);
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent, for structured and arbitrary text', () => {
    const anyText = fc.oneof(sentence, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.lorem({ maxCount: 60 }));
    fc.assert(
      fc.property(anyText, (text) => {
        const once = errorSignature(text);
        expect(errorSignature(once)).toBe(once);
        expect(once.length).toBeLessThanOrEqual(MAX_SIGNATURE_LENGTH);
      }),
      { numRuns: 3000 },
    );
  });
});
