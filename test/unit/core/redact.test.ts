import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactJson, redactSecrets } from '../../../src/core/text/redact.ts';

const R = REDACTED;

describe('redactSecrets', () => {
  it.each([
    // Presigned URLs: the signature and credentials go, the expiry stays (it explains a 404/403).
    [
      'https://b.s3.amazonaws.com/k.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20241227%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20241227T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=9f8e7d6c5b4a',
      `https://b.s3.amazonaws.com/k.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${R}&X-Amz-Date=20241227T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=${R}`,
    ],
    ['https://x/k?X-Amz-Security-Token=IQoJb3JpZ2luX2Vj&a=1', `https://x/k?X-Amz-Security-Token=${R}&a=1`],
    ['https://x/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=abc%2Bdef', `https://x/k?AWSAccessKeyId=${R}&Expires=1&Signature=${R}`],
    [
      'https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&se=2024-12-27T10%3A00Z&sr=b&sp=r&sig=AbCd%2BEf%3D',
      `https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&se=2024-12-27T10%3A00Z&sr=b&sp=r&sig=${R}`,
    ],
    ['https://storage.googleapis.com/b/o?X-Goog-Signature=abcd', `https://storage.googleapis.com/b/o?X-Goog-Signature=${R}`],
    // Credentials.
    ['call failed: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', `call failed: Bearer ${R}`],
    ['Bearer abcDEF123456789', `Bearer ${R}`],
    ['Basic dXNlcjpwYXNzd29yZA==', `Basic ${R}`],
    ['Authorization: Bearer abc.def.ghi\nnext line', `Authorization: ${R}\nnext line`],
    ['authorization=Token 123456', `authorization=${R}`],
    ['x-api-key: 0123456789abcdef', `x-api-key: ${R}`],
    ['token xoxb-1234567890-0987654321-AbCdEfGhIjKl used', `token ${R} used`],
    ['xoxp-123-456-789-abcdef and xapp-1-A123-456-abcdef', `${R} and ${R}`],
    ['https://hooks.slack.com/services/T000/B000/XXXXXXXX', `https://hooks.slack.com/services/${R}`],
    ['key AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A', `key ${R} and ${R}`],
    ['postgres://app:s3cr3t@db:5432/x', `postgres://app:${R}@db:5432/x`],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', R],
    // Key-named secrets in text forms.
    ['login password=hunter2 user=bob', `login password=${R} user=bob`],
    ['db_password=x1&next=2', `db_password=${R}&next=2`],
    ['password: hunter2', `password: ${R}`],
    ['{"user": "bob", "password": "hunter2"}', `{"user": "bob", "password": "${R}"}`],
    ['{"clientSecret":"abc\\"def","n":1}', `{"clientSecret":"${R}","n":1}`],
    ['{"api_key": 12345, "ok": true}', `{"api_key": "${R}", "ok": true}`],
    ['{"Cause": "{\\"password\\":\\"hunter2\\",\\"a\\":1}"}', `{"Cause": "{\\"password\\":\\"${R}\\",\\"a\\":1}"}`],
    ["{'password': 'hunter2', 'user': 'bob'}", `{'password': '${R}', 'user': 'bob'}`],
    // Words that look like credentials but are not.
    ['OneLake upload failed: AuthenticationError - Token expired', 'OneLake upload failed: AuthenticationError - Token expired'],
    ['Basic authentication failed; Bearer token expired', 'Basic authentication failed; Bearer token expired'],
    ['HTTP 404: Not Found - URL no longer available', 'HTTP 404: Not Found - URL no longer available'],
    ['retry_count=4 error_category=transient', 'retry_count=4 error_category=transient'],
    ['{"trace_id": "evt-abc-123", "tokens_used": 5}', '{"trace_id": "evt-abc-123", "tokens_used": 5}'],
  ])('%j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('hides configured keys in JSON, key=value and key: value forms', () => {
    const options = { jsonKeys: ['ssn', 'Customer_Email'] };
    expect(redactSecrets('{"ssn": "123-45-6789", "customer_email": "a@b.c", "name": "x"}', options)).toBe(
      `{"ssn": "${R}", "customer_email": "${R}", "name": "x"}`,
    );
    expect(redactSecrets('ssn=123456789 name=x', options)).toBe(`ssn=${R} name=x`);
    expect(redactSecrets('SSN: 123456789', options)).toBe(`SSN: ${R}`);
    expect(redactSecrets('{"ssn": "1"}')).toBe('{"ssn": "1"}');
  });

  const fragments = fc.constantFrom(
    'password=hunter2', '"password": "p w"', "'secret': 'x'", 'Bearer abcDEF123456', 'Authorization: Basic dXNlcjpw',
    'xoxb-123456-abcdef', 'AKIAIOSFODNN7EXAMPLE', 'https://x/y?X-Amz-Signature=abc&sig=def', 'https://u:pw@host/p',
    '{"api_key":1}', '\\"token\\":\\"t\\"', 'HTTP 404: Not Found', 'Token expired', ' ', '\n', ',', '&', '=', ':', '"', "'",
  );
  const mixed = fc.array(fc.oneof(fragments, fc.string({ maxLength: 12 })), { maxLength: 12 }).map((parts) => parts.join(''));

  const benign = fc
    .array(fc.oneof(fc.constantFrom(' ', '\n', ',', '&', '=', ':', '"', "'", '{', '}', 'HTTP 404: Not Found'), fc.string({ maxLength: 8 })), { maxLength: 10 })
    .map((parts) => parts.join(''));

  it('is idempotent', () => {
    fc.assert(
      fc.property(mixed, (text) => {
        const once = redactSecrets(text, { jsonKeys: ['ssn'] });
        expect(redactSecrets(once, { jsonKeys: ['ssn'] })).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets a known secret value through', () => {
    fc.assert(
      fc.property(benign, benign, fc.constantFrom('password=hunter2', 'Bearer abcDEF123456', 'xoxb-123456-abcdef', 'AKIAIOSFODNN7EXAMPLE'), (before, after, planted) => {
        const secret = planted.split(/[= ]/).pop() ?? planted;
        expect(redactSecrets(`${before} ${planted} ${after}`)).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });
});

describe('redactJson', () => {
  it('hides secret keys at any depth and redacts strings, without mutating its input', () => {
    const input = {
      user: 'bob',
      password: 'hunter2',
      nested: { accessToken: 'abc', list: [{ ssn: '1' }, 'Bearer abcDEF123456'] },
      url: 'https://x/y?X-Amz-Signature=abc',
      retry_count: 4,
      credentials: null,
    };
    const copy = structuredClone(input);
    expect(redactJson(input, ['ssn'])).toEqual({
      user: 'bob',
      password: R,
      nested: { accessToken: R, list: [{ ssn: R }, `Bearer ${R}`] },
      url: `https://x/y?X-Amz-Signature=${R}`,
      retry_count: 4,
      credentials: null,
    });
    expect(input).toEqual(copy);
  });

  it.each([
    ['password', true], ['DB_PASSWORD', true], ['clientSecret', true], ['nextPageToken', true], ['x-auth-token', true],
    ['api_key', true], ['sig', true], ['trace_id', false], ['tokens_used', false], ['error_category', false], ['url', false],
    ['retry_count', false], ['final_error', false], ['se', false],
  ])('isSecretKey(%j) = %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });
});
