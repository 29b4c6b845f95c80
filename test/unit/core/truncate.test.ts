import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../src/core/text/escape-mrkdwn.ts';
import { truncate } from '../../../src/core/text/truncate.ts';

const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['a'.repeat(100), 40, `${'a'.repeat(18)}… [truncated 82 chars]`],
    ['a'.repeat(1000), 40, `${'a'.repeat(17)}… [truncated 983 chars]`],
    ['abcdef', 3, 'abc'],
    ['', 0, ''],
  ])('%j to %i', (text, max, expected) => {
    const out = truncate(text, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });

  it('takes a fixed marker', () => {
    expect(truncate('abcdefghij', 6, '…')).toBe('abcde…');
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀😀😀😀`;
    for (let max = 0; max <= text.length; max += 1) {
      const out = truncate(text, max, '…');
      expect(out.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(out)).toBe(false);
    }
  });

  it('never cuts an escaped entity in half', () => {
    const escaped = escapeMrkdwn('a<b>&c'.repeat(10));
    for (let max = 1; max < escaped.length; max += 1) {
      const out = truncate(escaped, max, '…');
      expect(out.slice(0, -1)).not.toMatch(/&(?:a|am|amp|l|lt|g|gt)?$/);
    }
  });

  it('stays within max and keeps a prefix of the input, for all inputs', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 0, max: 300 }), (text, max) => {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(hasLoneSurrogate(out)).toBe(false);
        if (text.length <= max) expect(out).toBe(text);
        else {
          const kept = out.replace(/… \[truncated \d+ chars\]$/, '');
          expect(text.startsWith(kept)).toBe(true);
          const removed = /truncated (\d+) chars/.exec(out)?.[1];
          if (removed !== undefined) expect(Number(removed)).toBe(text.length - kept.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
