// Benchmark: manual SQS redrive on ElasticMQ. Prints throughput (msgs/s) of the batched manual path,
// how closely it holds requested rates, and the runbook's one-message-a-second shell loop for scale.
// Usage: node bench/sqs-redrive.ts [--endpoint http://127.0.0.1:9324] [--messages 2000]
// (the endpoint defaults to REDRIVE_BENCH_SQS_ENDPOINT, else REDRIVE_SQS_ENDPOINT as `scripts/services.sh env` prints it).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../src/adapters/outbound/sqs/sqs-client.ts';
import { createSqsQueueBackend } from '../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { createQueueRegistry } from '../src/app/shared/queue-registry.ts';
import { runRedriveJob } from '../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../src/app/jobs/redrive-job-params.ts';
import type { QueueDeps } from '../src/app/shared/queue-deps.ts';
import type { SqsQueueConfig } from '../src/config/config.schema.ts';
import { systemClock } from '../src/ports/clock.port.ts';
import { noopMetrics } from '../src/ports/metrics.port.ts';
import { SqliteStore } from '../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createQueuePair, deleteQueues, sendMessages } from '../test/integration/sqs/sqs-queues.ts';

const { values } = parseArgs({
  options: { endpoint: { type: 'string' }, messages: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '4' } },
});
const endpoint = values.endpoint ?? process.env.REDRIVE_BENCH_SQS_ENDPOINT ?? process.env.REDRIVE_SQS_ENDPOINT;
if (!endpoint) {
  console.error('Pass --endpoint or set REDRIVE_BENCH_SQS_ENDPOINT (scripts/services.sh up && scripts/services.sh env).');
  process.exit(2);
}
const client = createSqsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
// The store Redrive runs with by default: every job item is claimed, checkpointed and recorded in it.
const storeDir = mkdtempSync(join(tmpdir(), 'redrive-bench-'));
const store = SqliteStore.open(join(storeDir, 'redrive.db'));
await store.migrate();
const body = (i: number) => JSON.stringify({ job_id: `bench-${i}`, url: 'https://example.invalid/file', error: 'HTTP 503', n: i });

const withQueues = async <T>(run: (env: { deps: QueueDeps; queue: string; dlqUrl: string; sourceUrl: string }) => Promise<T>): Promise<T> => {
  const { source, dlq } = await createQueuePair(client, 'bench');
  const config = { name: dlq.name, kind: 'sqs', queueUrl: dlq.url, escalation: { preset: 'sqs-runbook' }, alarmNames: [], replayTarget: { kind: 'source' } } as SqsQueueConfig;
  const backend = createSqsQueueBackend(config, { sqs: client, sfn: null, cloudwatch: null, clock: systemClock, alarmTopicArn: null });
  const deps: QueueDeps = { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics };
  try {
    return await run({ deps, queue: dlq.name, dlqUrl: dlq.url, sourceUrl: source.url });
  } finally {
    await deleteQueues(client, source.url, dlq.url);
  }
};

const fill = async (url: string, n: number) => {
  const started = performance.now();
  await sendMessages(client, url, Array.from({ length: n }, (_, i) => body(i)));
  return (n / (performance.now() - started)) * 1000;
};

const manual = async (n: number, rate: number | null, concurrency: number) =>
  withQueues(async ({ deps, queue, dlqUrl }) => {
    await fill(dlqUrl, n);
    const job = await createRedriveJob(deps, queue, { actor: 'bench', count: n, ratePerSecond: rate, concurrency });
    const result = await runRedriveJob(deps, job.id);
    return { done: result.done, seconds: result.elapsedMs / 1000, rate: (result.done / result.elapsedMs) * 1000 };
  });

const shellLoop = async (n: number) =>
  withQueues(async ({ dlqUrl, sourceUrl }) => {
    await fill(dlqUrl, n);
    const started = performance.now();
    let done = 0;
    for (;;) {
      const r = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
      const message = r.Messages?.[0];
      if (!message) break;
      await client.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: message.Body ?? '' }));
      await client.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
      done += 1;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // The last receive found nothing; its wait is not reprocessing time.
    const seconds = (performance.now() - started) / 1000 - 1;
    return { done, seconds, rate: done / seconds };
  });

const n = Number(values.messages);
const concurrency = Number(values.concurrency);
const fmt = (x: number) => x.toFixed(1);
console.log(`ElasticMQ at ${endpoint}; store: SQLite at ${store.path} (checkpoints every message, as in production)`);
const fillRate = await withQueues(({ dlqUrl }) => fill(dlqUrl, n));
console.log(`fill: ${n} messages at ${fmt(fillRate)} msgs/s (SendMessageBatch, sequential)`);
const unlimited = await manual(n, null, concurrency);
console.log(`manual redrive, no rate limit, ${concurrency} batches in flight: ${unlimited.done} msgs in ${fmt(unlimited.seconds)} s = ${fmt(unlimited.rate)} msgs/s`);
const single = await manual(Math.min(n, 1000), null, 1);
console.log(`manual redrive, no rate limit, 1 batch in flight: ${single.done} msgs in ${fmt(single.seconds)} s = ${fmt(single.rate)} msgs/s`);
console.log('rate limit accuracy (requested → measured, error):');
for (const rate of [10, 50, 200, 400]) {
  const count = Math.max(100, Math.min(n, rate * 5));
  const r = await manual(count, rate, concurrency);
  console.log(`  ${String(rate).padStart(4)}/s over ${count} msgs → ${fmt(r.rate)}/s (${fmt(((r.rate - rate) / rate) * 100)} %)`);
}
const loop = await shellLoop(5);
console.log(`runbook shell loop (receive 1, send, delete, sleep 1 s): ${loop.done} msgs in ${fmt(loop.seconds)} s = ${loop.rate.toFixed(2)} msgs/s`);
client.destroy();
await store.close();
rmSync(storeDir, { recursive: true, force: true });
