// `redrive dlq redrive-batch --canary N` in a terminal (bin/redrive, one process per command) on a
// Kafka DLQ whose queue config has a watch window but no default canary: the flag asks for one. The
// downstream fails HEIC photos, so the canary comes back: the command prints the paused job with
// which came back and how to go on, and nothing beyond the canary is replayed. With the downstream
// fixed, `resume` replays the rest and every download is processed exactly once.

import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadDlqBodyJson } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { startKafkaDownstream, type FailingDownstream } from '../support/failing-downstream.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { uniqueName, waitFor } from '../support/services.ts';

const QUEUE = 'downloads-dlq';
const env = { LOG_LEVEL: 'error' };

describe.skipIf(!services)('redrive-batch --canary N in a terminal (Kafka)', () => {
  let bench: KafkaTestBench;
  let downstream: FailingDownstream;
  let configPath: string;
  let dlqTopic: string;
  const run = (...args: string[]) => runRedrive(['dlq', ...args, '--config', configPath], { env, timeoutMs: 60_000 });

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('cli-canary-dlq');
    const replayTopic = await bench.createTopic('cli-canary-pending');
    configPath = writeKafkaQueueConfig(mkdtempSync(join(tmpdir(), 'redrive-cli-canary-')), { name: QUEUE, topic: dlqTopic, group: uniqueName('cli-canary'), replayTopic });
    // A watch window, no canary unless a job asks for one.
    appendFileSync(configPath, '\n    canary: {count: 0, watch: 4s}\n');
    downstream = await startKafkaDownstream(bench.kafka, { replayTopic, dlqTopic }, (body) => String((JSON.parse(body) as { attachment_url?: string }).attachment_url).endsWith('.heic'), 'HTTP 415: Unsupported Media Type - image/heic');
  });
  afterAll(async () => {
    await downstream?.stop();
    await bench?.close();
  });

  it('the canary pauses the job and replays nothing more; resume with the downstream fixed processes each download once', async () => {
    const traces = Array.from({ length: 5 }, (_, i) => uniqueName(`cli${i}`));
    const files = ['a.heic', 'b.heic', 'c.heic', 'd.pdf', 'e.heic'];
    await bench.produce(dlqTopic, traces.map((t, i) => ({ key: t, value: downloadDlqBodyJson({ traceId: t, url: `https://files.example.com/${files[i]}`, finalError: 'HTTP 503: Service Unavailable', errorCategory: 'transient', retryCount: 4, failedAt: new Date(Date.now() - 3_600_000) }) })));

    const first = await run('redrive-batch', QUEUE, '--count', '5', '--canary', '2');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/paused: [12] of 2 canary message\(s\) came back to the DLQ/);
    expect(first.stdout).toContain('HTTP 415: Unsupported Media Type');
    const jobId = /Job (\S+) on/.exec(first.stdout)?.[1] ?? '';
    expect(first.stdout).toContain(`resume ${QUEUE} ${jobId}`);
    expect(first.stderr).toContain('canary: 2 replayed; watching the DLQ');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(new Set(downstream.attempts).size).toBe(2);
    const canaryTraces = [...new Set(downstream.attempts)];
    const failing = canaryTraces.filter((t) => files[traces.indexOf(t)]?.endsWith('.heic'));

    downstream.fix();
    const second = await run('resume', QUEUE, jobId);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/status\s+succeeded/);
    await waitFor(() => downstream.processed.length >= 5, { timeoutMs: 30_000, description: 'every download processed' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect([...downstream.processed].sort()).toEqual([...traces].sort());
    expect(downstream.attempts).toHaveLength(5 + failing.length);
  }, 150_000);
});
