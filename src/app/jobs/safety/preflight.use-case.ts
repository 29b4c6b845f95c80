// Pre-flight before a bulk replay starts (issue 14): reads each configured check through its port
// (CloudWatch alarm states, an HTTP health URL, a Kafka consumer group's lag), lets the pure
// decidePreflight judge, and audits what it decided (a block, or an admin's override with the reason).
// It starts nothing; redrive-gates.ts acts on the decision.

import { decidePreflight, describeFailures, type PreflightDecision, type PreflightObservation } from '../../../core/safety/preflight-decision.ts';
import type { AlarmStates, ConsumerGroupLag, HealthProbe } from '../../../ports/preflight-probes.port.ts';
import { writeAudit, type AuditDeps } from '../../shared/audit-trail.ts';

/** One queue's checks, as configured (`preflight:`), with the lag check's topic resolved. */
export interface PreflightChecks {
  alarms: readonly string[];
  http: readonly { url: string; timeoutMs: number }[];
  consumerLag: { group: string; topic: string; max: number } | null;
}

export interface PreflightDeps {
  audit: AuditDeps;
  checksFor(queue: string): PreflightChecks | null;
  /**
   * The queue's CloudWatch (its own region and credentials); null when CloudWatch is not configured:
   * alarm checks then cannot be evaluated (and block).
   */
  alarmsFor(queue: string): AlarmStates | null;
  http: HealthProbe;
  /** The queue's cluster's lag reader; null when the queue is not on Kafka. */
  lagFor(queue: string): ConsumerGroupLag | null;
}

export interface PreflightRequest {
  queue: string;
  actor: string;
  /** An admin's typed reason to start despite failing checks. */
  override: string | null;
  /** What is about to happen (`redrive-all`, `approve`…), for the audit record. */
  purpose: string;
  jobId?: string | null;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What every check of the queue sees now; the checks run side by side. */
export const observePreflight = async (deps: PreflightDeps, queue: string, checks: PreflightChecks): Promise<PreflightObservation[]> => {
  const alarmPart = async (): Promise<PreflightObservation[]> => {
    if (checks.alarms.length === 0) return [];
    const alarms = deps.alarmsFor(queue);
    if (!alarms) return checks.alarms.map((name) => ({ check: 'alarm', name, state: null, error: 'CloudWatch is not configured (aws.cloudwatchEndpoint or AWS credentials)' }));
    try {
      const states = await alarms.read(checks.alarms);
      return checks.alarms.map((name) => ({ check: 'alarm', name, state: states.get(name)?.state ?? null, reason: states.get(name)?.reason ?? null }));
    } catch (error) {
      return checks.alarms.map((name) => ({ check: 'alarm', name, state: null, error: `CloudWatch DescribeAlarms failed: ${messageOf(error)}` }));
    }
  };
  const httpPart = (): Promise<PreflightObservation>[] =>
    checks.http.map(async ({ url, timeoutMs }): Promise<PreflightObservation> => {
      const answer = await deps.http.check(url, timeoutMs);
      return { check: 'http', url, status: answer.status, elapsedMs: answer.elapsedMs, timeoutMs, error: answer.status === null ? answer.error : null };
    });
  const lagPart = async (): Promise<PreflightObservation[]> => {
    const bound = checks.consumerLag;
    if (!bound) return [];
    const reader = deps.lagFor(queue);
    const base = { check: 'consumer-lag' as const, group: bound.group, topic: bound.topic, max: bound.max };
    if (!reader) return [{ ...base, lag: null, error: 'the queue is not on Kafka' }];
    try {
      return [{ ...base, lag: await reader.lag(bound.group, bound.topic) }];
    } catch (error) {
      return [{ ...base, lag: null, error: messageOf(error) }];
    }
  };
  const [alarms, http, lag] = await Promise.all([alarmPart(), Promise.all(httpPart()), lagPart()]);
  return [...alarms, ...http, ...lag];
};

/**
 * Runs the queue's checks and decides. A queue without `preflight:` passes with nothing checked (no
 * audit record). A block is audited as a failure naming what each check saw; an override as a
 * success carrying the reason and the checks it overrode.
 */
export const runPreflight = async (deps: PreflightDeps, request: PreflightRequest): Promise<PreflightDecision> => {
  const checks = deps.checksFor(request.queue);
  if (!checks) return { verdict: 'pass', passed: [] };
  const decision = decidePreflight(await observePreflight(deps, request.queue, checks), request.override);
  const action = { action: 'preflight', queue: request.queue, actor: request.actor, jobId: request.jobId ?? null };
  const details = { purpose: request.purpose, passed: decision.passed };
  if (decision.verdict === 'pass') await writeAudit(deps.audit, action, 'success', null, details);
  else if (decision.verdict === 'blocked') await writeAudit(deps.audit, action, 'failure', describeFailures(decision.failures), details);
  else {
    await writeAudit(deps.audit, { ...action, action: 'preflight:override' }, 'success', null, {
      ...details,
      reason: decision.reason,
      overridden: describeFailures(decision.failures),
    });
  }
  return decision;
};
