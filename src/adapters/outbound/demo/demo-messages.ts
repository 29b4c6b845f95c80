// Failure bodies for the demo DLQs, shaped like the Kafka runbook's download pipeline DLQ messages
// (FailedDownloadMessage: trace id, URL, final error, category, retry count, original task) and
// covering its failure patterns: expired presigned URLs (404/410), a `.exe` refused by the file-type
// allowlist, timeouts exhausted after 4 retries, OneLake token expiry, and one domain failing with
// SSL errors. Deterministic (seeded PRNG, times from the caller); demo data only, never real traffic.

export type DemoPattern = 'expiredUrl' | 'fileType' | 'timeout' | 'oneLake' | 'ssl';

interface PatternShape {
  finalError: (n: number) => string;
  category: 'permanent' | 'transient';
  retryCount: number;
  url: (n: number, traceId: string) => string;
}

/** The systematic failure of the demo: every file from this host fails the TLS handshake. */
export const DEMO_SSL_DOMAIN = 'cdn.partner-files.example';

const PATTERNS: Record<DemoPattern, PatternShape> = {
  expiredUrl: {
    finalError: (n) => (n % 3 === 0 ? 'HTTP 410: Gone - presigned URL expired' : 'HTTP 404: Not Found - URL no longer available'),
    category: 'permanent',
    retryCount: 0,
    url: (n, t) => `https://claims-uploads.s3.amazonaws.example/${t}/estimate-${n}.pdf?X-Amz-Expires=3600&X-Amz-Signature=${(n * 2654435761).toString(16)}`,
  },
  fileType: {
    finalError: () => 'File type validation failed: .exe not in allowed types [.pdf, .xml, .jpg, .png]',
    category: 'permanent',
    retryCount: 0,
    url: (n) => `https://files.example.org/uploads/setup-${n}.exe`,
  },
  timeout: {
    finalError: () => 'Connection timeout after 30s - retries exhausted (4 attempts)',
    category: 'transient',
    retryCount: 4,
    url: (n) => `https://timeout.example.com/slow/report-${n}.pdf`,
  },
  oneLake: {
    finalError: () => 'OneLake upload failed: AuthenticationError - Token expired',
    category: 'transient',
    retryCount: 4,
    url: (n, t) => `https://storage.example.com/claims/${t}/photo-${n}.jpg`,
  },
  ssl: {
    finalError: () => 'SSL certificate verification failed',
    category: 'permanent',
    retryCount: 0,
    url: (n) => `https://${DEMO_SSL_DOMAIN}/docs/invoice-${n}.pdf`,
  },
};

/** Share of each pattern in the demo feed: the SSL domain dominates, as a systematic failure does. */
const WEIGHTS: [DemoPattern, number][] = [
  ['ssl', 0.36],
  ['expiredUrl', 0.24],
  ['timeout', 0.16],
  ['oneLake', 0.12],
  ['fileType', 0.12],
];

export const pickPattern = (random: () => number): DemoPattern => {
  let r = random();
  for (const [pattern, weight] of WEIGHTS) {
    if (r < weight) return pattern;
    r -= weight;
  }
  return 'ssl';
};

export interface DemoBody {
  pattern: DemoPattern;
  traceId: string;
  body: string;
}

/** The n-th demo failure: a runbook-shaped JSON body with its trace id. */
export const demoFailure = (pattern: DemoPattern, n: number, failedAt: Date, prefix = 'evt-demo'): DemoBody => {
  const shape = PATTERNS[pattern];
  const traceId = `${prefix}-${String(n).padStart(4, '0')}`;
  const url = shape.url(n, traceId);
  const file = url.split('/').pop()?.split('?')[0] ?? 'file';
  const body = {
    trace_id: traceId,
    attachment_url: url,
    original_task: {
      trace_id: traceId,
      attachment_url: url,
      destination_path: `claims/${traceId}/${file}`,
      event_type: n % 4 === 0 ? 'policy' : 'claim',
      event_subtype: n % 2 === 0 ? 'created' : 'updated',
      retry_count: shape.retryCount,
      original_timestamp: new Date(failedAt.getTime() - (shape.retryCount + 1) * 90_000).toISOString(),
      metadata: { source: 'redrive-demo' },
    },
    final_error: shape.finalError(n),
    error_category: shape.category,
    retry_count: shape.retryCount,
    failed_at: failedAt.toISOString(),
  };
  return { pattern, traceId, body: JSON.stringify(body) };
};
