// Pre-flight before a bulk replay (issue 14): what each configured check saw, and whether the job may
// start. Pure: the app layer gathers the observations through ports and acts on the decision. A check
// that could not be evaluated (alarm missing, URL unreachable, group without offsets) blocks; it
// never passes by default.

/** What one check saw. `error`: it could not be evaluated (and so blocks). */
export type PreflightObservation =
  | { check: 'alarm'; name: string; state: string | null; reason?: string | null; error?: string | null }
  | { check: 'http'; url: string; status: number | null; elapsedMs: number | null; timeoutMs: number; error?: string | null }
  | { check: 'consumer-lag'; group: string; topic: string; lag: number | null; max: number; error?: string | null };

/** One failing check: which one, and what it saw, in a sentence. */
export interface PreflightFailure {
  check: PreflightObservation['check'];
  target: string;
  saw: string;
}

export type PreflightDecision =
  | { verdict: 'pass'; passed: string[] }
  | { verdict: 'blocked'; failures: PreflightFailure[]; passed: string[] }
  /** Failing checks, started anyway by an admin with a typed reason (audited). */
  | { verdict: 'overridden'; failures: PreflightFailure[]; passed: string[]; reason: string };

export const OVERRIDE_REASON_MAX = 500;

const targetOf = (o: PreflightObservation): string => (o.check === 'alarm' ? o.name : o.check === 'http' ? o.url : `${o.group} on ${o.topic}`);

/** Why the observation fails, or null when it passes. */
export const failureOf = (o: PreflightObservation): string | null => {
  if (o.error) return `could not be checked: ${o.error}`;
  switch (o.check) {
    case 'alarm':
      if (o.state === null) return 'alarm not found';
      if (o.state !== 'OK') return `state ${o.state}${o.reason ? ` (${o.reason})` : ''}, not OK`;
      return null;
    case 'http':
      if (o.status === null) return `no answer within ${o.timeoutMs} ms`;
      if (o.status < 200 || o.status > 299) return `answered HTTP ${o.status}, not 2xx`;
      return null;
    case 'consumer-lag':
      if (o.lag === null) return 'lag unknown';
      if (o.lag > o.max) return `lag ${o.lag} messages, above the bound of ${o.max}`;
      return null;
  }
};

const describePass = (o: PreflightObservation): string => {
  switch (o.check) {
    case 'alarm':
      return `alarm ${o.name}: OK`;
    case 'http':
      return `${o.url}: HTTP ${o.status ?? '?'} in ${o.elapsedMs ?? '?'} ms`;
    case 'consumer-lag':
      return `group ${o.group} on ${o.topic}: lag ${o.lag ?? '?'} (≤ ${o.max})`;
  }
};

/** Every check must pass; failing ones block unless `override` carries a non-empty reason. */
export const decidePreflight = (observations: readonly PreflightObservation[], override: string | null = null): PreflightDecision => {
  const failures: PreflightFailure[] = [];
  const passed: string[] = [];
  for (const o of observations) {
    const why = failureOf(o);
    if (why === null) passed.push(describePass(o));
    else failures.push({ check: o.check, target: targetOf(o), saw: why });
  }
  if (failures.length === 0) return { verdict: 'pass', passed };
  const reason = override?.trim().slice(0, OVERRIDE_REASON_MAX) ?? '';
  return reason === '' ? { verdict: 'blocked', failures, passed } : { verdict: 'overridden', failures, passed, reason };
};

/** One line per failing check: "alarm orders-consumer-errors: state ALARM, not OK". */
export const describeFailures = (failures: readonly PreflightFailure[]): string =>
  failures.map((f) => `${f.check === 'consumer-lag' ? 'consumer group' : f.check === 'http' ? 'health URL' : 'alarm'} ${f.target}: ${f.saw}`).join('\n');
