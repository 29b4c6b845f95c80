// decidePreflight (issue 14): every check must pass; one that could not be evaluated blocks; an
// override needs a non-empty reason and keeps the failures it overrides.

import { describe, expect, it } from 'vitest';
import { decidePreflight, describeFailures, failureOf, type PreflightObservation } from '../../../src/core/safety/preflight-decision.ts';

const alarm = (state: string | null, extra: Partial<Extract<PreflightObservation, { check: 'alarm' }>> = {}): PreflightObservation => ({ check: 'alarm', name: 'consumer-errors', state, ...extra });
const http = (status: number | null, extra: Partial<Extract<PreflightObservation, { check: 'http' }>> = {}): PreflightObservation => ({ check: 'http', url: 'http://127.0.0.1:9/health', status, elapsedMs: 12, timeoutMs: 500, ...extra });
const lag = (value: number | null, max = 100, extra: Partial<Extract<PreflightObservation, { check: 'consumer-lag' }>> = {}): PreflightObservation => ({ check: 'consumer-lag', group: 'workers', topic: 'downloads.pending', lag: value, max, ...extra });

describe('failureOf', () => {
  it.each([
    [alarm('OK'), null],
    [alarm('ALARM', { reason: 'Threshold Crossed' }), 'state ALARM (Threshold Crossed), not OK'],
    [alarm('INSUFFICIENT_DATA'), 'state INSUFFICIENT_DATA, not OK'],
    [alarm(null), 'alarm not found'],
    [alarm(null, { error: 'CloudWatch DescribeAlarms failed: timeout' }), 'could not be checked: CloudWatch DescribeAlarms failed: timeout'],
    [http(200), null],
    [http(204), null],
    [http(299), null],
    [http(301), 'answered HTTP 301, not 2xx'],
    [http(503), 'answered HTTP 503, not 2xx'],
    [http(null), 'no answer within 500 ms'],
    [http(null, { error: 'unreachable (ECONNREFUSED)' }), 'could not be checked: unreachable (ECONNREFUSED)'],
    [lag(0), null],
    [lag(100), null],
    [lag(101), 'lag 101 messages, above the bound of 100'],
    [lag(null), 'lag unknown'],
    [lag(null, 100, { error: 'group has no committed offset' }), 'could not be checked: group has no committed offset'],
  ])('%o → %s', (observation, expected) => {
    expect(failureOf(observation)).toBe(expected);
  });
});

describe('decidePreflight', () => {
  it('passes with no checks and with every check passing', () => {
    expect(decidePreflight([])).toEqual({ verdict: 'pass', passed: [] });
    const decision = decidePreflight([alarm('OK'), http(200), lag(3)]);
    expect(decision.verdict).toBe('pass');
    expect(decision.passed).toHaveLength(3);
  });

  it('blocks on any failing check, naming each with what it saw', () => {
    const decision = decidePreflight([alarm('ALARM'), http(200), lag(500)]);
    expect(decision).toMatchObject({ verdict: 'blocked', failures: [
      { check: 'alarm', target: 'consumer-errors', saw: 'state ALARM, not OK' },
      { check: 'consumer-lag', target: 'workers on downloads.pending', saw: 'lag 500 messages, above the bound of 100' },
    ] });
    expect(decision.passed).toEqual(['http://127.0.0.1:9/health: HTTP 200 in 12 ms']);
    if (decision.verdict !== 'blocked') throw new Error('not blocked');
    expect(describeFailures(decision.failures)).toBe('alarm consumer-errors: state ALARM, not OK\nconsumer group workers on downloads.pending: lag 500 messages, above the bound of 100');
  });

  it('a check that cannot be evaluated blocks, it never passes by default', () => {
    expect(decidePreflight([alarm(null)]).verdict).toBe('blocked');
    expect(decidePreflight([http(null, { error: 'unreachable' })]).verdict).toBe('blocked');
    expect(decidePreflight([lag(null, 100, { error: 'broker down' })]).verdict).toBe('blocked');
  });

  it('an override needs a non-empty reason and keeps what it overrides', () => {
    expect(decidePreflight([alarm('ALARM')], '   ').verdict).toBe('blocked');
    expect(decidePreflight([alarm('ALARM')], '').verdict).toBe('blocked');
    const decision = decidePreflight([alarm('ALARM')], '  alarm is stale, consumer fixed in deploy 412 ');
    expect(decision).toMatchObject({ verdict: 'overridden', reason: 'alarm is stale, consumer fixed in deploy 412', failures: [{ check: 'alarm' }] });
    expect((decision as { reason: string }).reason.length).toBeLessThanOrEqual(500);
    expect((decidePreflight([alarm('ALARM')], 'x'.repeat(900)) as { reason: string }).reason).toHaveLength(500);
  });

  it('an override changes nothing when every check passes', () => {
    expect(decidePreflight([alarm('OK')], 'just in case').verdict).toBe('pass');
  });
});
