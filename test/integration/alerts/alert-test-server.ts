// Test harness for the alert routes: the real HTTP server (createHttpServer) with alertRoutes, the real
// ingest use case, a real SqliteStore in a temp dir, Prometheus metrics and a captured pino log; plus a
// raw HTTP client that can send hostile requests (no content type, chunked, huge, invalid UTF-8).

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { createHttpServer } from '../../../src/adapters/inbound/http/http-server.ts';
import { alertRoutes } from '../../../src/adapters/inbound/sns/alert-routes.ts';
import { SnsFetchError, type CertificateFetcher } from '../../../src/adapters/inbound/sns/sns-certificate.ts';
import type { SubscriptionConfirmer } from '../../../src/adapters/inbound/sns/sns-subscription.ts';
import { createRootLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';
import { createPrometheusMetrics } from '../../../src/adapters/outbound/metrics/prometheus-metrics.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createIngestAlert, type RecordedAlertEvent } from '../../../src/app/incidents/ingest-alert.ts';
import type { Config } from '../../../src/config/config.schema.ts';
import { parseConfig, resolveSecrets } from '../../../src/config/load-config.ts';
import { systemClock, type Clock } from '../../../src/ports/clock.port.ts';
import type { Store } from '../../../src/ports/store.port.ts';
import { TEST_CERT_URL, TEST_TOPIC_ARN } from '../../fixtures/alerts/sns-signer.ts';

export const BEARER = 'am-token-0123456789';
export const BASIC_USER = 'alertmanager';
export const BASIC_PASSWORD = 'pa:ss-word';
export const TEST_ENV = { AM_TOKEN: BEARER, AM_USER: BASIC_USER, AM_PASSWORD: BASIC_PASSWORD };

/** A full config through the real schema, with the queues the alert tests use. */
export const testConfig = (overrides: { topicArns?: string[]; maxBodyBytes?: number; alertLevels?: Record<string, 'L1' | 'L2' | 'L3'> } = {}): Config => {
  const result = parseConfig({
    server: { maxBodyBytes: overrides.maxBodyBytes ?? 65_536 },
    kafka: { default: { brokers: ['127.0.0.1:9092'] } },
    queues: [
      { name: 'orders-dlq', kind: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders-processing-dlq', alarmNames: ['orders-dlq-depth-high'] },
      { name: 'billing', kind: 'sqs', queueUrl: 'http://127.0.0.1:9324/000000000000/billing-dlq' },
      { name: 'downloads-dlq', kind: 'kafka', topic: 'downloads.dlq', consumerGroup: 'downloads-dlq-monitor', replayTopic: 'downloads.pending' },
    ],
    alerts: {
      sns: { topicArns: overrides.topicArns ?? [TEST_TOPIC_ARN] },
      alertmanager: { bearerTokenEnv: 'AM_TOKEN', basicAuthUserEnv: 'AM_USER', basicAuthPasswordEnv: 'AM_PASSWORD', alertLevels: overrides.alertLevels ?? {} },
    },
  });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
};

/** Serves one PEM at TEST_CERT_URL and answers 404 for any other URL, counting fetches. */
export const servingCertificate = (pem: string): CertificateFetcher & { fetches: string[] } => {
  const fetches: string[] = [];
  const fetcher = async (url: URL) => {
    fetches.push(url.href);
    if (url.href !== TEST_CERT_URL) throw new SnsFetchError('rejected', `GET ${url.host} answered 404`);
    return pem;
  };
  return Object.assign(fetcher, { fetches });
};

export const openTempSqliteStore = async (clock: Clock = systemClock): Promise<{ store: SqliteStore; path: string; cleanup(): void }> => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-alerts-'));
  const path = join(dir, 'redrive.db');
  const store = SqliteStore.open(path, { clock });
  await store.migrate();
  return { store, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

export interface AlertTestServer {
  url: string;
  store: Store;
  events: RecordedAlertEvent[];
  logLines: Record<string, unknown>[];
  confirmations: string[];
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

export const startAlertServer = async (options: {
  certificateFetcher: CertificateFetcher;
  store?: Store;
  config?: Config;
  clock?: Clock;
  env?: Record<string, string>;
  confirmSubscription?: SubscriptionConfirmer;
}): Promise<AlertTestServer> => {
  const clock = options.clock ?? systemClock;
  const owned = options.store ? null : await openTempSqliteStore(clock);
  const store = options.store ?? owned!.store;
  const config = options.config ?? testConfig();
  const logLines: Record<string, unknown>[] = [];
  const logger = createRootLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  });
  const metrics = createPrometheusMetrics({ defaultMetrics: false });
  const events: RecordedAlertEvent[] = [];
  const confirmations: string[] = [];
  const alertLogger = logger.child({ component: 'alerts' });
  const ingest = createIngestAlert({
    store,
    clock,
    metrics,
    logger: alertLogger,
    queues: config.queues,
    alertmanager: config.alerts.alertmanager,
    onAlert: (event) => {
      events.push(event);
    },
  });
  const routes = alertRoutes({
    ingest,
    config,
    secrets: resolveSecrets(config, options.env ?? TEST_ENV),
    logger: alertLogger,
    metrics,
    clock,
    certificateFetcher: options.certificateFetcher,
    subscriptionConfirmer:
      options.confirmSubscription ??
      (async (url) => {
        confirmations.push(url.href);
      }),
  });
  const http = createHttpServer({ routes, logger: logger.child({ component: 'http' }) });
  const { url } = await http.listen('127.0.0.1', 0);
  return {
    url,
    store,
    events,
    logLines,
    confirmations,
    metricsText: () => metrics.render(),
    close: async () => {
      await http.close();
      if (owned) {
        await owned.store.close();
        owned.cleanup();
      }
    },
  };
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | null;
}

/**
 * POSTs with full control of headers and body framing. `chunks` sends a chunked body with no
 * Content-Length. Resolves on the response even if the server stopped reading the body early.
 */
export const post = (
  base: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; chunks?: Iterable<Buffer>; method?: string },
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method: options.method ?? 'POST', headers: options.headers ?? {} });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    // The server may answer (413) and close before the whole body went out: that is not a failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.chunks) {
      const write = async () => {
        for (const chunk of options.chunks ?? []) {
          if (answered || req.destroyed) return;
          if (!req.write(chunk)) await new Promise<void>((r) => req.once('drain', () => r()));
        }
        req.end();
      };
      write().catch(() => undefined);
    } else req.end(options.body);
  });

export const snsHeaders = (type = 'Notification'): Record<string, string> => ({
  'content-type': 'text/plain; charset=UTF-8',
  'x-amz-sns-message-type': type,
  'user-agent': 'Amazon Simple Notification Service Agent',
});

export const amHeaders = (authorization = `Bearer ${BEARER}`): Record<string, string> => ({
  'content-type': 'application/json',
  authorization,
  'user-agent': 'Alertmanager/0.28.1',
});

/** The moto endpoint from the integration global setup, or REDRIVE_TEST_MOTO_ENDPOINT. */
type MotoEndpoint = { endpoint: string; region: string };
type ProvidedServices = { moto?: MotoEndpoint } | null;

/** The moto endpoint from the integration global setup, or REDRIVE_TEST_MOTO_ENDPOINT; null when neither. */
export const motoEndpoint = (): MotoEndpoint | null => {
  let provided: ProvidedServices = null;
  try {
    provided = (inject as (key: string) => unknown)('services') as ProvidedServices;
  } catch {
    provided = null;
  }
  if (provided?.moto) return provided.moto;
  const endpoint = process.env.REDRIVE_TEST_MOTO_ENDPOINT;
  return endpoint ? { endpoint, region: 'us-east-1' } : null;
};

export const requireMoto = (moto: MotoEndpoint | null): MotoEndpoint => {
  if (!moto) throw new Error('No moto endpoint: run through the integration project (scripts/services.sh) or set REDRIVE_TEST_MOTO_ENDPOINT.');
  return moto;
};

/** Polls until the check returns a value other than undefined, or fails after timeoutMs. */
export const waitUntil = async <T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};
