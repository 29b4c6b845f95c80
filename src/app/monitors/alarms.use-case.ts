// alarms: makes sure the queue's CloudWatch depth alarm exists (idempotent), then lists the queue's
// alarms; audited. SQS queues only; rendering the result is the caller's.

import { RedriveError } from '../../errors.ts';
import type { AlarmSummary } from '../../ports/queue-backend.port.ts';
import { audited } from '../shared/audit-trail.ts';
import type { QueueDeps } from '../shared/queue-deps.ts';

export interface AlarmsOutcome {
  /** What happened to the depth alarm: created, updated, or already as configured. */
  result: 'created' | 'updated' | 'unchanged';
  alarms: AlarmSummary[];
}

export const ensureQueueAlarms = async (deps: QueueDeps, request: { queue: string; actor: string }): Promise<AlarmsOutcome> => {
  const alarms = deps.registry.get(request.queue).alarms;
  if (!alarms) throw new RedriveError('DLQ_OPERATION_UNSUPPORTED', `${request.queue} has no CloudWatch alarms (SQS queues only).`);
  return audited(deps, { action: 'alarms', queue: request.queue, actor: request.actor }, async () => {
    const ensured = await alarms.ensureDepthAlarm();
    return { result: ensured.result, alarms: await alarms.list() };
  });
};
