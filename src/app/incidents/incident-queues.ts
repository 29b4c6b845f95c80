// Incident settings per configured queue: its escalation policy (preset plus overrides) and the
// channel its incidents post to (the queue's alert channel, else the default). Shapes match the
// config's queue entries without importing the config module.

import { resolvePolicy, type EscalationOverrides } from '../../core/escalation/presets.ts';
import type { IncidentQueue } from './incident-notifications.ts';

export const incidentQueues = (
  queues: readonly { name: string; alertChannel?: string | undefined; escalation: EscalationOverrides }[],
  defaultChannel: string | null,
): IncidentQueue[] =>
  queues.map((q) => ({ name: q.name, policy: resolvePolicy(q.escalation), channel: q.alertChannel ?? defaultChannel }));
