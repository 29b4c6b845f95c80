// Benchmark: what pre-flight adds before a bulk replay starts (issue 14). runPreflight with one HTTP
// health check on a loopback server, three CloudWatch alarms on moto (one DescribeAlarms call), and
// both at once (they run side by side), each audited in a SQLite store in a temp dir. Prints p50/p99.
// Usage: node bench/preflight.ts [--moto http://127.0.0.1:15000] [--rounds 100]

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchClient } from '../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import { createCloudWatchAlarmStates } from '../src/adapters/outbound/cloudwatch/cloudwatch-alarm-states.ts';
import { createHttpHealthProbe } from '../src/adapters/outbound/http/http-health-probe.ts';
import { SqliteStore } from '../src/adapters/outbound/sqlite/sqlite-store.ts';
import { runPreflight, type PreflightChecks } from '../src/app/jobs/safety/preflight.use-case.ts';
import { systemClock } from '../src/ports/clock.port.ts';
import { noopMetrics } from '../src/ports/metrics.port.ts';

const { values } = parseArgs({ options: { moto: { type: 'string', default: 'http://127.0.0.1:15000' }, rounds: { type: 'string', default: '100' } } });
const rounds = Number(values.rounds);

const server = createServer((_req, res) => res.writeHead(200).end('ok'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const health = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
const cloudwatch = createCloudWatchClient({ endpoint: values.moto, region: 'us-east-1', protocol: 'json', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
const alarms = ['bench-consumer-errors', 'bench-consumer-throttles', 'bench-api-5xx'].map((a) => `${a}-${process.pid}`);
for (const name of alarms) {
  await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'bench' }));
}
const dir = mkdtempSync(join(tmpdir(), 'redrive-bench-preflight-'));
const store = SqliteStore.open(join(dir, 'redrive.db'));
await store.migrate();

const alarmStates = createCloudWatchAlarmStates(cloudwatch);

const measure = async (label: string, checks: PreflightChecks): Promise<void> => {
  const deps = { audit: { store, clock: systemClock, metrics: noopMetrics }, checksFor: () => checks, alarmsFor: () => alarmStates, http: createHttpHealthProbe(), lagFor: () => null };
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    const decision = await runPreflight(deps, { queue: 'bench-dlq', actor: 'bench', override: null, purpose: 'bench' });
    times.push(performance.now() - started);
    if (decision.verdict !== 'pass') throw new Error(`${label}: ${JSON.stringify(decision)}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
  console.log(`${label.padEnd(34)} ${rounds} runs  p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`);
};

try {
  await measure('HTTP health (loopback)', { alarms: [], http: [{ url: health, timeoutMs: 3_000 }], consumerLag: null });
  await measure('3 CloudWatch alarms (moto)', { alarms, http: [], consumerLag: null });
  await measure('both, side by side', { alarms, http: [{ url: health, timeoutMs: 3_000 }], consumerLag: null });
} finally {
  cloudwatch.destroy();
  server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
