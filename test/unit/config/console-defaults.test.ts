// What the local console adds to a config: the console user as admin, channels for incidents and the
// L3 page when the config has none, the demo's quick poller; and where the console may run at all.

import { describe, expect, it } from 'vitest';
import { isLoopbackHost, withConsoleDefaults } from '../../../src/config/console-defaults.ts';
import { parseConfig } from '../../../src/config/load-config.ts';

const defaults = { userId: 'U0CONSOLE', alertChannel: 'C0ALERTS', l3Channel: 'C0L3', l3UserGroup: 'S0ONCALL', demoPollerIntervalSeconds: 2 };
const parse = (data: unknown) => {
  const result = parseConfig(data);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
};

describe('console defaults', () => {
  it('fills what is missing and keeps what the config says', () => {
    const empty = withConsoleDefaults(parse({}), defaults);
    expect(empty.roles.admins).toEqual(['U0CONSOLE']);
    expect(empty.slack).toMatchObject({ defaultAlertChannel: 'C0ALERTS', l3Channel: 'C0L3', l3UserGroup: 'S0ONCALL' });
    expect(empty.poller.intervalSeconds).toBe(2);
    const configured = parse({ slack: { defaultAlertChannel: 'C0MINE', l3Channel: 'C0PAGE', l3UserGroup: 'S0TEAM' }, roles: { admins: ['U0BOSS'] }, poller: { intervalSeconds: 30 } });
    const kept = withConsoleDefaults(configured, { ...defaults, demoPollerIntervalSeconds: null });
    expect(kept.slack).toMatchObject({ defaultAlertChannel: 'C0MINE', l3Channel: 'C0PAGE', l3UserGroup: 'S0TEAM' });
    expect(kept.roles.admins).toEqual(['U0BOSS', 'U0CONSOLE']);
    expect(kept.poller.intervalSeconds).toBe(30);
    expect(configured.roles.admins).toEqual(['U0BOSS']);
  });

  it('runs only on a loopback host', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'redrive.example.com', '127.0.0.1.example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
