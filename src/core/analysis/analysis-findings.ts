// Judgements on top of the grouped counts: retry-count meanings, the time pattern, the systematic vs
// isolated verdict (Kafka runbook Pattern 5) and the findings sentences, ordered by importance.

import type {
  AnalysisReport,
  Finding,
  FindingSeverity,
  SystematicVerdict,
  TimePattern,
  TimePatternKind,
} from './analysis-report.ts';
import type { RetryCountSource } from './field-mapping.ts';
import { EXHAUSTED_RETRY_COUNT } from './runbook-patterns.ts';
import { formatSpan, utcMinuteZ } from '../text/time-format.ts';

export interface JudgementThresholds {
  /** Fewer messages than this are never systematic. */
  systematicMinMessages: number;
  /** Share of all messages one signature or domain must reach to be systematic. */
  systematicShare: number;
  /** Kafka L3 criterion: "same error affecting > 100 messages". */
  sameErrorThreshold: number;
  /** Kafka severity table: > 10 messages/min is critical. */
  criticalRatePerMinute: number;
  /** Retry count the pipeline stops at (runbook: 4). */
  exhaustedRetryCount: number;
}

export const DEFAULT_THRESHOLDS: JudgementThresholds = {
  systematicMinMessages: 10,
  systematicShare: 0.8,
  sameErrorThreshold: 100,
  criticalRatePerMinute: 10,
  exhaustedRetryCount: EXHAUSTED_RETRY_COUNT,
};

/** Runbook meaning of a retry count: 0 = direct to DLQ (permanent), 4 = retries exhausted. */
export const describeRetryCount = (
  retryCount: number | null,
  source: RetryCountSource | null,
  exhausted: number = EXHAUSTED_RETRY_COUNT,
): string => {
  if (retryCount === null) return 'unknown';
  if (source === 'receive-count') return `received ${retryCount} time${retryCount === 1 ? '' : 's'} (SQS receive count, peeks included)`;
  if (retryCount === 0) return 'direct to DLQ (permanent error)';
  if (retryCount >= exhausted) return `retries exhausted (${retryCount})`;
  return `failed after ${retryCount} retr${retryCount === 1 ? 'y' : 'ies'}`;
};

export const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** "12.3/min", or per hour when below 0.1/min so a slow trickle does not read as "0/min". */
const rate = (perMinute: number): string =>
  perMinute >= 0.1 || perMinute === 0 ? `${Number(perMinute.toFixed(1))}/min` : `${Number((perMinute * 60).toFixed(1))}/h`;

export interface TimeAccumulator {
  timed: number;
  first: number | null;
  last: number | null;
  inWindow: number;
}

export const judgeTimePattern = (acc: TimeAccumulator, now: Date, windowMinutes: number): TimePattern => {
  const spanMs = acc.first === null || acc.last === null ? 0 : acc.last - acc.first;
  const spanMinutes = spanMs / 60_000;
  const ratePerMinute = acc.timed / Math.max(spanMinutes, 1);
  const recentRatePerMinute = acc.inWindow / windowMinutes;
  let kind: TimePatternKind = 'unknown';
  let description = 'No failure times in the messages.';
  if (acc.timed > 0 && acc.first !== null && acc.last !== null) {
    const range = `${utcMinuteZ(new Date(acc.first))} → ${utcMinuteZ(new Date(acc.last))}`;
    if (acc.inWindow / acc.timed >= 0.8) {
      kind = 'burst';
      description = `Burst: ${percent(acc.inWindow / acc.timed)} (${acc.inWindow}) failed in the last ${windowMinutes} min, ${rate(recentRatePerMinute)}.`;
    } else if (spanMinutes <= windowMinutes) {
      kind = 'clustered';
      description = `Clustered: all ${acc.timed} failed within ${formatSpan(spanMs)}, ${formatSpan(now.getTime() - acc.last)} ago (${range}).`;
    } else {
      kind = 'spread';
      description = `Spread over ${formatSpan(spanMs)} (${range}), ${rate(ratePerMinute)} on average.`;
    }
  }
  return {
    kind,
    firstSeen: acc.first === null ? null : new Date(acc.first),
    lastSeen: acc.last === null ? null : new Date(acc.last),
    spanMinutes,
    ratePerMinute,
    windowMinutes,
    inWindow: acc.inWindow,
    recentRatePerMinute,
    timed: acc.timed,
    description,
  };
};

type GroupedReport = Omit<AnalysisReport, 'systematic' | 'findings'>;

const lowerBound = (group: { count: number; maxOvercount: number }): number => group.count - group.maxOvercount;

/**
 * Error signatures on more messages than the runbook's L3 bound ("same error affecting > 100
 * messages"). One rule for the verdict and the findings: any of them makes the DLQ systematic
 * (Pattern 5: many messages, one error), whatever share of the DLQ it is.
 */
const widespreadSignatures = (report: GroupedReport, thresholds: JudgementThresholds) =>
  report.bySignature.filter((group) => group.pattern.id !== 'no-error-info' && lowerBound(group) > thresholds.sameErrorThreshold);

/**
 * The systematic-vs-isolated verdict, the one rule the findings follow too: systematic when at least
 * `systematicMinMessages` messages are read and one error signature or one domain covers
 * `systematicShare` of them, or one error signature is on more than `sameErrorThreshold` messages.
 */
export const judgeSystematic = (report: GroupedReport, thresholds: JudgementThresholds): SystematicVerdict => {
  const { total } = report;
  // Messages without an error text or a URL say nothing about a common cause.
  const topSignature = report.bySignature.find((group) => group.pattern.id !== 'no-error-info') ?? null;
  const topDomain = report.byDomain.find((group) => group.domain !== null) ?? null;
  const signatureShare = topSignature && total > 0 ? lowerBound(topSignature) / total : 0;
  const domainShare = topDomain && total > 0 ? lowerBound(topDomain) / total : 0;
  const base = {
    signature: topSignature?.signature ?? null,
    signatureShare,
    domain: topDomain?.domain ?? null,
    domainShare,
  };
  if (total < thresholds.systematicMinMessages) {
    return { ...base, systematic: false, basis: null, reason: `Isolated: only ${total} message${total === 1 ? '' : 's'}.`, action: null };
  }
  const dominant = (share: number, group: { count: number; maxOvercount: number } | null): boolean =>
    group !== null && share >= thresholds.systematicShare && lowerBound(group) >= thresholds.systematicMinMessages;
  const widespread = widespreadSignatures(report, thresholds)[0] ?? null;
  const bySignature = dominant(signatureShare, topSignature) || widespread !== null;
  const byDomain = dominant(domainShare, topDomain);
  if (!bySignature && !byDomain) {
    return {
      ...base,
      systematic: false,
      basis: null,
      reason: `Isolated: no single error or domain covers ${percent(thresholds.systematicShare)} of ${total} messages.`,
      action: null,
    };
  }
  const parts: string[] = [];
  if (bySignature && topSignature && signatureShare >= thresholds.systematicShare) parts.push(`${percent(signatureShare)} share the error “${topSignature.signature}”`);
  else if (bySignature && widespread) {
    parts.push(`${lowerBound(widespread)} (${percent(lowerBound(widespread) / total)}) share the error “${widespread.signature}”, more than ${thresholds.sameErrorThreshold}`);
  }
  if (byDomain && topDomain) parts.push(`${percent(domainShare)} come from ${topDomain.domain}`);
  const filter = [bySignature ? 'error signature' : null, byDomain ? 'domain' : null].filter(Boolean).join(' and ');
  const signatureGroup = signatureShare >= thresholds.systematicShare ? topSignature : (widespread ?? topSignature);
  const replayable = bySignature && signatureGroup ? signatureGroup.pattern.replayable : true;
  return {
    ...base,
    ...(bySignature && signatureGroup ? { signature: signatureGroup.signature, signatureShare: lowerBound(signatureGroup) / total } : {}),
    systematic: true,
    basis: bySignature && byDomain ? 'signature+domain' : bySignature ? 'signature' : 'domain',
    reason: `Systematic: of ${total} messages, ${parts.join(' and ')}.`,
    action:
      'Pause the consumer and escalate (Kafka runbook Pattern 5: Systematic Failures); once the root cause is fixed, ' +
      `${replayable ? 'bulk-replay' : 'bulk-resolve (or fix and bulk-replay)'} the affected messages filtered by ${filter}.`,
  };
};

const SEVERITY_ORDER: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 };

export const buildFindings = (
  report: GroupedReport,
  systematic: SystematicVerdict,
  thresholds: JudgementThresholds,
): Finding[] => {
  const findings: Finding[] = [];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { total, timePattern } = report;
  if (total === 0) return [{ kind: 'time-pattern', severity: 'info', text: 'The DLQ holds no messages to analyse.' }];

  if (systematic.systematic) {
    findings.push({ kind: 'systematic', severity: 'critical', text: `${systematic.reason} ${systematic.action ?? ''}`.trim() });
  }
  // Only ever beside a systematic verdict: judgeSystematic follows the same rule.
  const widespread = systematic.systematic ? widespreadSignatures(report, thresholds) : [];
  for (const group of widespread.slice(0, 3)) {
    findings.push({
      kind: 'same-error-over-threshold',
      severity: 'critical',
      patternId: group.pattern.id,
      text: `The same error affects ${lowerBound(group)} messages (more than ${thresholds.sameErrorThreshold}: escalate to L3): “${group.signature}”.`,
    });
  }
  if (timePattern.recentRatePerMinute > thresholds.criticalRatePerMinute) {
    findings.push({
      kind: 'rapid-growth',
      severity: 'critical',
      text: `${timePattern.inWindow} messages failed in the last ${timePattern.windowMinutes} min (${rate(timePattern.recentRatePerMinute)}, above the runbook's critical ${thresholds.criticalRatePerMinute}/min).`,
    });
  }
  if (report.unknownCategory > 0) {
    const names = report.byCategory.filter((group) => group.category !== null && !group.known).slice(0, 3);
    findings.push({
      kind: 'unknown-category',
      severity: 'warning',
      text: `${plural(report.unknownCategory, 'message')} ${report.unknownCategory === 1 ? 'has' : 'have'} an unknown error category (${names.map((g) => `${g.category} ${g.count}`).join(', ')}): an L3 escalation criterion.`,
    });
  }
  if (report.unknownPattern > 0) {
    const top = report.bySignature.find((group) => group.pattern.id === 'unknown');
    findings.push({
      kind: 'unknown-pattern',
      severity: 'warning',
      patternId: 'unknown',
      text: `${plural(report.unknownPattern, 'message')} match no known pattern${top ? ` (most common: “${top.signature}”)` : ''}: inspect a sample and escalate to L3 if it persists.`,
    });
  }
  if (report.unparsed > 0) {
    findings.push({ kind: 'unparsed', severity: 'warning', text: `${plural(report.unparsed, 'message')} ${report.unparsed === 1 ? 'is' : 'are'} not a JSON object and ${report.unparsed === 1 ? 'is' : 'are'} shown raw.` });
  }
  const old = report.byAge.find((group) => group.bucket === '>7d')?.count ?? 0;
  if (old > 0) {
    findings.push({ kind: 'old-messages', severity: 'warning', text: `${plural(old, 'message')} older than 7 days need manual intervention: bulk-replay or bulk-resolve them (weekly cleanup).` });
  }
  for (const group of report.byPattern.filter((g) => g.pattern.id !== 'unknown' && g.pattern.id !== 'no-error-info').slice(0, 3)) {
    findings.push({
      kind: 'pattern',
      severity: 'info',
      patternId: group.pattern.id,
      text: `${group.count} × ${group.pattern.title} (${percent(group.share)}): ${group.pattern.action}`,
    });
  }
  if (report.noErrorText > 0) {
    const shape = report.byEventType.find((g) => g.eventType !== null)?.eventType ?? report.byShape[0]?.shape ?? null;
    findings.push({
      kind: 'no-error-info',
      severity: 'info',
      patternId: 'no-error-info',
      text: `${plural(report.noErrorText, 'message')} carry no error text${shape ? ` (most common job type: ${shape})` : ''}: check the consumer's logs around their failure time.`,
    });
  }
  const fromBody = report.byRetryCount.filter((g) => g.source === 'body' || g.source === 'header');
  const direct = fromBody.filter((g) => g.retryCount === 0).reduce((sum, g) => sum + g.count, 0);
  const exhausted = fromBody.filter((g) => (g.retryCount ?? -1) >= thresholds.exhaustedRetryCount).reduce((sum, g) => sum + g.count, 0);
  if (direct > 0 || exhausted > 0) {
    const parts = [
      direct > 0 ? `${direct} went straight to the DLQ (retry count 0: permanent errors)` : null,
      exhausted > 0 ? `${exhausted} exhausted their retries (retry count ${thresholds.exhaustedRetryCount}: transient errors that persisted)` : null,
    ].filter(Boolean);
    findings.push({ kind: 'retry-counts', severity: 'info', text: `${parts.join('; ')}.` });
  }
  if (report.recognisedFramework > 0) {
    const frameworks = [...new Set(report.byOrigin.map((g) => g.framework).filter((f): f is string => f !== null))];
    const named = frameworks.length > 1 ? `${frameworks.slice(0, -1).join(', ')} and ${frameworks.at(-1)}` : (frameworks[0] ?? '');
    const origins = report.byOrigin.filter((g) => g.origin !== null).slice(0, 3).map((g) => `${g.origin} ${g.count}`);
    const topError = report.byErrorType.find((g) => g.errorType !== null);
    findings.push({
      kind: 'framework',
      severity: 'info',
      text:
        `${plural(report.recognisedFramework, 'message')} carry failure metadata from ${named}` +
        `${origins.length > 0 ? `; original topic / where it failed: ${origins.join(', ')}` : ''}` +
        `${topError ? `; top exception class / error code: ${topError.errorType} (${topError.count})` : ''}.`,
    });
  }
  const topDomain = report.byDomain.find((group) => group.domain !== null);
  if (topDomain) {
    findings.push({ kind: 'top-domain', severity: 'info', text: `Top domain: ${topDomain.domain} (${topDomain.count}, ${percent(topDomain.share)}).` });
  }
  findings.push({ kind: 'time-pattern', severity: 'info', text: timePattern.description });
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
};
