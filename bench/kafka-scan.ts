// Benchmark: scanning a large Kafka DLQ. Fills a topic with runbook-shaped download DLQ messages, then
// measures, each in a fresh process, msgs/s and peak RSS of KafkaDeadLetterQueue.scan alone, of the
// scan feeding the core analyzer (what `analyze` does), and of `kcat -C ... -o beginning -e -q`
// consuming the same topic, and prints the ratios (SPEC "Performance": streams at a rate comparable to kcat).
// Usage: node bench/kafka-scan.ts [--brokers 127.0.0.1:19092] [--messages 200000] [--partitions 3]
//        [--topic <existing filled topic>] [--keep] [--fetch-kib 256]
// Brokers default to REDRIVE_KAFKA_BROKERS, as printed by `scripts/services.sh env`. Installs the
// Debian package kcat when it is missing (apt-get), saying so first.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { KafkaClients } from '../src/adapters/outbound/kafka/kafka-client.ts';
import { KafkaDeadLetterQueue } from '../src/adapters/outbound/kafka/kafka-dead-letter-queue.ts';
import { createRootLogger } from '../src/adapters/outbound/logging/pino-logger.ts';
import { SqliteStore } from '../src/adapters/outbound/sqlite/sqlite-store.ts';
import { createAnalyzer } from '../src/core/analysis/analyzer.ts';
import { systemClock } from '../src/ports/clock.port.ts';
import { syntheticDownloadMessages } from '../test/fixtures/download-dlq-body.ts';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string' },
    messages: { type: 'string', default: '200000' },
    partitions: { type: 'string', default: '3' },
    topic: { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** Per-partition fetch size of the scan, KiB (the adapter's default is 256). */
    'fetch-kib': { type: 'string', default: '256' },
    // Internal: one measurement in this (child) process.
    measure: { type: 'string' },
  },
});
const brokers = (values.brokers ?? process.env.REDRIVE_KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) {
  console.error('Pass --brokers or set REDRIVE_KAFKA_BROKERS (scripts/services.sh up && eval "$(scripts/services.sh env)").');
  process.exit(2);
}

/** Child mode: scan the topic once and print one JSON line. */
const measure = async (mode: string, topic: string): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-bench-'));
  const store = SqliteStore.open(join(dir, 'bench.db'));
  await store.migrate();
  const clients = new KafkaClients(
    { name: 'bench', brokers, clientId: 'redrive-bench', ssl: false, connectionTimeoutMs: 3_000, requestTimeoutMs: 30_000 },
    createRootLogger({ level: 'warn' }),
  );
  const group = `bench-never-committed-${randomBytes(4).toString('hex')}`;
  const dlq = new KafkaDeadLetterQueue({
    name: topic,
    topic,
    consumerGroup: group,
    wire: clients.wire,
    store,
    clock: systemClock,
    scanBytesPerPartition: Number(values['fetch-kib']) * 1024,
  });
  // 'baseline': connect and read the status only, for the RSS of a process that scans nothing.
  if (mode === 'baseline') {
    const status = await dlq.status();
    console.log(JSON.stringify({ count: 0, bytes: 0, seconds: 0, depth: status.depth, maxRssKb: process.resourceUsage().maxRSS }));
    await clients.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const analyzer = mode === 'analyze' ? createAnalyzer({ now: systemClock.now() }) : null;
  const started = performance.now();
  let count = 0;
  let bytes = 0;
  for await (const message of dlq.scan({ timeoutMs: 30 * 60_000 })) {
    count += 1;
    bytes += message.body.length;
    analyzer?.add(message);
  }
  const seconds = (performance.now() - started) / 1000;
  const report = analyzer?.result();
  console.log(
    JSON.stringify({
      count,
      bytes,
      seconds,
      maxRssKb: process.resourceUsage().maxRSS,
      ...(report ? { signatures: report.bySignature.length, findings: report.findings.map((f) => f.kind), total: report.total } : {}),
    }),
  );
  await clients.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
};

if (values.measure) {
  await measure(values.measure, values.topic ?? '');
  process.exit(0);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;

/** Runs a command under python's getrusage(RUSAGE_CHILDREN): wall time, peak RSS, stdout lines. */
const runMeasured = (command: string[], keepStdout: boolean): Promise<{ seconds: number; maxRssKb: number; lines: number; stdout: string }> =>
  new Promise((resolve, reject) => {
    const wrapper = [
      'import resource, subprocess, sys, time, json',
      't = time.monotonic()',
      'p = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE)',
      'lines, kept = 0, []',
      'while True:',
      '    chunk = p.stdout.read(1 << 20)',
      '    if not chunk: break',
      '    lines += chunk.count(b"\\n")',
      '    if sys.argv[1] == "keep": kept.append(chunk)',
      'code = p.wait()',
      'seconds = time.monotonic() - t',
      'rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss',
      'print(json.dumps({"code": code, "seconds": seconds, "maxRssKb": rss, "lines": lines, "stdout": b"".join(kept).decode()}))',
    ].join('\n');
    const child = spawn('python3', ['-c', wrapper, keepStdout ? 'keep' : 'count', ...command], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const result = JSON.parse(out) as { code: number; seconds: number; maxRssKb: number; lines: number; stdout: string };
        if (result.code !== 0) reject(new Error(`${command[0]} exited with ${result.code}`));
        else resolve(result);
      } catch (error) {
        reject(new Error(`could not measure ${command.join(' ')}: ${String(error)}`));
      }
    });
  });

const ensureKcat = (): boolean => {
  if (spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0) return true;
  console.log('kcat is not installed: installing the Debian package kcat (apt-get update && apt-get install -y kcat)...');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'kcat'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.log('Could not install kcat (needs root and the Debian archive); the kcat comparison is skipped. Install it with: apt-get install -y kcat');
    return false;
  }
  return spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
};

const fill = async (kafka: Kafka, topic: string, count: number, partitions: number): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  const batch: { key: string; value: string; partition: number; timestamp: string }[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let i = 0;
  const flush = async () => {
    const messages = batch.splice(0);
    const send = producer.send({ topic, acks: 1, messages });
    inFlight.add(send);
    void send.finally(() => inFlight.delete(send));
    if (inFlight.size >= 4) await Promise.race(inFlight);
  };
  for (const message of syntheticDownloadMessages(count, { now: systemClock.now(), noiseShare: 0.01 })) {
    batch.push({ key: message.key ?? '', value: message.body, partition: i % partitions, timestamp: String(message.enqueuedAt?.getTime() ?? Date.now()) });
    i += 1;
    if (batch.length >= 1_000) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  await producer.disconnect();
  const seconds = (performance.now() - started) / 1000;
  console.log(`fill: ${fmt(count)} messages into ${topic} (${partitions} partitions) in ${seconds.toFixed(1)} s (${fmt(count / seconds)} msgs/s)`);
};

// Quiet: a failure still surfaces as the thrown error.
const kafka = new Kafka({ brokers, clientId: 'redrive-bench-fill', logLevel: logLevel.NOTHING });
const count = Number(values.messages);
const partitions = Number(values.partitions);
const topic = values.topic ?? `bench-kafka-scan-${randomBytes(4).toString('hex')}`;
console.log(`Kafka at ${brokers.join(',')}; node ${process.version}; kafkajs 2.2.4`);
if (!values.topic) await fill(kafka, topic, count, partitions);

try {
  const self = fileURLToPath(import.meta.url);
  const redrive = async (mode: 'baseline' | 'scan' | 'analyze') => {
    const args = ['--measure', mode, '--topic', topic, '--brokers', brokers.join(','), '--fetch-kib', values['fetch-kib'] ?? '256'];
    const run = await runMeasured([process.execPath, self, ...args], true);
    const inner = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { count: number; bytes: number; seconds: number; signatures?: number; findings?: string[] };
    return { ...run, inner };
  };
  const baseline = await redrive('baseline');
  const scanned = await redrive('scan');
  const analyzed = await redrive('analyze');
  const rows: [string, number, number, number, number][] = [
    ['redrive scan', scanned.inner.count, scanned.inner.seconds, scanned.seconds, scanned.maxRssKb],
    ['redrive scan + analyzer', analyzed.inner.count, analyzed.inner.seconds, analyzed.seconds, analyzed.maxRssKb],
  ];
  let kcat: { lines: number; seconds: number; maxRssKb: number } | null = null;
  if (ensureKcat()) {
    kcat = await runMeasured(['kcat', '-C', '-b', brokers[0] ?? '', '-t', topic, '-o', 'beginning', '-e', '-q'], false);
    rows.push(['kcat -C -o beginning -e -q', kcat.lines, kcat.seconds, kcat.seconds, kcat.maxRssKb]);
  }
  console.log(`\n${'reader'.padEnd(28)}${'messages'.padStart(10)}${'scan s'.padStart(9)}${'msgs/s'.padStart(10)}${'process s'.padStart(11)}${'msgs/s'.padStart(10)}${'peak RSS'.padStart(10)}`);
  for (const [name, n, inner, wall, rss] of rows) {
    console.log(`${name.padEnd(28)}${fmt(n).padStart(10)}${inner.toFixed(2).padStart(9)}${fmt(n / inner).padStart(10)}${wall.toFixed(2).padStart(11)}${fmt(n / wall).padStart(10)}${mib(rss).padStart(10)}`);
  }
  console.log('(scan s: from the first request to the last message, inside the process; process s: the whole process, Node start-up and connect included)');
  console.log(`baseline: a Redrive process that connects and reads the status only peaks at ${mib(baseline.maxRssKb)}; scan fetch size ${values['fetch-kib']} KiB per partition`);
  console.log(`analyzer: ${analyzed.inner.signatures ?? 0} signature groups, findings: ${(analyzed.inner.findings ?? []).join(', ') || 'none'}`);
  if (kcat) {
    const rate = (n: number, s: number) => n / s;
    console.log(`ratio to kcat (msgs/s, whole process): scan ${(rate(scanned.inner.count, scanned.seconds) / rate(kcat.lines, kcat.seconds)).toFixed(2)}, scan + analyzer ${(rate(analyzed.inner.count, analyzed.seconds) / rate(kcat.lines, kcat.seconds)).toFixed(2)}`);
    console.log(`ratio to kcat (msgs/s, scan only vs kcat process): scan ${(rate(scanned.inner.count, scanned.inner.seconds) / rate(kcat.lines, kcat.seconds)).toFixed(2)}, scan + analyzer ${(rate(analyzed.inner.count, analyzed.inner.seconds) / rate(kcat.lines, kcat.seconds)).toFixed(2)}`);
  }
} finally {
  if (!values.keep && !values.topic) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  } else console.log(`kept topic ${topic}`);
}
