// The Slack request timestamp rule alone: within 5 minutes of the app clock in either direction.
import { describe, expect, it } from 'vitest';
import { checkSlackTimestamp } from '../../../src/adapters/inbound/slack/slack-request-verifier.ts';

const NOW = new Date('2026-06-01T12:00:00.700Z');
const at = (offset: number): string => String(Math.floor(NOW.getTime() / 1000) + offset);

describe('checkSlackTimestamp', () => {
  it.each([-300, -299, 0, 299, 300])('accepts %i s', (offset) => {
    expect(checkSlackTimestamp(at(offset), NOW)).toEqual({ ok: true });
  });

  it.each([
    [-301, 'stale'],
    [-600, 'stale'],
    [301, 'future'],
    [600, 'future'],
    [365 * 24 * 3600, 'future'],
  ] as const)('refuses %i s as %s', (offset, reason) => {
    expect(checkSlackTimestamp(at(offset), NOW)).toEqual({ ok: false, reason });
  });

  it.each([undefined, '', 'abc', '-5', '1e9', ' 1780000000', '1780000000.5', '9'.repeat(20)])('refuses a missing or malformed header %j', (value) => {
    expect(checkSlackTimestamp(value, NOW)).toEqual({ ok: false, reason: 'missing-timestamp' });
  });
});
