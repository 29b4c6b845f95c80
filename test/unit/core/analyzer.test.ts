import { describe, expect, it } from 'vitest';
import { createAnalyzer, UNPARSED_SIGNATURE } from '../../../src/core/analysis/analyzer.ts';
import { NO_ERROR_TEXT } from '../../../src/core/analysis/error-signature.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { dlqMessage, runbookExampleMessage, syntheticDownloadMessages, type RunbookExampleName } from '../../fixtures/download-dlq-body.ts';

const NOW = new Date('2024-12-27T12:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);

let offset = 0;
const example = (name: RunbookExampleName, ageMinutes: number, overrides: Parameters<typeof runbookExampleMessage>[1]['overrides'] = {}): DlqMessage => {
  offset += 1;
  return runbookExampleMessage(name, { traceId: `evt-${name}-${offset}`, failedAt: minutesAgo(ageMinutes), offset, overrides });
};

const analyze = (messages: Iterable<DlqMessage>, options: Partial<Parameters<typeof createAnalyzer>[0]> = {}) => {
  const analyzer = createAnalyzer({ now: NOW, ...options });
  for (const message of messages) analyzer.add(message);
  return analyzer.result();
};

describe('createAnalyzer: daily review of a mixed DLQ', () => {
  const messages = [
    ...Array.from({ length: 3 }, (_, i) => example('expiredUrl', 30 + i, { url: `https://example.com/file${i}.pdf?X-Amz-Signature=s${i}` })),
    ...Array.from({ length: 2 }, (_, i) => example('fileType', 120 + i)),
    ...Array.from({ length: 4 }, (_, i) => example('timeout', 60 * 30 + i)),
    example('oneLakeAuth', 60 * 24 * 8),
  ];
  const report = analyze(messages);

  it('counts and groups by category, signature and pattern', () => {
    expect(report.total).toBe(10);
    expect(report.parsed).toBe(10);
    expect(report.unparsed).toBe(0);
    expect(report.byCategory.map((g) => [g.category, g.count, g.known])).toEqual([
      ['permanent', 5, true],
      ['transient', 5, true],
    ]);
    expect(report.bySignature.map((g) => [g.signature, g.count, g.pattern.id])).toEqual([
      ['Connection timeout after <n>s - retries exhausted (<n> attempts)', 4, 'transient-exhausted'],
      ['HTTP 404: Not Found - URL no longer available', 3, 'expired-url'],
      ['File type validation failed: .exe not in allowed types [.pdf, .xml, .jpg, .png]', 2, 'file-type-not-allowed'],
      ['OneLake upload failed: AuthenticationError - Token expired', 1, 'upload-auth'],
    ]);
    expect(report.byPattern.map((g) => [g.pattern.id, g.count])).toEqual([
      ['transient-exhausted', 4],
      ['expired-url', 3],
      ['file-type-not-allowed', 2],
      ['upload-auth', 1],
    ]);
    expect(report.unknownCategory).toBe(0);
    expect(report.unknownPattern).toBe(0);
  });

  it('groups by domain, retry count (0 = permanent, 4 = exhausted), event type and shape', () => {
    expect(report.byDomain.map((g) => [g.domain, g.count])).toEqual([
      ['timeout.com', 4],
      ['example.com', 3],
      ['files.example.org', 2],
      ['storage.example.com', 1],
    ]);
    expect(report.byDomain[1]?.topSignatures).toEqual([{ key: 'HTTP 404: Not Found - URL no longer available', count: 3 }]);
    expect(report.byRetryCount.map((g) => [g.retryCount, g.source, g.count, g.meaning])).toEqual([
      [0, 'body', 5, 'direct to DLQ (permanent error)'],
      [4, 'body', 5, 'retries exhausted (4)'],
    ]);
    expect(report.byEventType.map((g) => [g.eventType, g.count])).toEqual([['claim', 10]]);
    expect(report.byShape).toHaveLength(1);
  });

  it('buckets ages and keeps sample keys, not bodies', () => {
    expect(report.byAge.map((g) => [g.bucket, g.count])).toEqual([
      ['<1h', 3],
      ['1-24h', 2],
      ['1-7d', 4],
      ['>7d', 1],
      ['unknown', 0],
    ]);
    const expired = report.bySignature.find((g) => g.pattern.id === 'expired-url');
    expect(expired?.samples).toEqual([
      { messageKey: '0:1', traceId: 'evt-expiredUrl-1' },
      { messageKey: '0:2', traceId: 'evt-expiredUrl-2' },
      { messageKey: '0:3', traceId: 'evt-expiredUrl-3' },
    ]);
    expect(expired?.firstSeen).toEqual(minutesAgo(32));
    expect(expired?.lastSeen).toEqual(minutesAgo(30));
    expect(expired?.topDomains).toEqual([{ key: 'example.com', count: 3 }]);
    expect(JSON.stringify(report)).not.toContain('X-Amz-Signature');
  });

  it('is isolated, and its findings name the runbook actions by importance', () => {
    expect(report.systematic).toMatchObject({ systematic: false, basis: null });
    expect(report.timePattern.kind).toBe('spread');
    expect(report.findings.map((f) => [f.severity, f.kind])).toEqual([
      ['warning', 'old-messages'],
      ['info', 'pattern'],
      ['info', 'pattern'],
      ['info', 'pattern'],
      ['info', 'retry-counts'],
      ['info', 'top-domain'],
      ['info', 'time-pattern'],
    ]);
    const texts = report.findings.map((f) => f.text);
    expect(texts[1]).toBe('4 × Network/timeout failure, retries exhausted (40%): Replay once the source is healthy.');
    expect(texts[4]).toBe(
      '5 went straight to the DLQ (retry count 0: permanent errors); 5 exhausted their retries (retry count 4: transient errors that persisted).',
    );
    expect(texts[0]).toMatch(/^1 message older than 7 days/);
  });
});

describe('createAnalyzer: systematic failures (Kafka runbook Pattern 5)', () => {
  it('flags one error on one domain as systematic, first among the findings', () => {
    const messages = [
      ...Array.from({ length: 120 }, (_, i) => example('sslCertificate', i % 8, { url: `https://example.com/docs/${i}.pdf` })),
      example('expiredUrl', 5),
      example('timeout', 5),
    ];
    const report = analyze(messages);
    expect(report.systematic).toMatchObject({
      systematic: true,
      basis: 'signature+domain',
      signature: 'SSL certificate verification failed',
      domain: 'example.com',
    });
    expect(report.systematic.action).toMatch(/^Pause the consumer and escalate/);
    expect(report.findings[0]).toMatchObject({ kind: 'systematic', severity: 'critical' });
    expect(report.findings[0]?.text).toMatch(/98% share the error “SSL certificate verification failed” and 99% come from example.com/);
    expect(report.findings.find((f) => f.kind === 'same-error-over-threshold')?.text).toMatch(/affects 120 messages \(more than 100: escalate to L3\)/);
    expect(report.findings.find((f) => f.kind === 'rapid-growth')?.text).toMatch(/^122 messages failed in the last 10 min \(12.2\/min/);
    expect(report.timePattern.kind).toBe('burst');
  });

  it('flags one domain with mixed errors as systematic by domain', () => {
    const messages = [
      ...Array.from({ length: 6 }, () => example('expiredUrl', 100, { url: 'https://flaky.example.net/a.pdf' })),
      ...Array.from({ length: 6 }, () => example('timeout', 100, { url: 'https://flaky.example.net/b.pdf' })),
    ];
    expect(analyze(messages).systematic).toMatchObject({ systematic: true, basis: 'domain', domain: 'flaky.example.net' });
  });

  it.each([
    ['too few messages', 9, 'Isolated: only 9 messages.'],
    ['no dominant error or domain', 0, /^Isolated: no single error or domain covers 80% of 20 messages\.$/],
  ])('stays isolated with %s', (_name, count, reason) => {
    const messages =
      count > 0
        ? Array.from({ length: count }, () => example('sslCertificate', 1))
        : (['expiredUrl', 'fileType', 'timeout', 'oneLakeAuth'] as const).flatMap((name, n) =>
            Array.from({ length: 5 }, (_, i) => example(name, 1, { url: `https://d${n}-${i}.example.io/x` })),
          );
    const verdict = analyze(messages).systematic;
    expect(verdict.systematic).toBe(false);
    expect(verdict.reason).toEqual(typeof reason === 'string' ? reason : expect.stringMatching(reason));
  });
});

describe('createAnalyzer: the verdict and the findings follow one rule', () => {
  it('one error on more than 100 messages, under 80% of the DLQ: systematic, and the same-error finding beside it', () => {
    const others = (['expiredUrl', 'fileType', 'timeout', 'oneLakeAuth'] as const).flatMap((name, n) =>
      Array.from({ length: 10 }, (_, i) => example(name, 60 * 24, { url: `https://d${n}-${i}.example.io/x` })),
    );
    const messages = [...Array.from({ length: 110 }, (_, i) => example('sslCertificate', 60 * 24, { url: `https://h${i}.example.net/a.pdf` })), ...others];
    const report = analyze(messages);
    expect(report.total).toBe(150);
    expect(report.systematic).toMatchObject({ systematic: true, basis: 'signature', signature: 'SSL certificate verification failed' });
    expect(report.systematic.reason).toBe('Systematic: of 150 messages, 110 (73%) share the error “SSL certificate verification failed”, more than 100.');
    expect(report.findings.map((f) => f.kind).slice(0, 2)).toEqual(['systematic', 'same-error-over-threshold']);
  });

  it.each([
    ['9 SSL errors', () => Array.from({ length: 9 }, () => example('sslCertificate', 1))],
    ['100 SSL errors among 200', () => [...Array.from({ length: 100 }, (_, i) => example('sslCertificate', 600, { url: `https://s${i}.example.net/a` })), ...Array.from({ length: 100 }, (_, i) => example('timeout', 600, { url: `https://t${i}.example.org/b` }))]],
  ])('isolated (%s): no finding and no pattern reference says systematic or asks for L3 on one error', (_name, build) => {
    const report = analyze(build());
    expect(report.systematic.systematic).toBe(false);
    expect(report.findings.map((f) => f.kind)).not.toContain('same-error-over-threshold');
    const said = [...report.findings.map((f) => f.text), ...report.bySignature.map((g) => `${g.pattern.title} ${g.pattern.runbookRef} ${g.pattern.action}`)].join('\n');
    expect(said).not.toMatch(/systematic/i);
  });
});

describe('createAnalyzer: odd bodies and SQS messages', () => {
  it('counts raw bodies and unknown categories without dropping anything', () => {
    const messages = [
      dlqMessage('plain text payload', { messageKey: 'm-1', enqueuedAt: minutesAgo(5) }),
      dlqMessage('{"broken":', { messageKey: 'm-2' }),
      dlqMessage('{"trace_id":"evt-9","error_category":"AUTH","final_error":"the frobnicator declined"}', { messageKey: 'm-3' }),
    ];
    const report = analyze(messages);
    expect(report).toMatchObject({ total: 3, parsed: 1, unparsed: 2, unknownCategory: 1, missingCategory: 2, unknownPattern: 1, noErrorText: 2 });
    expect(report.bySignature.map((g) => [g.signature, g.count, g.pattern.id])).toEqual([
      [UNPARSED_SIGNATURE, 2, 'no-error-info'],
      ['the frobnicator declined', 1, 'unknown'],
    ]);
    expect(report.byShape.map((g) => g.shape)).toEqual(['raw', '{error_category:string,final_error:string,trace_id:string}']);
    expect(report.byAge.find((g) => g.bucket === 'unknown')?.count).toBe(2);
    expect(report.findings.map((f) => f.kind)).toEqual(['unknown-category', 'unknown-pattern', 'unparsed', 'no-error-info', 'time-pattern']);
    expect(report.findings[0]?.text).toBe('1 message has an unknown error category (auth 1): an L3 escalation criterion.');
  });

  it('groups SQS job bodies with Lambda errors by signature, job type and receive count', () => {
    const sqs = (i: number, body: object) =>
      dlqMessage(JSON.stringify(body), { queue: 'jaunt-dev-frontier-dlq', messageKey: `msg-${i}`, receiveCount: 5, enqueuedAt: minutesAgo(90 + i) });
    const messages = [
      ...Array.from({ length: 6 }, (_, i) => sqs(i, { job_id: `job-${i}`, job_type: 'web-fetch', errorType: 'KeyError', errorMessage: "'city'" })),
      ...Array.from({ length: 3 }, (_, i) => sqs(10 + i, { job_id: `job-${10 + i}`, job_type: 'web-fetch', errorMessage: `Task timed out after ${30 + i}.03 seconds` })),
      ...Array.from({ length: 20 }, (_, i) => sqs(20 + i, { job_id: `job-${20 + i}`, job_type: 'geocode', city: 'Paris' })),
    ];
    const report = analyze(messages);
    expect(report.bySignature.map((g) => [g.signature, g.count, g.pattern.id])).toEqual([
      [NO_ERROR_TEXT, 20, 'no-error-info'],
      ["KeyError: '<v>'", 6, 'data-format'],
      ['Task timed out after <n> seconds', 3, 'timeout'],
    ]);
    expect(report.byEventType.map((g) => [g.eventType, g.count])).toEqual([
      ['geocode', 20],
      ['web-fetch', 9],
    ]);
    expect(report.byRetryCount.map((g) => [g.retryCount, g.source, g.meaning])).toEqual([
      [5, 'receive-count', 'received 5 times (SQS receive count, peeks included)'],
    ]);
    // Messages without an error say nothing about a common cause: not systematic.
    expect(report.systematic.systematic).toBe(false);
    expect(report.findings.find((f) => f.kind === 'no-error-info')?.text).toBe(
      "20 messages carry no error text (most common job type: geocode): check the consumer's logs around their failure time.",
    );
    expect(report.findings.some((f) => f.kind === 'retry-counts')).toBe(false);
  });
});

describe('createAnalyzer: time patterns', () => {
  it.each([
    ['burst', [1, 2, 3, 4, 5], /^Burst: 100% \(5\) failed in the last 10 min, 0.5\/min\.$/],
    ['clustered', [120, 121, 122, 125], /^Clustered: all 4 failed within 5 min, 2 h ago \(2024-12-27 09:55Z → 2024-12-27 10:00Z\)\.$/],
    ['spread', [1, 60 * 24, 60 * 48], /^Spread over 2 days \(2024-12-25 12:00Z → 2024-12-27 11:59Z\), 0.1\/h on average\.$/],
  ])('%s', (kind, ages, description) => {
    const report = analyze(ages.map((age) => example('timeout', age)));
    expect(report.timePattern.kind).toBe(kind);
    expect(report.timePattern.description).toMatch(description);
    expect(report.timePattern.firstSeen).toEqual(minutesAgo(Math.max(...ages)));
    expect(report.timePattern.lastSeen).toEqual(minutesAgo(Math.min(...ages)));
  });

  it('reports an empty DLQ', () => {
    const report = analyze([]);
    expect(report).toMatchObject({ total: 0, bySignature: [], timePattern: { kind: 'unknown', timed: 0 } });
    expect(report.systematic.systematic).toBe(false);
    expect(report.findings).toEqual([{ kind: 'time-pattern', severity: 'info', text: 'The DLQ holds no messages to analyse.' }]);
  });
});

describe('createAnalyzer: options and snapshots', () => {
  it('honours sampleSize and maxGroups, and result() is a snapshot', () => {
    const analyzer = createAnalyzer({ now: NOW, sampleSize: 1, maxGroups: 2 });
    for (const name of ['expiredUrl', 'expiredUrl', 'fileType', 'timeout', 'timeout', 'timeout'] as const) analyzer.add(example(name, 10));
    const first = analyzer.result();
    expect(first.bySignature).toHaveLength(2);
    expect(first.bySignature.every((g) => g.samples.length === 1)).toBe(true);
    expect(first.capped.signature).toBe(true);
    expect(first.bySignature[0]?.pattern.id).toBe('transient-exhausted');
    expect(analyzer.result()).toEqual(first);
    analyzer.add(example('timeout', 10));
    expect(analyzer.result().total).toBe(7);
    expect(first.total).toBe(6);
  });
});

describe('createAnalyzer: bounded memory', () => {
  it('keeps every dimension capped over 200k varied messages and still finds the heavy hitters', { timeout: 300_000 }, () => {
    const maxGroups = 50;
    const analyzer = createAnalyzer({ now: NOW, maxGroups, sampleSize: 3 });
    const total = 200_000;
    for (const message of syntheticDownloadMessages(total, { now: NOW, seed: 7, domains: 5000, noiseShare: 0.3 })) analyzer.add(message);
    const report = analyzer.result();
    expect(report.total).toBe(total);
    for (const groups of [report.byCategory, report.bySignature, report.byDomain, report.byRetryCount, report.byEventType, report.byShape]) {
      expect(groups.length).toBeLessThanOrEqual(maxGroups);
      for (const group of groups) expect(group.samples.length).toBeLessThanOrEqual(3);
    }
    expect(report.capped).toMatchObject({ signature: true, domain: true, category: true, eventType: false, shape: false });
    // The five runbook errors (about 14% each) survive 60k one-off errors; their guaranteed count is close.
    const runbook = report.bySignature.filter((g) => g.pattern.id !== 'unknown');
    expect(runbook.map((g) => g.pattern.id).sort()).toEqual(['expired-url', 'file-type-not-allowed', 'ssl-certificate', 'transient-exhausted', 'upload-auth']);
    for (const group of runbook) {
      expect(group.count - group.maxOvercount).toBeGreaterThan(total * 0.1);
      expect(group.topDomains.length).toBeLessThanOrEqual(3);
    }
    expect(report.byPattern.reduce((sum, g) => sum + g.count, 0)).toBe(total);
    expect(report.byAge.reduce((sum, g) => sum + g.count, 0)).toBe(total);
    expect(report.unknownCategory).toBeGreaterThan(total * 0.25);
    // No error covers 80%, but each runbook error is on far more than 100 messages: systematic (one rule
    // with the same-error findings), never "isolated" beside "the same error affects 28,000 messages".
    expect(report.systematic).toMatchObject({ systematic: true, basis: 'signature' });
    expect(report.systematic.reason).toMatch(/share the error “.+”, more than 100\.$/);
  });
});
