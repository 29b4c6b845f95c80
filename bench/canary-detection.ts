// Benchmark: how soon a canary catches a broken downstream on ElasticMQ, and what a canary that passes
// costs. A consumer on the source queue fails every message (makes it visible again at once), so the
// canary's messages return to the DLQ after maxReceiveCount (5); the script prints the time from the
// job's start to the paused job, and, with a healthy consumer, the time a job with a canary takes over
// one without (the watch window, by design). Figures only: no assertion.
// Usage: node bench/canary-detection.ts [--endpoint http://127.0.0.1:9324] [--messages 200] [--watch 10]
// (the endpoint defaults to REDRIVE_BENCH_SQS_ENDPOINT, else REDRIVE_SQS_ENDPOINT as `scripts/services.sh env` prints it).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSqsClient } from '../src/adapters/outbound/sqs/sqs-client.ts';
import { createSqsQueueBackend } from '../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { SqliteStore } from '../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createQueueRegistry } from '../src/app/shared/queue-registry.ts';
import type { QueueDeps } from '../src/app/shared/queue-deps.ts';
import { runRedriveJob } from '../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../src/app/jobs/redrive-job-params.ts';
import type { SqsQueueConfig } from '../src/config/config.schema.ts';
import { systemClock } from '../src/ports/clock.port.ts';
import { noopMetrics } from '../src/ports/metrics.port.ts';
import { createQueuePair, deleteQueues, sendMessages } from '../test/integration/sqs/sqs-queues.ts';
import { startSqsDownstream } from '../test/support/failing-downstream.ts';

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, messages: { type: 'string', default: '200' }, watch: { type: 'string', default: '10' } } });
const endpoint = values.endpoint ?? process.env.REDRIVE_BENCH_SQS_ENDPOINT ?? process.env.REDRIVE_SQS_ENDPOINT;
if (!endpoint) {
  console.error('Pass --endpoint or set REDRIVE_BENCH_SQS_ENDPOINT (scripts/services.sh up && scripts/services.sh env).');
  process.exit(2);
}
const messages = Number(values.messages);
const watchMs = Number(values.watch) * 1000;
const client = createSqsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
const storeDir = mkdtempSync(join(tmpdir(), 'redrive-bench-canary-'));
const store = SqliteStore.open(join(storeDir, 'redrive.db'));
await store.migrate();

/** One job on a fresh queue pair with a consumer that fails everything (broken) or nothing. */
const run = async (canary: number, broken: boolean): Promise<{ ms: number; status: string; replayed: number }> => {
  const { source, dlq } = await createQueuePair(client, 'bench-canary');
  const config = { name: dlq.name, kind: 'sqs', queueUrl: dlq.url, escalation: { preset: 'sqs-runbook' }, alarmNames: [], replayTarget: { kind: 'source' } } as SqsQueueConfig;
  const backend = createSqsQueueBackend(config, { sqs: client, sfn: null, cloudwatch: null, clock: systemClock, alarmTopicArn: null });
  const deps: QueueDeps = { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics, canaryConfig: () => ({ count: 5, watchMs }) };
  const consumer = startSqsDownstream(client, source.url, () => broken);
  try {
    await sendMessages(client, dlq.url, Array.from({ length: messages }, (_, i) => JSON.stringify({ trace_id: `bench-${i}`, error: 'HTTP 503' })));
    const job = await createRedriveJob(deps, dlq.name, { actor: 'bench', count: messages, canary });
    const started = performance.now();
    const result = await runRedriveJob(deps, job.id);
    return { ms: performance.now() - started, status: result.job.status, replayed: (await store.listReplays(dlq.name, { jobId: job.id })).length };
  } finally {
    await consumer.stop();
    await deleteQueues(client, source.url, dlq.url);
  }
};

const line = (label: string, r: { ms: number; status: string; replayed: number }) =>
  console.log(`${label.padEnd(44)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.status.padEnd(9)} ${r.replayed} replayed`);

console.log(`canary of 5, watch window ${watchMs / 1000} s (looks every 5 s), ${messages} messages, ElasticMQ maxReceiveCount 5`);
line('broken downstream: canary until paused', await run(5, true));
line('healthy downstream: no canary', await run(0, false));
line('healthy downstream: canary, then the rest', await run(5, false));
store.close();
client.destroy();
rmSync(storeDir, { recursive: true, force: true });
