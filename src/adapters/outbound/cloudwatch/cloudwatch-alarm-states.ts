// Reads CloudWatch alarm states for pre-flight checks (DescribeAlarms by name, 100 names a call).
// Needs cloudwatch:DescribeAlarms only; it changes nothing.

import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmState, AlarmStates } from '../../../ports/preflight-probes.port.ts';

const PAGE = 100;

export const createCloudWatchAlarmStates = (client: CloudWatchClient): AlarmStates => ({
  read: async (names) => {
    const states = new Map<string, AlarmState>();
    const unique = [...new Set(names)];
    for (let i = 0; i < unique.length; i += PAGE) {
      const out = await client.send(new DescribeAlarmsCommand({ AlarmNames: unique.slice(i, i + PAGE), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: PAGE }));
      for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
        if (alarm.AlarmName) states.set(alarm.AlarmName, { state: alarm.StateValue ?? 'UNKNOWN', reason: alarm.StateReason ?? null });
      }
    }
    return states;
  },
});
