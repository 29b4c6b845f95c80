// The runbooks' failure patterns as data, and the rule that names the one an error fits: Kafka
// runbook patterns 1–5 and the SQS runbook's root causes. Pure; it suggests, the app layer acts.

import { errorSignature } from './error-signature.ts';

export type RunbookPatternId =
  | 'expired-url'
  | 'file-type-not-allowed'
  | 'transient-exhausted'
  | 'upload-auth'
  | 'ssl-certificate'
  | 'rate-limited'
  | 'timeout'
  | 'data-format'
  | 'access-denied'
  | 'lambda-error'
  | 'no-error-info'
  | 'unknown';

/** What the runbook says to do with such messages. */
export type SuggestedOperation = 'replay' | 'replay-after-fix' | 'resolve' | 'investigate';

export interface RunbookPattern {
  id: RunbookPatternId;
  title: string;
  /** Where the runbooks describe it, quoted for the on-call engineer. */
  runbookRef: string;
  /** One sentence: what to do next. */
  action: string;
  suggestedOperation: SuggestedOperation;
  /** Whether replaying the message as it is can succeed (now or after the fix the action names). */
  replayable: boolean;
}

const pattern = (
  id: RunbookPatternId,
  title: string,
  runbookRef: string,
  action: string,
  suggestedOperation: SuggestedOperation,
): RunbookPattern => ({
  id,
  title,
  runbookRef,
  action,
  suggestedOperation,
  replayable: suggestedOperation === 'replay' || suggestedOperation === 'replay-after-fix',
});

export const RUNBOOK_PATTERNS: Readonly<Record<RunbookPatternId, RunbookPattern>> = {
  'expired-url': pattern(
    'expired-url',
    'Presigned URL expired or file deleted (404/410)',
    'Kafka DLQ runbook, Pattern 1: Invalid/Expired URLs (404, 410)',
    'Presigned URL expired or file deleted: resolve, or replay with a new URL from the source system.',
    'resolve',
  ),
  'file-type-not-allowed': pattern(
    'file-type-not-allowed',
    'File type not in the allowlist',
    'Kafka DLQ runbook, Pattern 2: File Type Validation Failures',
    'File type not in the allowlist: resolve if the rejection is right, else change the allowlist and replay.',
    'resolve',
  ),
  'transient-exhausted': pattern(
    'transient-exhausted',
    'Network/timeout failure, retries exhausted',
    'Kafka DLQ runbook, Pattern 3: Network/Timeout Failures (Retry Exhausted)',
    'Replay once the source is healthy.',
    'replay',
  ),
  'upload-auth': pattern(
    'upload-auth',
    'OneLake/storage upload failure',
    'Kafka DLQ runbook, Pattern 4: OneLake Upload Failures',
    'Storage upload failure: check OneLake/Azure auth and quota, then replay.',
    'replay-after-fix',
  ),
  'ssl-certificate': pattern(
    'ssl-certificate',
    'TLS certificate verification failed at the source',
    // The runbook's example for Pattern 5; whether this DLQ is systematic is the verdict's call, not the pattern's.
    'Kafka DLQ runbook, Pattern 5 example (SSL certificate verification failed)',
    'The source domain’s TLS certificate fails verification: get it fixed, then bulk-replay the domain’s messages.',
    'replay-after-fix',
  ),
  'rate-limited': pattern(
    'rate-limited',
    'Rate limited (HTTP 429, quota exceeded)',
    'SQS DLQ runbook, Root cause: Rate Limiting',
    'Rate limited: back off or raise the API limit, then redrive at a lower rate.',
    'replay-after-fix',
  ),
  timeout: pattern(
    'timeout',
    'Processing timed out or ran out of memory',
    'SQS DLQ runbook, Root cause: Resource Exhaustion (Lambda timeout/memory)',
    'Increase the Lambda timeout or memory (or make the work smaller), then redrive.',
    'replay-after-fix',
  ),
  'data-format': pattern(
    'data-format',
    'Invalid message format or missing field',
    'SQS DLQ runbook, Root cause: Data Format Issues',
    'Invalid format or missing field: fix the producer, or edit the body and replay; resolve if the message is garbage.',
    'investigate',
  ),
  'access-denied': pattern(
    'access-denied',
    'Permission or credential failure',
    'SQS DLQ runbook, When messages end up in DLQ: Infrastructure Problems (IAM permissions)',
    'Permission denied: fix the consumer’s IAM role or credentials, then redrive.',
    'replay-after-fix',
  ),
  'lambda-error': pattern(
    'lambda-error',
    'Unhandled exception in the consumer',
    'SQS DLQ runbook, Root cause: Lambda Function Errors',
    'Code error in the consumer: fix the bug and deploy, then redrive.',
    'replay-after-fix',
  ),
  'no-error-info': pattern(
    'no-error-info',
    'No error information in the message',
    'SQS DLQ runbook, Step 3: Check Related Logs',
    'The message carries no error: look up its failure in the consumer’s logs (Lambda, Step Functions) around its time.',
    'investigate',
  ),
  unknown: pattern(
    'unknown',
    'Unknown error pattern',
    'Kafka DLQ runbook, Escalation Criteria: unknown error category or pattern',
    'Unknown error pattern: inspect a sample message and escalate to L3 if it persists.',
    'investigate',
  ),
};

/** Rules in priority order: the first whose regex matches the signature wins. */
const RULES: readonly (readonly [RunbookPatternId, RegExp])[] = [
  ['upload-auth', /onelake|\bazure\b|\badls\b|abfss?:|blob storage|storage account|datalake|upload failed.*(?:auth|token|credential|quota|denied|forbidden)/i],
  ['ssl-certificate', /\b(?:ssl|tls)\b|certificate|\bcert\b|x509|self[- ]signed|CERT_HAS_EXPIRED|UNABLE_TO_VERIFY/i],
  [
    'expired-url',
    /\b(?:404|410)\b|file not found|no longer available|NoSuchKey|NoSuchBucket|request has expired|(?:url|link) (?:has )?expired|expired (?:presigned |signed )?(?:url|link)|signature expired|\bgone\b/i,
  ],
  [
    'file-type-not-allowed',
    /file ?type|not in (?:the )?allowed (?:file )?types|extension .{0,40}not allowed|(?:type|extension) .{0,40}not (?:allowed|permitted)|unsupported (?:file|media|content) type|\b415\b|disallowed (?:file|extension)|mime ?type/i,
  ],
  ['rate-limited', /\b429\b|rate[- ]?limit|rate exceeded|too many requests|throttl|quota exceeded|exceeded .{0,30}quota|SlowDown|LimitExceeded|concurrency limit/i],
  ['timeout', /task timed out|Sandbox\.Timedout|States\.Timeout|function timed out|out of memory|OutOfMemory|MemoryError|memory (?:size|limit)|Runtime exited|signal: killed|ENOMEM/i],
  [
    'transient-exhausted',
    /timed? ?out|timeout|\b50[0234]\b|service (?:temporarily )?unavailable|bad gateway|gateway time|temporarily unavailable|connection (?:reset|refused|error|closed|aborted|lost|failed)|ECONNRESET|ETIMEDOUT|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|EPIPE|socket hang up|network (?:error|unreachable|issue)|retries exhausted|max(?:imum)? retries|dns/i,
  ],
  [
    'data-format',
    /json|parse error|parsing|unexpected token|unexpected end|malformed|invalid (?:message |input |payload |data )?format|missing (?:required )?(?:field|key|property|parameter|attribute)|required (?:field|property)|KeyError|ValidationError|schema|deseriali[sz]|unmarshal|invalid (?:json|payload|message body)/i,
  ],
  [
    'access-denied',
    /access ?denied|not authori[sz]ed|unauthori[sz]ed|\b40[13]\b|forbidden|permission denied|InvalidClientTokenId|ExpiredToken|security token|AuthorizationError|AuthenticationError|credentials? (?:expired|invalid)|token expired/i,
  ],
  ['lambda-error', /\b[A-Z]\w*(?:Exception|Error)\b|Traceback|Unhandled|\bRuntime\.\w+|\bLambda\.\w+|States\.TaskFailed|panic:|stack trace/],
];

/** The mapped fields a pattern is matched on; a MappedMessage fits. */
export interface PatternInput {
  errorText: string | null;
  errorType?: string | null;
  errorCategory?: string | null;
  retryCount?: number | null;
}

/** Retries the download pipeline makes before a transient error goes to the DLQ (Kafka runbook). */
export const EXHAUSTED_RETRY_COUNT = 4;

/**
 * Names the runbook pattern an error fits. Matching runs on the error's signature (URLs and ids
 * removed, so a `404` inside a URL does not count), prefixed by the error type. When the text
 * says nothing known, the runbook's symptoms decide: transient and retried 4× → Pattern 3.
 */
export const matchRunbookPattern = (input: PatternInput): RunbookPattern => {
  const type = input.errorType?.trim() ?? '';
  const text = input.errorText?.trim() ?? '';
  if (type === '' && text === '') return RUNBOOK_PATTERNS['no-error-info'];
  const haystack = `${type}${type && text ? ': ' : ''}${text === '' ? '' : errorSignature(text)}`;
  for (const [id, rule] of RULES) {
    if (rule.test(haystack)) return RUNBOOK_PATTERNS[id];
  }
  if (input.errorCategory === 'transient' && (input.retryCount ?? 0) >= EXHAUSTED_RETRY_COUNT) {
    return RUNBOOK_PATTERNS['transient-exhausted'];
  }
  if (type !== '') return RUNBOOK_PATTERNS['lambda-error'];
  return RUNBOOK_PATTERNS.unknown;
};
