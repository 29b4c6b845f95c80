// The shape of an analysis report: what `analyze` found in a DLQ, grouped the way both runbooks
// triage (category, error signature, domain, retry count, job type, age, time pattern), plus exception
// class / error code and original topic / where it failed for DLQs written by frameworks. Data only.
// Strings come from message bodies: renderers must still escape them (signatures are redacted).

import type { RetryCountSource } from './field-mapping.ts';
import type { RunbookPattern, RunbookPatternId } from './runbook-patterns.ts';

/** Enough to find a message again: `view`/`replay` take the key, Kafka's `view` also the trace id. */
export interface SampleRef {
  messageKey: string;
  traceId: string | null;
}

export interface KeyCount {
  key: string;
  count: number;
}

export interface GroupStats {
  /** Messages in the group; an upper bound when `maxOvercount` > 0 (distinct keys were capped). */
  count: number;
  /** How much `count` may overstate; `count - maxOvercount` is guaranteed. 0 = exact. */
  maxOvercount: number;
  /** count / total. */
  share: number;
  /** The first few messages seen in the group (keys, never bodies). */
  samples: SampleRef[];
  /** Failure times (failedAt, else DLQ entry time) of the group's messages, when known. */
  firstSeen: Date | null;
  lastSeen: Date | null;
}

export interface CategoryGroup extends GroupStats {
  /** Lower-cased error category; null when the body has none. */
  category: string | null;
  /** 'permanent' or 'transient' (the runbook's categories). */
  known: boolean;
}

export interface SignatureGroup extends GroupStats {
  /** Normalised, redacted error text; `(no error text)` / `(unparsed body)` for messages without one. */
  signature: string;
  pattern: RunbookPattern;
  topDomains: KeyCount[];
  topCategories: KeyCount[];
}

export interface DomainGroup extends GroupStats {
  /** URL host (or mapped domain); null for messages without a URL. */
  domain: string | null;
  topSignatures: KeyCount[];
}

export interface RetryGroup extends GroupStats {
  retryCount: number | null;
  source: RetryCountSource | null;
  /** "direct to DLQ (permanent error)", "retries exhausted", "received 6 times (SQS receive count)"... */
  meaning: string;
}

export interface EventTypeGroup extends GroupStats {
  eventType: string | null;
}

export interface ShapeGroup extends GroupStats {
  /** `{error:object,retry_count:number,...}`, `raw` or `json:array`. */
  shape: string;
}

/**
 * Exception class / error code: the exception class or error type a framework names (Kafka Connect,
 * Spring Kafka, Lambda errorType), a framework's code qualified by the framework ("EventBridge
 * NO_PERMISSIONS", "Lambda 200"), else the body's error type.
 */
export interface ErrorTypeGroup extends GroupStats {
  /** `org.apache.kafka.connect.errors.DataException`, "EventBridge NO_PERMISSIONS", "ValueError"; null when the message names none. */
  errorType: string | null;
  /** Original topics / places it failed in most. */
  topOrigins: KeyCount[];
}

/** Original topic / where it failed, as the framework names it, with the framework that wrote the messages. */
export interface OriginGroup extends GroupStats {
  /** "orders" (original topic), "rule orders → arn:…", "topic invoices", "function resize"; null when not named. */
  origin: string | null;
  /** The framework's short name ("Kafka Connect", "EventBridge"); null for messages no framework wrote. */
  framework: string | null;
  topErrorTypes: KeyCount[];
}

/** Exact counts per runbook pattern (patterns are few, so they are never capped). */
export interface PatternGroup {
  pattern: RunbookPattern;
  count: number;
  share: number;
}

export type AgeBucket = '<1h' | '1-24h' | '1-7d' | '>7d' | 'unknown';
export const AGE_BUCKETS: readonly AgeBucket[] = ['<1h', '1-24h', '1-7d', '>7d', 'unknown'];

export interface AgeGroup {
  bucket: AgeBucket;
  count: number;
  share: number;
}

/**
 * burst: most failures (≥ 80 %) in the last `windowMinutes`; clustered: all within one window but
 * earlier; spread: over a longer span; unknown: no timestamps.
 */
export type TimePatternKind = 'burst' | 'clustered' | 'spread' | 'unknown';

export interface TimePattern {
  kind: TimePatternKind;
  firstSeen: Date | null;
  lastSeen: Date | null;
  spanMinutes: number;
  /** Messages with a time / span in minutes (at least one minute). */
  ratePerMinute: number;
  windowMinutes: number;
  /** Messages that failed within the last `windowMinutes` before `now`. */
  inWindow: number;
  recentRatePerMinute: number;
  /** Messages with a known failure time. */
  timed: number;
  description: string;
}

export type SystematicBasis = 'signature+domain' | 'signature' | 'domain';

export interface SystematicVerdict {
  /** Kafka runbook Pattern 5: many messages, one error and/or one domain dominates. */
  systematic: boolean;
  basis: SystematicBasis | null;
  /** The dominant signature / domain (also filled when not dominant enough, for the report). */
  signature: string | null;
  signatureShare: number;
  domain: string | null;
  domainShare: number;
  reason: string;
  /** What to do when systematic ("pause the consumer and escalate..."); null when isolated. */
  action: string | null;
}

export type FindingSeverity = 'critical' | 'warning' | 'info';

export type FindingKind =
  | 'systematic'
  | 'same-error-over-threshold'
  | 'rapid-growth'
  | 'unknown-category'
  | 'unknown-pattern'
  | 'unparsed'
  | 'old-messages'
  | 'pattern'
  | 'no-error-info'
  | 'retry-counts'
  | 'top-domain'
  | 'time-pattern'
  | 'framework';

export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  /** One plain sentence (not escaped). */
  text: string;
  /** The pattern the finding is about, when there is one (for buttons and filters). */
  patternId?: RunbookPatternId;
}

export type AnalysisDimension = 'category' | 'signature' | 'domain' | 'retryCount' | 'eventType' | 'shape' | 'errorType' | 'origin';

export interface AnalysisReport {
  generatedAt: Date;
  total: number;
  /** Bodies that are JSON objects. */
  parsed: number;
  /** Bodies that are not JSON objects: shown raw, never dropped. */
  unparsed: number;
  /** Messages without an error category. */
  missingCategory: number;
  /** Messages whose category is neither permanent nor transient (a Kafka L3 criterion). */
  unknownCategory: number;
  /** Messages with an error text that matches no runbook pattern (a Kafka L3 criterion). */
  unknownPattern: number;
  /** Messages (parsed or not) with no error text at all. */
  noErrorText: number;
  /** Each list sorted by count (desc); at most `maxGroups` entries. */
  byCategory: CategoryGroup[];
  bySignature: SignatureGroup[];
  byPattern: PatternGroup[];
  byDomain: DomainGroup[];
  byRetryCount: RetryGroup[];
  byEventType: EventTypeGroup[];
  byShape: ShapeGroup[];
  /** Mixed DLQs: by exception class / error code and by original topic / where it failed (framework metadata). */
  byErrorType: ErrorTypeGroup[];
  byOrigin: OriginGroup[];
  /** Messages whose framework metadata was recognised (Kafka Connect, Spring Kafka, Lambda, EventBridge, SNS). */
  recognisedFramework: number;
  /** All five buckets, in order. */
  byAge: AgeGroup[];
  timePattern: TimePattern;
  /** Per dimension: whether distinct keys exceeded `maxGroups` (counts are then upper bounds). */
  capped: Record<AnalysisDimension, boolean>;
  maxGroups: number;
  systematic: SystematicVerdict;
  /** Most important first: critical, then warning, then info. */
  findings: Finding[];
}
