// Renders an `analyze` result as a Block Kit Reply: the systematic-vs-isolated verdict, findings by
// severity, error-signature groups with the runbook pattern and its suggested action, then the other
// dimensions (exception class / error code and original topic / where it failed when frameworks wrote
// the DLQ, category, job/event type, JSON shape, domain, retry count, age). Pure. Security:
// signatures, domains and shapes come from message bodies; they reach blocks only through
// reply-format's `safeText`/`code`/`cell` (redact → escape → truncate).

import type { AnalysisDimension, AnalysisReport, FindingSeverity, GroupStats, SignatureGroup } from '../../../core/analysis/analysis-report.ts';
import { context, header, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { utcMinuteZ } from '../../../core/text/time-format.ts';
import type { QueueAnalysis } from '../../../app/messages/analyze-queue.use-case.ts';
import { cell, code, percent, reply, safeText, textTable } from './reply-format.ts';
import { HEADER_TEXT_MAX, SECTION_TEXT_MAX } from '../block-kit/slack-limits.ts';

const TOP_SIGNATURES = 10;
const SIGNATURE_DETAILS = 3;
const TOP_ROWS = 6;
const MAX_FINDINGS = 8;

const SEVERITY_ICON: Record<FindingSeverity, string> = { critical: ':red_circle:', warning: ':warning:', info: ':information_source:' };

const when = (date: Date | null): string => (date ? utcMinuteZ(date) : '?');
const none = (value: string | null, label = '(none)'): string => value ?? label;

const verdictBlock = (report: AnalysisReport, keys: readonly string[]): Block => {
  const verdict = report.systematic;
  const lines = verdict.systematic
    ? [`:rotating_light: *Verdict:* ${safeText(verdict.reason, 900, keys)}`, `*Action:* ${safeText(verdict.action ?? '', 900, keys)}`]
    : [`:large_blue_circle: *Verdict:* ${safeText(verdict.reason, 900, keys)}`];
  lines.push(`*When:* ${safeText(report.timePattern.description, 600, keys)}`);
  return section(lines.join('\n'));
};

/** The Kafka runbook's L3 criterion "a replay failure": replayed messages that came back. */
const returnedBlock = (analysis: QueueAnalysis, keys: readonly string[]): Block | null => {
  const { returned } = analysis;
  if (returned.count === 0) return null;
  const jobs = returned.jobIds.length > 0 ? ` (job${returned.jobIds.length === 1 ? '' : 's'} ${returned.jobIds.slice(0, 3).join(', ')})` : '';
  const lines = [
    `:boomerang: *Replay failures:* ${returned.count} message${returned.count === 1 ? '' : 's'} came back to the DLQ after being replayed${jobs}: the cause is not fixed. Stop replaying and escalate (L3 criterion).`,
    ...returned.samples.map((s) => `\`${s.messageKey}\` was replayed by ${s.replayedBy} at ${when(s.replayedAt)} to ${s.destination}`),
  ];
  return section(safeText(lines.join('\n'), 2_000, keys));
};

const findingsBlock = (report: AnalysisReport, keys: readonly string[]): Block => {
  // Already sorted most severe first by the core.
  const shown = report.findings.slice(0, MAX_FINDINGS).map((finding) => `${SEVERITY_ICON[finding.severity]} ${safeText(finding.text, 330, keys)}`);
  const more = report.findings.length - shown.length;
  return section(['*Findings* (most severe first)', ...shown, ...(more > 0 ? [`…and ${more} more.`] : [])].join('\n'));
};

const signatureTable = (report: AnalysisReport, keys: readonly string[]): string =>
  textTable(
    ['#', 'COUNT', 'SHARE', 'PATTERN', 'CATEGORY', 'ERROR SIGNATURE'],
    report.bySignature.slice(0, TOP_SIGNATURES).map((group, i) => [
      i + 1,
      group.count,
      percent(group.share),
      group.pattern.id,
      group.topCategories[0]?.key ?? null,
      cell(group.signature, 90, keys),
    ]),
  );

const counts = (items: { key: string; count: number }[]): string => items.map((item) => `${item.key} (${item.count})`).join(', ') || '-';

const signatureDetail = (group: SignatureGroup, index: number, keys: readonly string[]): Block => {
  const pattern = group.pattern;
  const samples = group.samples.map((s) => `\`${safeText(s.traceId ?? s.messageKey, 80, keys)}\``).join(', ');
  return section(
    [
      `*${index + 1}. ${safeText(group.signature, 300, keys)}* — ${group.count} message${group.count === 1 ? '' : 's'} (${percent(group.share)})`,
      `*Pattern:* ${safeText(pattern.title, 200)} — _${safeText(pattern.runbookRef, 200)}_`,
      `*Suggested action* (\`${pattern.suggestedOperation}\`): ${safeText(pattern.action, 400)}`,
      `Domains: ${safeText(counts(group.topDomains), 300, keys)} · Categories: ${safeText(counts(group.topCategories), 200, keys)} · Failed ${when(group.firstSeen)} → ${when(group.lastSeen)}`,
      ...(samples ? [`Samples: ${samples}`] : []),
    ].join('\n'),
  );
};

const rows = <G extends GroupStats>(groups: G[], label: (group: G) => string | null, max = 60, keys: readonly string[] = []): (string | number | null)[][] =>
  groups.slice(0, TOP_ROWS).map((group) => [cell(label(group), max, keys), group.count, percent(group.share)]);

/** Category, job/event type, retry count and age: what the runbooks triage by first. */
const breakdownText = (report: AnalysisReport, keys: readonly string[]): string =>
  [
    textTable(['CATEGORY', 'COUNT', 'SHARE'], rows(report.byCategory, (g) => (g.category === null ? '(none)' : g.known ? g.category : `${g.category} (unknown)`), 40, keys)),
    textTable(['EVENT / JOB TYPE', 'COUNT', 'SHARE'], rows(report.byEventType, (g) => none(g.eventType), 50, keys)),
    textTable(
      ['RETRY COUNT', 'MEANING', 'COUNT', 'SHARE'],
      report.byRetryCount.slice(0, TOP_ROWS).map((g) => [g.retryCount, g.meaning, g.count, percent(g.share)]),
    ),
    textTable(['AGE', 'COUNT', 'SHARE'], report.byAge.map((g) => [g.bucket, g.count, percent(g.share)])),
  ].join('\n\n');

/** Domains and JSON shapes: where the failures come from and what the bodies look like. */
const sourcesText = (report: AnalysisReport, keys: readonly string[]): string =>
  [
    textTable(
      ['DOMAIN', 'COUNT', 'SHARE', 'TOP ERROR'],
      report.byDomain.slice(0, TOP_ROWS).map((g) => [cell(none(g.domain), 40, keys), g.count, percent(g.share), cell(g.topSignatures[0]?.key ?? null, 50, keys)]),
    ),
    textTable(['JSON SHAPE', 'COUNT', 'SHARE'], rows(report.byShape, (g) => g.shape, 90, keys)),
  ].join('\n\n');

/**
 * Mixed DLQs written by frameworks (Kafka Connect, Spring Kafka, Lambda, EventBridge, SNS): which
 * exception classes / error codes, and the original topics / places they failed in, with who wrote them.
 */
const frameworkText = (report: AnalysisReport, keys: readonly string[]): string | null => {
  const tables: string[] = [];
  if (report.byErrorType.some((g) => g.errorType !== null)) {
    tables.push(
      textTable(
        ['EXCEPTION CLASS / ERROR CODE', 'COUNT', 'SHARE', 'TOP ORIGINAL TOPIC / FAILED IN'],
        report.byErrorType.slice(0, TOP_ROWS).map((g) => [cell(none(g.errorType), 70, keys), g.count, percent(g.share), cell(g.topOrigins[0]?.key ?? null, 40, keys)]),
      ),
    );
  }
  if (report.recognisedFramework > 0) {
    tables.push(
      textTable(
        ['ORIGINAL TOPIC / FAILED IN', 'WRITTEN BY', 'COUNT', 'SHARE', 'TOP EXCEPTION CLASS / ERROR CODE'],
        report.byOrigin.slice(0, TOP_ROWS).map((g) => [
          cell(g.framework === null ? '(no framework metadata)' : none(g.origin, '(not named in the message)'), 110, keys),
          g.framework,
          g.count,
          percent(g.share),
          cell(g.topErrorTypes[0]?.key ?? null, 70, keys),
        ]),
      ),
    );
  }
  return tables.length > 0 ? tables.join('\n\n') : null;
};

const DIMENSION_NAMES: Record<AnalysisDimension, string> = {
  category: 'categories',
  signature: 'error signatures',
  domain: 'domains',
  retryCount: 'retry counts',
  eventType: 'event types',
  shape: 'JSON shapes',
  errorType: 'exception classes / error codes',
  origin: 'original topics / failure sources',
};

const footerText = (analysis: QueueAnalysis): string => {
  const { report } = analysis;
  const seconds = (analysis.elapsedMs / 1000).toFixed(1);
  const scope = analysis.limited
    ? `Read the first ${analysis.scanned} messages (the limit) in ${seconds} s: counts cover those only.`
    : `Read ${analysis.scanned} message${analysis.scanned === 1 ? '' : 's'} in ${seconds} s.`;
  const untouched =
    analysis.kind === 'sqs'
      ? 'Nothing was consumed: every message was made visible again (reading raises ApproximateReceiveCount).'
      : 'Nothing was committed.';
  const capped = (Object.keys(report.capped) as AnalysisDimension[]).filter((d) => report.capped[d]);
  const cappedNote = capped.length > 0 ? ` More than ${report.maxGroups} distinct ${capped.map((d) => DIMENSION_NAMES[d]).join(', ')}: their counts are upper bounds.` : '';
  return `${scope} ${untouched}${cappedNote}`;
};

export const renderAnalysis = (analysis: QueueAnalysis, options: { redactKeys?: readonly string[] } = {}): Reply => {
  const keys = options.redactKeys ?? [];
  const { report, queue } = analysis;
  const title = `Analysis of ${queue}: ${report.total} message${report.total === 1 ? '' : 's'}`;
  const footer = [context(safeText(footerText(analysis), 2_000))];
  if (report.total === 0) return reply(title, [header(title.slice(0, HEADER_TEXT_MAX)), findingsBlock(report, keys)], { footer });
  const blocks: Block[] = [
    header(title.slice(0, HEADER_TEXT_MAX)),
    verdictBlock(report, keys),
    ...[returnedBlock(analysis, keys)].filter((block): block is Block => block !== null),
    findingsBlock(report, keys),
    section(`*Error signatures*\n${code(signatureTable(report, keys), keys, SECTION_TEXT_MAX - 100)}`),
    ...report.bySignature.slice(0, SIGNATURE_DETAILS).map((group, i) => signatureDetail(group, i, keys)),
    ...[frameworkText(report, keys)]
      .filter((text): text is string => text !== null)
      .map((text) => section(`*By exception class / error code and original topic / where it failed*\n${code(text, keys, SECTION_TEXT_MAX - 100)}`)),
    section(code(breakdownText(report, keys), keys)),
    section(code(sourcesText(report, keys), keys)),
  ];
  const verdict = report.systematic.systematic ? 'systematic' : 'isolated';
  const top = report.byPattern[0];
  return reply(`${title} — ${verdict}${top ? `; top pattern: ${top.pattern.title} (${top.count})` : ''}`, blocks, { footer, keys });
};
