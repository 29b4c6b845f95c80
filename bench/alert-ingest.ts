// Benchmark: Alertmanager webhooks into the real alert routes (our HTTP server, the ingest use case, a
// SQLite store in a temp dir) over loopback. A child process generates the load at increasing rates
// and reports sustained alerts/s with p50/p99 latency; then an alert storm for one queue shows each
// distinct alert recorded once however often it is delivered. Bounded in count and time.
// Usage: node bench/alert-ingest.ts [--seconds 3] [--rates 250,500,1000,2000,4000,8000] [--storm 10000]

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHttpServer } from '../src/adapters/inbound/http/http-server.ts';
import { alertRoutes } from '../src/adapters/inbound/sns/alert-routes.ts';
import { createRootLogger } from '../src/adapters/outbound/logging/pino-logger.ts';
import { createPrometheusMetrics } from '../src/adapters/outbound/metrics/prometheus-metrics.ts';
import { SqliteStore } from '../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createIngestAlert, type IngestedAlert } from '../src/app/incidents/ingest-alert.ts';
import { parseConfig } from '../src/config/load-config.ts';
import { systemClock } from '../src/ports/clock.port.ts';

const TOKEN = 'bench-token';
const STORM_QUEUE_TOPIC = 'storm.dlq';
const { values } = parseArgs({
  options: {
    client: { type: 'string' },
    seconds: { type: 'string', default: '3' },
    rates: { type: 'string', default: '250,500,1000,2000,4000,8000' },
    storm: { type: 'string', default: '10000' },
    distinct: { type: 'string', default: '25' },
  },
});

// ---------------------------------------------------------------------------------------------
// Load generator (child process)

interface PhaseResult {
  phase: string;
  target: number | null;
  requests: number;
  alerts: number;
  seconds: number;
  alertsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  outcomes: Record<string, number>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const postJson = (base: string, body: string): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = request(`${base}/alerts/alertmanager`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });

const alert = (fingerprint: string, topic: string, alertname = 'KafkaDLQGrowthRapid') => ({
  status: 'firing',
  labels: { alertname, topic, severity: 'critical' },
  annotations: { summary: `${topic} is growing` },
  startsAt: '2026-11-22T08:00:00.000Z',
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint,
});
const webhook = (alerts: unknown[]) => JSON.stringify({ version: '4', receiver: 'redrive', status: 'firing', groupKey: 'bench', alerts });

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Open loop: requests are issued on schedule whether or not earlier ones finished (up to maxInFlight,
 * past which the generator falls behind and the achieved rate shows it). Stops after 3× the planned time.
 */
const runPhase = async (
  base: string,
  phase: string,
  options: { rate: number | null; requests: number; alertsPerRequest: number; body: (i: number) => string; maxInFlight: number; plannedSeconds: number },
): Promise<PhaseResult> => {
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  const started = performance.now();
  const deadline = started + options.plannedSeconds * 3_000;
  await new Promise<void>((resolve) => {
    const finishIfDone = () => {
      if (inFlight === 0 && (sent >= options.requests || performance.now() > deadline)) resolve();
    };
    const issue = () => {
      const i = sent++;
      inFlight++;
      const t0 = performance.now();
      postJson(base, options.body(i))
        .then(({ status, text }) => {
          latencies.push(performance.now() - t0);
          if (status >= 300) errors++;
          else for (const a of (JSON.parse(text) as { alerts: IngestedAlert[] }).alerts) outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
        })
        .catch(() => errors++)
        .finally(() => {
          inFlight--;
          if (options.rate === null && sent < options.requests && performance.now() < deadline) issue();
          finishIfDone();
        });
    };
    if (options.rate === null) {
      // Closed loop at fixed concurrency: as fast as the server answers.
      for (let k = 0; k < Math.min(options.maxInFlight, options.requests); k++) issue();
      return;
    }
    const rate = options.rate;
    const tick = () => {
      const due = Math.min(options.requests, Math.floor(((performance.now() - started) / 1_000) * rate));
      while (sent < due && inFlight < options.maxInFlight) issue();
      if (sent < options.requests && performance.now() < deadline) setTimeout(tick, 1);
      else finishIfDone();
    };
    tick();
  });
  const seconds = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const done = latencies.length;
  return {
    phase,
    target: options.rate === null ? null : options.rate * options.alertsPerRequest,
    requests: done,
    alerts: done * options.alertsPerRequest,
    seconds,
    alertsPerSecond: (done * options.alertsPerRequest) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    outcomes,
  };
};

const runClient = async (base: string): Promise<void> => {
  const seconds = Number(values.seconds);
  const results: PhaseResult[] = [];
  let n = 0;
  // Warm-up: JIT, SQLite page cache, keep-alive sockets.
  await runPhase(base, 'warm-up', { rate: null, requests: 500, alertsPerRequest: 1, maxInFlight: 16, plannedSeconds: 5, body: () => webhook([alert(`warm-${n++}`, 'bench.dlq')]) });
  for (const rate of values.rates.split(',').map(Number)) {
    results.push(
      await runPhase(base, `1 alert/request @ ${rate}/s`, {
        rate,
        requests: Math.round(rate * seconds),
        alertsPerRequest: 1,
        maxInFlight: 256,
        plannedSeconds: seconds,
        body: () => webhook([alert(`a-${n++}`, 'bench.dlq')]),
      }),
    );
  }
  results.push(
    await runPhase(base, 'max, 1 alert/request, 32 in flight', { rate: null, requests: 20_000, alertsPerRequest: 1, maxInFlight: 32, plannedSeconds: seconds, body: () => webhook([alert(`m-${n++}`, 'bench.dlq')]) }),
  );
  results.push(
    await runPhase(base, 'max, 50-alert groups, 8 in flight', {
      rate: null,
      requests: 2_000,
      alertsPerRequest: 50,
      maxInFlight: 8,
      plannedSeconds: seconds,
      body: () => webhook(Array.from({ length: 50 }, () => alert(`g-${n++}`, 'bench.dlq'))),
    }),
  );
  // Alert storm: `distinct` alerts for one queue, each delivered storm/distinct times, interleaved.
  const distinct = Number(values.distinct);
  const storm = Number(values.storm);
  const names = ['KafkaDLQGrowthRapid', 'KafkaDLQGrowthWarning', 'KafkaDLQSizeHigh'];
  results.push(
    await runPhase(base, `storm: ${storm} deliveries of ${distinct} alerts, one queue`, {
      rate: null,
      requests: storm,
      alertsPerRequest: 1,
      maxInFlight: 64,
      plannedSeconds: 10,
      body: (i) => webhook([alert(`storm-${i % distinct}`, STORM_QUEUE_TOPIC, names[i % names.length])]),
    }),
  );
  process.send?.({ results });
  agent.destroy();
};

// ---------------------------------------------------------------------------------------------
// Server (this process)

const runServer = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-bench-alerts-'));
  const store = SqliteStore.open(join(dir, 'redrive.db'), { clock: systemClock });
  await store.migrate();
  const parsed = parseConfig({
    kafka: { default: { brokers: ['127.0.0.1:9092'] } },
    queues: [
      { name: 'bench-dlq', kind: 'kafka', topic: 'bench.dlq', consumerGroup: 'g', replayTopic: 'bench.pending' },
      { name: 'storm-dlq', kind: 'kafka', topic: STORM_QUEUE_TOPIC, consumerGroup: 'g', replayTopic: 'storm.pending' },
    ],
    alerts: { alertmanager: { bearerTokenEnv: 'AM_TOKEN' } },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const config = parsed.config;
  const logger = createRootLogger({ level: 'silent' });
  const metrics = createPrometheusMetrics({ defaultMetrics: false });
  let stormSubscriberCalls = 0;
  const ingest = createIngestAlert({
    store,
    clock: systemClock,
    metrics,
    logger,
    queues: config.queues,
    alertmanager: config.alerts.alertmanager,
    onAlert: (event) => {
      if (event.queue === 'storm-dlq') stormSubscriberCalls++;
    },
  });
  const routes = alertRoutes({ ingest, config, secrets: { alertmanagerBearerToken: TOKEN }, logger, metrics, clock: systemClock });
  const http = createHttpServer({ routes, logger });
  const { url } = await http.listen('127.0.0.1', 0);
  console.log(`alert ingestion benchmark: server ${url}, SQLite ${dir}, Node ${process.version}, load from a child process`);
  try {
    const child = fork(new URL(import.meta.url).pathname, ['--client', url, ...process.argv.slice(2)], { stdio: 'inherit' });
    const results = await new Promise<PhaseResult[]>((resolve, reject) => {
      child.on('message', (message) => resolve((message as { results: PhaseResult[] }).results));
      child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`load generator exited with ${code}`))));
    });
    const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(52) : c.padStart(10))).join(' '));
    row(['phase', 'target/s', 'alerts', 'alerts/s', 'p50 ms', 'p99 ms', 'errors']);
    for (const r of results) {
      row([r.phase, r.target === null ? '-' : String(r.target), String(r.alerts), r.alertsPerSecond.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), String(r.errors)]);
    }
    const held = results.filter((r) => r.target !== null && r.errors === 0 && r.alertsPerSecond >= r.target * 0.95);
    const best = held[held.length - 1];
    if (best) console.log(`sustained: ${best.target} alerts/s one per request (p50 ${best.p50Ms.toFixed(2)} ms, p99 ${best.p99Ms.toFixed(2)} ms)`);
    const storm = results[results.length - 1];
    const stored = await store.listAlerts({ queue: 'storm-dlq', limit: 100_000 });
    console.log(
      `storm: ${storm?.requests ?? 0} deliveries → ${storm?.outcomes.recorded ?? 0} recorded, ${storm?.outcomes.duplicate ?? 0} duplicates; ` +
        `store holds ${stored.length} alert(s) for storm-dlq (${new Set(stored.map((a) => a.dedupKey)).size} distinct); onAlert called ${stormSubscriberCalls} times for it`,
    );
    await new Promise((resolve) => child.once('exit', resolve));
  } finally {
    await http.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

if (values.client) await runClient(values.client);
else await runServer();
