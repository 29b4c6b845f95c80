// What each runbook tells the on-call engineer to do at each level, shown in the thread when an
// incident enters the level. Text from seeds/ (SQS "Escalation Procedures", Kafka triage and
// "Escalation Criteria"), phrased for the buttons and /dlq commands that do the same.

import type { Level } from '../model.ts';
import type { PresetName } from './presets.ts';

const STEPS: Record<PresetName, Partial<Record<Level, readonly string[]>>> = {
  'sqs-runbook': {
    L1: ['Analyze the DLQ (Analyze button or /dlq analyze).', 'Check recent deployments and changes.', 'Review the logs for the common error pattern.', 'Once the cause is fixed, Redrive all.'],
    L2: ['Stop Step Functions executions if necessary.', 'Investigate the root cause in logs and metrics.', 'Fix the critical issue with the development team.', 'Plan a phased reprocessing (/dlq redrive-batch --count N).'],
    L3: ['Start incident response and tell stakeholders.', 'Put temporary workarounds in place.', 'Coordinate a cross-team resolution.', 'Plan the full message recovery.'],
  },
  'kafka-runbook': {
    L1: ['Peek and Analyze: error categories, domains, retry counts.', 'Match the runbook pattern (expired URL, file type, timeout, upload auth).', 'Replay what a healthy source can take; resolve permanent failures with a reason.'],
    L2: ['Investigate immediately: DLQ growth above 10 messages a minute.', 'Look for one domain or one error across many messages (systematic failure).', 'Pause the failing worker if failures keep coming, then fix the root cause.'],
    L3: ['Escalate to L3 engineering with the information in the page.', 'Pause consumption if the failure is systematic.', 'Bulk replay only after the fix, watching for replays coming back.'],
  },
};

export const runbookSteps = (preset: PresetName, level: Level): readonly string[] => STEPS[preset][level] ?? [];
