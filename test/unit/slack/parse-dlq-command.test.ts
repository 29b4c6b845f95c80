import { describe, expect, it } from 'vitest';
import { DLQ_OPS, parseDlqText, tokenize } from '../../../src/core/command/parse-dlq-command.ts';

describe('parseDlqText', () => {
  it.each([
    ['', { op: 'help' }],
    ['help', { op: 'help' }],
    ['status', { op: 'status', queue: null }],
    ['status frontier-dlq', { op: 'status', queue: 'frontier-dlq' }],
    ['peek q', { op: 'peek', queue: 'q', count: 5 }],
    ['peek q --count 20', { op: 'peek', queue: 'q', count: 20 }],
    ['peek q --count=3', { op: 'peek', queue: 'q', count: 3 }],
    ['view q evt-abc-123', { op: 'view', queue: 'q', id: 'evt-abc-123' }],
    ['view q 0:12345', { op: 'view', queue: 'q', id: '0:12345' }],
    ['analyze q', { op: 'analyze', queue: 'q' }],
    ['replay q evt-1', { op: 'replay', queue: 'q', id: 'evt-1' }],
    ['replay q 0:2 --to orders.v1', { op: 'replay', queue: 'q', id: '0:2', to: 'orders.v1' }],
    ['resolve q evt-1', { op: 'resolve', queue: 'q', id: 'evt-1', reason: null }],
    ['resolve q evt-1 --reason "exe is spam"', { op: 'resolve', queue: 'q', id: 'evt-1', reason: 'exe is spam' }],
    ['resolve q evt-1 --reason “smart quotes”', { op: 'resolve', queue: 'q', id: 'evt-1', reason: 'smart quotes' }],
    ['redrive-all q', { op: 'redrive-all', queue: 'q', rate: null }],
    ['redrive-all q --rate 10', { op: 'redrive-all', queue: 'q', rate: 10 }],
    ['redrive-batch q --count 10', { op: 'redrive-batch', queue: 'q', count: 10, rate: null }],
    ['redrive-batch q --count 10 --rate 2.5', { op: 'redrive-batch', queue: 'q', count: 10, rate: 2.5 }],
    ['redrive-all q --override "alarm is stale"', { op: 'redrive-all', queue: 'q', rate: null, override: 'alarm is stale' }],
    ['redrive-batch q --count 10 --override “fixed in deploy 412”', { op: 'redrive-batch', queue: 'q', count: 10, rate: null, override: 'fixed in deploy 412' }],
    ['approve q 1b2c', { op: 'approve', queue: 'q', requestId: '1b2c' }],
    ['reject q 1b2c', { op: 'reject', queue: 'q', requestId: '1b2c' }],
    ['redrive-batch q --count 10 --canary 3', { op: 'redrive-batch', queue: 'q', count: 10, rate: null, canary: 3 }],
    ['redrive-batch q --count 10 --canary 0', { op: 'redrive-batch', queue: 'q', count: 10, rate: null, canary: 0 }],
    ['redrive-all q --canary 5', { op: 'redrive-all', queue: 'q', rate: null, canary: 5 }],
    ['monitor q', { op: 'monitor', queue: 'q', intervalSeconds: 30 }],
    ['monitor q --interval 60', { op: 'monitor', queue: 'q', intervalSeconds: 60 }],
    ['stop-monitor q', { op: 'stop-monitor', queue: 'q' }],
    ['report', { op: 'report', days: 7 }],
    ['report --days 30', { op: 'report', days: 30 }],
    ['alarms q', { op: 'alarms', queue: 'q' }],
    ['audit', { op: 'audit', ref: null }],
    ['audit evt-1', { op: 'audit', ref: 'evt-1' }],
    ['jobs', { op: 'jobs', queue: null }],
    ['jobs frontier-dlq', { op: 'jobs', queue: 'frontier-dlq' }],
    ['cancel 3f2a9c1e-0b7d-4a51-9e36-2c8d1f0a4b77', { op: 'cancel', jobId: '3f2a9c1e-0b7d-4a51-9e36-2c8d1f0a4b77' }],
    ['  PEEK   q  ', { op: 'peek', queue: 'q', count: 5 }],
    ['help peek', { op: 'help', topic: 'peek' }],
    ['peek --help', { op: 'help', topic: 'peek' }],
    ['resolve-batch q --count 10', { op: 'resolve-batch', queue: 'q', count: 10, rate: null, reason: null }],
    [
      'resolve-batch q --category Permanent --reason "not retryable"',
      { op: 'resolve-batch', queue: 'q', count: null, rate: null, filter: { category: 'permanent', domain: null, signature: null, olderThanSeconds: null }, reason: 'not retryable' },
    ],
    ['resolve-batch q --replayed-before now', { op: 'resolve-batch', queue: 'q', count: null, rate: null, replayedBefore: { agoSeconds: 0 }, reason: null }],
    ['resolve-batch q --replayed-before 2h', { op: 'resolve-batch', queue: 'q', count: null, rate: null, replayedBefore: { agoSeconds: 7_200 }, reason: null }],
    ['resolve-batch q --replayed-before 2026-12-04T15:00Z', { op: 'resolve-batch', queue: 'q', count: null, rate: null, replayedBefore: { at: '2026-12-04T15:00:00.000Z' }, reason: null }],
  ])('%j', (text, command) => {
    expect(parseDlqText(text)).toEqual({ ok: true, command });
  });

  it.each([
    ['frobnicate', /Unknown subcommand "frobnicate"/],
    ['peek', /Missing <queue>/],
    ['view q', /Missing <id>/],
    ['peek q --count', /needs a value/],
    ['peek q --count -1', /positive whole number/],
    ['peek q --count 2.5', /positive whole number/],
    ['peek q --count 501', /at most 500/],
    ['peek q --colour red', /Unknown option --colour/],
    ['redrive-batch q', /needs --count/],
    ['redrive-all q --override', /--override needs a value/],
    ['peek q --override why', /Unknown option --override/],
    ['approve q', /Missing <request-id>/],
    ['resolve-batch q', /resolve-batch needs --count N, or a filter/],
    ['resolve-batch q --reason "x"', /resolve-batch needs --count N/],
    ['resolve-batch q --replayed-before yesterday', /--replayed-before is a time/],
    ['resolve-batch q --replayed-before 2026-13-45', /--replayed-before is a time/],
    ['help frobnicate', /Unknown subcommand "frobnicate"/],
    ['redrive-batch q --count 10 --canary -1', /--canary must be a whole number from 0/],
    ['redrive-batch q --count 10 --canary 2.5', /--canary must be a whole number from 0/],
    ['redrive-all q --canary 5000', /--canary must be a whole number from 0 to 1000/],
    ['redrive-all q --rate 501', /at most 500/],
    ['analyze q extra', /Too many arguments/],
    ['cancel', /Missing <job-id>/],
    ['cancel a b', /Too many arguments/],
    ['jobs q extra', /Too many arguments/],
    ['jobs --rate 5', /Unknown option --rate/],
  ])('rejects %j with usage help', (text, message) => {
    const result = parseDlqText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      expect(result.usage.length).toBeGreaterThan(0);
    }
  });

  it('documents every operation of the spec', () => {
    expect(Object.keys(DLQ_OPS).sort()).toEqual(
      [
        'alarms', 'analyze', 'approve', 'audit', 'cancel', 'help', 'history', 'jobs', 'monitor', 'peek', 're-execute', 'redrive-all', 'redrive-batch', 'replay',
        'reject', 'report', 'resolve', 'resolve-batch', 'resume', 'status', 'stop-monitor', 'view',
      ].sort(),
    );
  });

  it('tokenizes quotes', () => {
    expect(tokenize(`a "b c" 'd e' f`)).toEqual(['a', 'b c', 'd e', 'f']);
  });
});
