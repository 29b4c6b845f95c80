// Streaming DLQ analysis with bounded memory: feed messages one at a time (a scan of a million-message
// topic), read a report at any point. Pure: no I/O, the clock comes in as `now`.

import {
  AGE_BUCKETS,
  type AgeBucket,
  type AnalysisDimension,
  type AnalysisReport,
  type GroupStats,
  type KeyCount,
  type PatternGroup,
  type SampleRef,
} from './analysis-report.ts';
import { buildFindings, DEFAULT_THRESHOLDS, describeRetryCount, judgeSystematic, judgeTimePattern, type JudgementThresholds } from './analysis-findings.ts';
import { errorSignature, NO_ERROR_TEXT, signatureSource, UNPARSED_SIGNATURE } from './error-signature.ts';
import { DEFAULT_FIELD_MAPPING, mapDlqMessage, type FieldMapping, type MappedMessage, type MessageEnvelope, type RetryCountSource } from './field-mapping.ts';
import { matchRunbookPattern, RUNBOOK_PATTERNS, type RunbookPattern, type RunbookPatternId } from './runbook-patterns.ts';
import { createTopK, type TopK, type TopKEntry } from './top-k.ts';

export { UNPARSED_SIGNATURE } from './error-signature.ts';

export interface AnalyzerOptions {
  now: Date;
  mapping?: FieldMapping;
  /** Distinct keys kept per dimension (signatures, domains, ...); more are folded by Space-Saving. */
  maxGroups?: number;
  /** Sample message keys kept per group. */
  sampleSize?: number;
  /** "Recent" for the burst test and the recent rate. */
  burstWindowMinutes?: number;
  thresholds?: Partial<JudgementThresholds>;
}

export interface Analyzer {
  /** Maps and counts one message (the port's DlqMessage fits MessageEnvelope). */
  add(message: MessageEnvelope): void;
  /** For callers that already mapped the body (the peek/view path); `mapped.framework` is the framework metadata. */
  addMapped(mapped: MappedMessage, messageKey: string): void;
  /** A snapshot; adding more afterwards is fine. */
  result(): AnalysisReport;
}

interface GroupData {
  samples: SampleRef[];
  first: number | null;
  last: number | null;
}

interface SignatureData extends GroupData {
  pattern: RunbookPattern | null;
  domains: TopK<null>;
  categories: TopK<null>;
}

interface DomainData extends GroupData {
  signatures: TopK<null>;
}

interface ErrorTypeData extends GroupData {
  origins: TopK<null>;
}

interface OriginData extends GroupData {
  errorTypes: TopK<null>;
}

const NONE = '\u0000';
const NESTED_TOP = 3;
const SIGNATURE_CACHE_SIZE = 4096;
const SIGNATURE_CACHE_MAX_TEXT = 1000;
const HOUR = 3_600_000;

const newGroup = (): GroupData => ({ samples: [], first: null, last: null });
const noData = (): null => null;
const orNull = (key: string): string | null => (key === NONE ? null : key);
const KNOWN_CATEGORIES = new Set(['permanent', 'transient']);

const ageBucket = (ageMs: number): AgeBucket => (ageMs < HOUR ? '<1h' : ageMs < 24 * HOUR ? '1-24h' : ageMs < 7 * 24 * HOUR ? '1-7d' : '>7d');

/**
 * Exception class / error code: a framework's code qualified by the framework ("EventBridge
 * NO_PERMISSIONS", "Lambda 200": a code means something only beside its name), else the exception
 * class or error type (the framework's first, then the body's: it names itself), else, for a message a
 * framework wrote, "<framework> (no error code)".
 */
const errorTypeKey = (mapped: MappedMessage): string | null => {
  const framework = mapped.framework;
  if (framework?.errorCode != null) return `${framework.shortName} ${framework.errorCode}`;
  if (mapped.errorType !== null) return mapped.errorType;
  return framework ? `${framework.shortName} (no error code)` : null;
};

/** Original topic / where it failed, with the framework that says so; one group per (framework, origin). */
const originKey = (mapped: MappedMessage): string => (mapped.framework ? JSON.stringify([mapped.framework.shortName, mapped.framework.origin]) : NONE);

const originOf = (key: string): { framework: string | null; origin: string | null } => {
  if (key === NONE) return { framework: null, origin: null };
  const [framework, origin] = JSON.parse(key) as [string, string | null];
  return { framework, origin };
};

const topKeys = (topK: TopK<null>): KeyCount[] => topK.entries().map((entry) => ({ key: entry.key, count: entry.count }));

export const createAnalyzer = (options: AnalyzerOptions): Analyzer => {
  const now = options.now;
  const nowMs = now.getTime();
  const mapping = options.mapping ?? DEFAULT_FIELD_MAPPING;
  const maxGroups = Math.max(1, Math.floor(options.maxGroups ?? 50));
  const sampleSize = Math.max(0, Math.floor(options.sampleSize ?? 3));
  const windowMinutes = Math.max(1, options.burstWindowMinutes ?? 10);
  const thresholds: JudgementThresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };

  const byCategory = createTopK<GroupData>(maxGroups, newGroup);
  const bySignature = createTopK<SignatureData>(maxGroups, () => ({
    ...newGroup(),
    pattern: null,
    domains: createTopK<null>(NESTED_TOP, noData),
    categories: createTopK<null>(NESTED_TOP, noData),
  }));
  const byDomain = createTopK<DomainData>(maxGroups, () => ({ ...newGroup(), signatures: createTopK<null>(NESTED_TOP, noData) }));
  const byRetry = createTopK<GroupData & { retryCount: number | null; source: RetryCountSource | null }>(maxGroups, () => ({
    ...newGroup(),
    retryCount: null,
    source: null,
  }));
  const byEventType = createTopK<GroupData>(maxGroups, newGroup);
  const byShape = createTopK<GroupData>(maxGroups, newGroup);
  const byErrorType = createTopK<ErrorTypeData>(maxGroups, () => ({ ...newGroup(), origins: createTopK<null>(NESTED_TOP, noData) }));
  const byOrigin = createTopK<OriginData>(maxGroups, () => ({ ...newGroup(), errorTypes: createTopK<null>(NESTED_TOP, noData) }));
  let recognisedFramework = 0;
  const patternCounts = new Map<RunbookPatternId, number>();
  const ages: Record<AgeBucket, number> = { '<1h': 0, '1-24h': 0, '1-7d': 0, '>7d': 0, unknown: 0 };
  const time = { timed: 0, first: null as number | null, last: null as number | null, inWindow: 0 };
  const counters = { total: 0, unparsed: 0, missingCategory: 0, unknownCategory: 0, unknownPattern: 0, noErrorText: 0 };
  // Identical error texts are common (one outage, many messages): cache their signatures, bounded.
  const signatureCache = new Map<string, string>();

  const signatureOf = (mapped: MappedMessage): string => {
    const source = signatureSource(mapped);
    if ('marker' in source) return source.marker;
    const full = source.text;
    if (full.length > SIGNATURE_CACHE_MAX_TEXT) return errorSignature(full);
    let signature = signatureCache.get(full);
    if (signature === undefined) {
      if (signatureCache.size >= SIGNATURE_CACHE_SIZE) signatureCache.clear();
      signature = errorSignature(full);
      signatureCache.set(full, signature);
    }
    return signature;
  };

  const touch = (data: GroupData, sample: SampleRef, at: number | null): void => {
    if (data.samples.length < sampleSize) data.samples.push(sample);
    if (at !== null) {
      if (data.first === null || at < data.first) data.first = at;
      if (data.last === null || at > data.last) data.last = at;
    }
  };

  const addMapped = (mapped: MappedMessage, messageKey: string): void => {
    counters.total += 1;
    if (mapped.parsed === 'raw') counters.unparsed += 1;
    const at = mapped.failedAt?.getTime() ?? null;
    const sample: SampleRef = { messageKey, traceId: mapped.traceId };

    const category = mapped.errorCategory;
    if (category === null) counters.missingCategory += 1;
    else if (!KNOWN_CATEGORIES.has(category)) counters.unknownCategory += 1;
    touch(byCategory.hit(category ?? NONE).data, sample, at);

    const signature = signatureOf(mapped);
    if (signature === NO_ERROR_TEXT || signature === UNPARSED_SIGNATURE) counters.noErrorText += 1;
    const signatureEntry = bySignature.hit(signature);
    const signatureData = signatureEntry.data;
    signatureData.pattern ??=
      signature === NO_ERROR_TEXT || signature === UNPARSED_SIGNATURE ? RUNBOOK_PATTERNS['no-error-info'] : matchRunbookPattern(mapped);
    touch(signatureData, sample, at);
    if (mapped.domain !== null) signatureData.domains.hit(mapped.domain);
    if (category !== null) signatureData.categories.hit(category);
    const patternId = signatureData.pattern.id;
    patternCounts.set(patternId, (patternCounts.get(patternId) ?? 0) + 1);
    if (patternId === 'unknown') counters.unknownPattern += 1;

    const domainData = byDomain.hit(mapped.domain ?? NONE).data;
    touch(domainData, sample, at);
    domainData.signatures.hit(signature);

    const retryKey = mapped.retryCount === null ? NONE : `${mapped.retryCountSource ?? 'body'}:${mapped.retryCount}`;
    const retryData = byRetry.hit(retryKey).data;
    retryData.retryCount = mapped.retryCount;
    retryData.source = mapped.retryCountSource;
    touch(retryData, sample, at);

    touch(byEventType.hit(mapped.eventType ?? NONE).data, sample, at);
    touch(byShape.hit(mapped.shape).data, sample, at);

    if (mapped.framework) recognisedFramework += 1;
    const errorType = errorTypeKey(mapped);
    const origin = mapped.framework?.origin ?? null;
    const errorTypeData = byErrorType.hit(errorType ?? NONE).data;
    touch(errorTypeData, sample, at);
    if (origin !== null) errorTypeData.origins.hit(origin);
    const originData = byOrigin.hit(originKey(mapped)).data;
    touch(originData, sample, at);
    if (errorType !== null) originData.errorTypes.hit(errorType);

    if (at === null) ages.unknown += 1;
    else {
      ages[ageBucket(nowMs - at)] += 1;
      time.timed += 1;
      if (time.first === null || at < time.first) time.first = at;
      if (time.last === null || at > time.last) time.last = at;
      if (at >= nowMs - windowMinutes * 60_000) time.inWindow += 1;
    }
  };

  const stats = (entry: TopKEntry<GroupData>, total: number): GroupStats => ({
    count: entry.count,
    maxOvercount: entry.error,
    share: total === 0 ? 0 : entry.count / total,
    samples: entry.data.samples.map((sample) => ({ ...sample })),
    firstSeen: entry.data.first === null ? null : new Date(entry.data.first),
    lastSeen: entry.data.last === null ? null : new Date(entry.data.last),
  });

  const result = (): AnalysisReport => {
    const total = counters.total;
    const byPattern: PatternGroup[] = [...patternCounts.entries()]
      .map(([id, count]) => ({ pattern: RUNBOOK_PATTERNS[id], count, share: total === 0 ? 0 : count / total }))
      .sort((a, b) => b.count - a.count || a.pattern.id.localeCompare(b.pattern.id));
    const capped: Record<AnalysisDimension, boolean> = {
      category: byCategory.evictions > 0,
      signature: bySignature.evictions > 0,
      domain: byDomain.evictions > 0,
      retryCount: byRetry.evictions > 0,
      eventType: byEventType.evictions > 0,
      shape: byShape.evictions > 0,
      errorType: byErrorType.evictions > 0,
      origin: byOrigin.evictions > 0,
    };
    const grouped = {
      generatedAt: new Date(nowMs),
      total,
      parsed: total - counters.unparsed,
      unparsed: counters.unparsed,
      missingCategory: counters.missingCategory,
      unknownCategory: counters.unknownCategory,
      unknownPattern: counters.unknownPattern,
      noErrorText: counters.noErrorText,
      byCategory: byCategory.entries().map((entry) => {
        const category = orNull(entry.key);
        return { ...stats(entry, total), category, known: category !== null && KNOWN_CATEGORIES.has(category) };
      }),
      bySignature: bySignature.entries().map((entry) => ({
        ...stats(entry, total),
        signature: entry.key,
        pattern: entry.data.pattern ?? RUNBOOK_PATTERNS.unknown,
        topDomains: topKeys(entry.data.domains),
        topCategories: topKeys(entry.data.categories),
      })),
      byPattern,
      byDomain: byDomain.entries().map((entry) => ({
        ...stats(entry, total),
        domain: orNull(entry.key),
        topSignatures: topKeys(entry.data.signatures),
      })),
      byRetryCount: byRetry.entries().map((entry) => ({
        ...stats(entry, total),
        retryCount: entry.data.retryCount,
        source: entry.data.source,
        meaning: describeRetryCount(entry.data.retryCount, entry.data.source, thresholds.exhaustedRetryCount),
      })),
      byEventType: byEventType.entries().map((entry) => ({ ...stats(entry, total), eventType: orNull(entry.key) })),
      byShape: byShape.entries().map((entry) => ({ ...stats(entry, total), shape: entry.key })),
      byErrorType: byErrorType.entries().map((entry) => ({
        ...stats(entry, total),
        errorType: orNull(entry.key),
        topOrigins: topKeys(entry.data.origins),
      })),
      byOrigin: byOrigin.entries().map((entry) => ({
        ...stats(entry, total),
        ...originOf(entry.key),
        topErrorTypes: topKeys(entry.data.errorTypes),
      })),
      recognisedFramework,
      byAge: AGE_BUCKETS.map((bucket) => ({ bucket, count: ages[bucket], share: total === 0 ? 0 : ages[bucket] / total })),
      timePattern: judgeTimePattern(time, now, windowMinutes),
      capped,
      maxGroups,
    };
    const systematic = judgeSystematic(grouped, thresholds);
    return { ...grouped, systematic, findings: buildFindings(grouped, systematic, thresholds) };
  };

  return {
    add(message) {
      addMapped(mapDlqMessage(message, mapping), message.messageKey);
    },
    addMapped,
    result,
  };
};
