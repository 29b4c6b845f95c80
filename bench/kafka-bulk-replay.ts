// Benchmark: filtered bulk replay of a Kafka DLQ (`redrive-batch --category transient [--rate R]`).
// Fills a fresh DLQ topic with runbook-shaped download failures, runs the redrive job through the app
// layer (scan → filter → produce to the replay topic, checkpoint per message in a SQLite store), and
// prints matched/skipped, msgs/s of replay, the rate held against the one asked for, and checks that
// the replay topic received each matching message exactly once. With --resolve it runs bulk resolve
// (`resolve-batch --category transient`) instead: archive, per-message audit, commit up to the lowest
// unresolved offset per partition; it prints msgs/s and the committed offsets.
// Usage: node bench/kafka-bulk-replay.ts [--brokers 127.0.0.1:19092] [--messages 5000] [--rate 0]
//        [--concurrency 4] [--resolve]   (rate 0 = unlimited). Brokers default to REDRIVE_KAFKA_BROKERS.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { KafkaClients } from '../src/adapters/outbound/kafka/kafka-client.ts';
import { createKafkaQueueBackend } from '../src/adapters/outbound/kafka/kafka-queue-backend.ts';
import { createRootLogger } from '../src/adapters/outbound/logging/pino-logger.ts';
import { SqliteStore } from '../src/adapters/outbound/sqlite/sqlite-store.ts';
import { runRedriveJob } from '../src/app/jobs/redrive-job.ts';
import { createRedriveJob } from '../src/app/jobs/redrive-job-params.ts';
import { createQueueRegistry } from '../src/app/shared/queue-registry.ts';
import { kafkaQueueSchema } from '../src/config/config.schema.ts';
import { mapDlqMessage } from '../src/core/analysis/field-mapping.ts';
import { systemClock } from '../src/ports/clock.port.ts';
import { noopMetrics } from '../src/ports/metrics.port.ts';
import { syntheticDownloadMessages } from '../test/fixtures/download-dlq-body.ts';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string' },
    messages: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '4' },
    resolve: { type: 'boolean', default: false },
  },
});
const brokers = (values.brokers ?? process.env.REDRIVE_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').filter(Boolean);
const total = Number(values.messages);
const rate = Number(values.rate) || null;
const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const topic = `bench-bulk-dlq-${suffix}`;
const replayTopic = `bench-bulk-pending-${suffix}`;

const kafka = new Kafka({ brokers, clientId: 'redrive-bench', logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
await Promise.all([admin.connect(), producer.connect()]);
await admin.createTopics({ topics: [{ topic, numPartitions: 3 }, { topic: replayTopic, numPartitions: 3 }], waitForLeaders: true });
const dir = mkdtempSync(join(tmpdir(), 'redrive-bench-bulk-'));
const store = SqliteStore.open(join(dir, 'redrive.db'));
await store.migrate();
const clients = new KafkaClients(
  { name: 'bench', brokers, clientId: 'redrive-bench', ssl: false, connectionTimeoutMs: 3_000, requestTimeoutMs: 15_000 },
  createRootLogger({ level: 'silent' }),
);
try {
  let matching = 0;
  let batch: { partition: number; key: string; value: string }[] = [];
  const now = new Date();
  for (const message of syntheticDownloadMessages(total, { now, seed: 7 })) {
    if (mapDlqMessage(message).errorCategory === 'transient') matching += 1;
    batch.push({ partition: message.partition ?? 0, key: message.key ?? '', value: message.body });
    if (batch.length === 500) {
      await producer.send({ topic, acks: -1, messages: batch });
      batch = [];
    }
  }
  if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch });

  const queue = kafkaQueueSchema.parse({ kind: 'kafka', name: 'bench-dlq', topic, consumerGroup: `bench-group-${suffix}`, replayTopic });
  const backend = createKafkaQueueBackend(queue, { clients, store, clock: systemClock });
  const deps = { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics };
  const filter = { category: 'transient', domain: null, signature: null, olderThanSeconds: null };
  const kind = values.resolve ? 'resolve-batch' : 'redrive-batch';
  const job = await createRedriveJob(deps, 'bench-dlq', { actor: 'bench', count: null, ratePerSecond: rate, filter, concurrency: Number(values.concurrency), kind, reason: values.resolve ? 'bench' : null });
  const result = await runRedriveJob(deps, job.id);
  if (values.resolve) {
    const committed = await admin.fetchOffsets({ groupId: queue.consumerGroup, topics: [topic] });
    const resolved = (await store.listResolutions('bench-dlq')).length;
    console.log(`messages in DLQ         ${total} (3 partitions), transient ${matching}`);
    console.log(`resolved / skipped      ${result.done} / ${result.skipped}, failed ${result.failed.length}, status ${result.job.status}; ${resolved} archived (${resolved === matching ? 'each match once' : 'MISMATCH'})`);
    console.log(`committed offsets       ${(committed[0]?.partitions ?? []).map((p) => `${p.partition}:${p.offset}`).join(' ')} (each partition's lowest unresolved)`);
    console.log(`elapsed                 ${(result.elapsedMs / 1000).toFixed(2)} s, ${((result.done / result.elapsedMs) * 1000).toFixed(0)} resolved msg/s`);
    process.exitCode = resolved === matching ? 0 : 1;
  } else {
    const offsets = await admin.fetchTopicOffsets(replayTopic);
    const produced = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    const msgsPerSecond = (result.done / result.elapsedMs) * 1000;
    console.log(`messages in DLQ         ${total} (3 partitions), transient ${matching}`);
    console.log(`replayed / skipped      ${result.done} / ${result.skipped}, failed ${result.failed.length}, status ${result.job.status}`);
    console.log(`replay topic records    ${produced} (${produced === matching ? 'each match exactly once' : 'MISMATCH'})`);
    console.log(`elapsed                 ${(result.elapsedMs / 1000).toFixed(2)} s, ${msgsPerSecond.toFixed(0)} replayed msg/s`);
    if (rate) console.log(`rate asked / held       ${rate} / ${msgsPerSecond.toFixed(1)} msg/s (${(((msgsPerSecond - rate) / rate) * 100).toFixed(1)} %)`);
  }
} finally {
  await clients.close();
  await store.close();
  await admin.deleteTopics({ topics: [topic, replayTopic] }).catch(() => undefined);
  await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  rmSync(dir, { recursive: true, force: true });
}
