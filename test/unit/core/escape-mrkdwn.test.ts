import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/core/text/escape-mrkdwn.ts';
import { toSlackText } from '../../../src/core/text/slack-text.ts';

describe('escapeMrkdwn', () => {
  it.each([
    ['plain text', 'plain text'],
    ['<!channel> deploy now', '&lt;!channel&gt; deploy now'],
    ['<!here>', '&lt;!here&gt;'],
    ['ping <@U123ABC>', 'ping &lt;@U123ABC&gt;'],
    ['<https://evil.example|click here>', '&lt;https://evil.example|click here&gt;'],
    ['<!subteam^S123>', '&lt;!subteam^S123&gt;'],
    ['a & b', 'a &amp; b'],
    ['already &amp; escaped', 'already &amp;amp; escaped'],
    ['*bold* _it_ `code` ~s~', '*bold* _it_ `code` ~s~'],
    ['', ''],
  ])('%j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('never leaves < or > and round-trips through unescaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeMrkdwn(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('toSlackText', () => {
  it('redacts, escapes, then caps', () => {
    const body = '<!channel> fetch https://x.example.com/a?X-Amz-Signature=abc&b=<1> failed, {"ssn": "123"}';
    expect(toSlackText(body, { max: 3000, jsonKeys: ['ssn'] })).toBe(
      '&lt;!channel&gt; fetch https://x.example.com/a?X-Amz-Signature=[REDACTED]&amp;b=&lt;1&gt; failed, {"ssn": "[REDACTED]"}',
    );
    const capped = toSlackText('<'.repeat(100), { max: 42 });
    expect(capped.length).toBeLessThanOrEqual(42);
    expect(capped).toMatch(/^(&lt;)+… \[truncated \d+ chars\]$/);
  });

  it('never lets < or > through and never exceeds max', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 0, max: 400 }), (text, max) => {
        const out = toSlackText(text, { max });
        expect(out).not.toMatch(/[<>]/);
        expect(out.length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });
});
