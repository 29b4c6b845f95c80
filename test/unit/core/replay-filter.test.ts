// Filtered bulk replay: which messages a filter takes (category, domain, signature as analyze groups
// it, age) and how `redrive-batch` / `history` / `re-execute` flags parse, bad input included.

import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_MAPPING } from '../../../src/core/analysis/field-mapping.ts';
import { matchesReplayFilter, NO_FILTER, parseDuration, type ReplayFilter } from '../../../src/core/analysis/replay-filter.ts';
import { parseDlqText } from '../../../src/core/command/parse-dlq-command.ts';
import { runbookExampleMessage, type RunbookExampleName } from '../../fixtures/download-dlq-body.ts';

const now = new Date('2026-03-01T12:00:00Z');
const message = (name: RunbookExampleName, hoursAgo = 3) =>
  runbookExampleMessage(name, { traceId: `evt-${name}`, failedAt: new Date(now.getTime() - hoursAgo * 3_600_000), offset: 1 });
const filter = (parts: Partial<ReplayFilter>): ReplayFilter => ({ ...NO_FILTER, ...parts });
const matches = (name: RunbookExampleName, parts: Partial<ReplayFilter>, hoursAgo?: number) =>
  matchesReplayFilter(message(name, hoursAgo), DEFAULT_FIELD_MAPPING, filter(parts), now);

describe('matchesReplayFilter', () => {
  it.each([
    ['timeout', { category: 'transient' }, true],
    ['timeout', { category: 'TRANSIENT' }, true],
    ['expiredUrl', { category: 'transient' }, false],
    ['timeout', { domain: 'timeout.com' }, true],
    ['oneLakeAuth', { domain: 'example.com' }, true],
    ['oneLakeAuth', { domain: 'ample.com' }, false],
    ['oneLakeAuth', { signature: 'token expired' }, true],
    ['oneLakeAuth', { signature: 'OneLake upload failed: AuthenticationError - Token expired' }, true],
    ['timeout', { signature: 'Connection timeout after 45s' }, true],
    ['fileType', { signature: 'token expired' }, false],
    ['timeout', { category: 'transient', domain: 'example.com' }, false],
  ] as const)('%s with %o → %s', (name, parts, expected) => {
    expect(matches(name, parts)).toBe(expected);
  });

  it('age counts from the failure time in the body', () => {
    expect(matches('timeout', { olderThanSeconds: 2 * 3600 }, 3)).toBe(true);
    expect(matches('timeout', { olderThanSeconds: 2 * 3600 }, 1)).toBe(false);
  });

  it('no filter takes everything, raw bodies included; a filtered field that is missing does not match', () => {
    const raw = { ...message('timeout'), body: 'not json at all', enqueuedAt: null };
    expect(matchesReplayFilter(raw, DEFAULT_FIELD_MAPPING, NO_FILTER, now)).toBe(true);
    expect(matchesReplayFilter(raw, DEFAULT_FIELD_MAPPING, filter({ category: 'transient' }), now)).toBe(false);
    expect(matchesReplayFilter(raw, DEFAULT_FIELD_MAPPING, filter({ olderThanSeconds: 60 }), now)).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([['90s', 90], ['30m', 1800], ['2h', 7200], ['7d', 604_800], ['45', 45], ['1.5h', 5400]] as const)('%s → %i s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  it.each(['', 'soon', '-2h', '0', '2w', 'h'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull());
});

describe('redrive-batch, history, re-execute and resume parsing', () => {
  it('takes filters with or without --count', () => {
    expect(parseDlqText('redrive-batch q --category Transient --domain https://Timeout.com/x --older-than 2h --rate 50')).toEqual({
      ok: true,
      command: { op: 'redrive-batch', queue: 'q', count: null, rate: 50, filter: { category: 'transient', domain: 'timeout.com', signature: null, olderThanSeconds: 7200 } },
    });
    expect(parseDlqText('redrive-batch q --count 5 --signature "HTTP 404"')).toMatchObject({ ok: true, command: { count: 5, filter: { signature: 'HTTP 404' } } });
    expect(parseDlqText('redrive-batch q --count 5')).toEqual({ ok: true, command: { op: 'redrive-batch', queue: 'q', count: 5, rate: null } });
  });

  it.each([
    ['redrive-batch q', /needs --count N, or a filter/],
    ['redrive-batch q --older-than soon', /--older-than must be a duration like 90s, 30m, 2h or 7d, got "soon"/],
    ['redrive-batch q --category "not one word"', /--category is one word/],
    ['redrive-batch q --domain "exa mple"', /--domain is a host name/],
    ['history', /Missing <queue>/],
    ['history q --hours 0', /--hours must be a positive whole number/],
    ['history q --hours 1000', /--hours is at most 360/],
    ['re-execute q', /Missing <id>/],
    ['resume job-1', /Missing <job-id>/],
  ])('%s → usage error', (text, error) => {
    const parsed = parseDlqText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(error);
      expect(parsed.usage).toMatch(/^Usage: \/dlq /);
    }
  });

  it('history defaults to 24 hours; re-execute takes a queue and an id', () => {
    expect(parseDlqText('history q')).toEqual({ ok: true, command: { op: 'history', queue: 'q', hours: 24 } });
    expect(parseDlqText('re-execute q job-1')).toEqual({ ok: true, command: { op: 're-execute', queue: 'q', id: 'job-1' } });
    expect(parseDlqText('resume q 5f0c')).toEqual({ ok: true, command: { op: 'resume', queue: 'q', jobId: '5f0c' } });
  });
});
