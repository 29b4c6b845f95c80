// Safe redrive settings per configured queue (issue 14): its pre-flight checks (the lag check's
// topic defaulting to the queue's replay topic) and its approval policy. Shapes match the config's
// queue entries without importing the config module.

import type { ApprovalPolicy } from '../../../core/safety/approval-decision.ts';
import type { PreflightChecks } from './preflight.use-case.ts';

interface SafetyQueue {
  name: string;
  replayTopic?: string;
  preflight?: { alarms: string[]; http: { url: string; timeoutMs: number }[]; consumerLag?: { group: string; topic?: string | undefined; max: number } | undefined } | undefined;
  approval?: { above: number; adminMayApproveAlone: boolean; expiresMinutes: number } | undefined;
}

export interface SafetySettings {
  checksFor(queue: string): PreflightChecks | null;
  policyFor(queue: string): ApprovalPolicy | null;
  /** Some queue checks CloudWatch alarms (the composition root then builds a CloudWatch client). */
  usesAlarms: boolean;
}

export const safetySettings = (queues: readonly SafetyQueue[]): SafetySettings => {
  const checks = new Map<string, PreflightChecks>();
  const policies = new Map<string, ApprovalPolicy>();
  for (const q of queues) {
    const p = q.preflight;
    if (p && (p.alarms.length > 0 || p.http.length > 0 || p.consumerLag)) {
      const lag = p.consumerLag ? { group: p.consumerLag.group, topic: p.consumerLag.topic ?? q.replayTopic ?? '', max: p.consumerLag.max } : null;
      checks.set(q.name, { alarms: p.alarms, http: p.http, consumerLag: lag });
    }
    if (q.approval) policies.set(q.name, { above: q.approval.above, adminMayApproveAlone: q.approval.adminMayApproveAlone, expiresAfterMs: q.approval.expiresMinutes * 60_000 });
  }
  return {
    checksFor: (queue) => checks.get(queue) ?? null,
    policyFor: (queue) => policies.get(queue) ?? null,
    usesAlarms: [...checks.values()].some((c) => c.alarms.length > 0),
  };
};
