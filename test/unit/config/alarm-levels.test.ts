import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-config.ts';

describe('alerts.sns.alarmLevels', () => {
  it('defaults to none (a firing CloudWatch alarm implies L1) and takes a level per alarm name', () => {
    const defaults = parseConfig({});
    expect(defaults.ok && defaults.config.alerts.sns.alarmLevels).toEqual({});
    const set = parseConfig({ alerts: { sns: { alarmLevels: { 'orders-dlq-critical': 'L2' } } } });
    expect(set.ok && set.config.alerts.sns.alarmLevels).toEqual({ 'orders-dlq-critical': 'L2' });
  });

  it('refuses a level that is not L1, L2 or L3', () => {
    const bad = parseConfig({ alerts: { sns: { alarmLevels: { x: 'L4' } } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(['alerts.sns.alarmLevels.x']);
  });
});
