// A Kafka DLQ worked end to end on the real broker: runbook-shaped download failures produced to a
// unique topic, then `redrive dlq view | peek | resolve | replay | status` as a person runs them in a
// terminal (bin/redrive, one process each, one config file), and `/dlq peek` through a signed Slack
// request answered via response_url on the local Slack API server.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { loadConfigFile, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES, type RunbookExampleName } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { uniqueName } from '../support/services.ts';

const QUEUE = 'downloads-dlq';
const env = { LOG_LEVEL: 'error' };

describe.skipIf(!services)('Kafka DLQ from the terminal and from Slack', () => {
  let bench: KafkaTestBench;
  let dlqTopic: string;
  let replayTopic: string;
  let group: string;
  let configPath: string;
  const run = (...args: string[]) => runRedrive(['dlq', ...args, '--config', configPath], { env, timeoutMs: 45_000 });
  // Offsets 0..3 on one partition, keyed by trace id.
  const examples: [RunbookExampleName, string][] = [];

  beforeAll(async () => {
    bench = await new KafkaTestBench().connect();
    dlqTopic = await bench.createTopic('e2e-downloads-dlq');
    replayTopic = await bench.createTopic('e2e-downloads-pending');
    group = uniqueName('e2e-dlq-cli');
    const failedAt = new Date(Date.now() - 2 * 3_600_000);
    for (const name of ['expiredUrl', 'fileType', 'timeout', 'oneLakeAuth'] as const) examples.push([name, uniqueName(`evt-${name.toLowerCase()}`)]);
    await bench.produce(
      dlqTopic,
      examples.map(([name, traceId]) => ({ key: traceId, value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES[name], traceId, failedAt }) })),
    );
    const dir = mkdtempSync(join(tmpdir(), 'redrive-e2e-kafka-'));
    configPath = writeKafkaQueueConfig(dir, { name: QUEUE, topic: dlqTopic, group, replayTopic });
  });
  afterAll(async () => {
    await bench?.close();
  });

  const trace = (name: RunbookExampleName): string => examples.find(([n]) => n === name)?.[1] ?? '';

  it('view finds a message by trace id nobody peeked at yet and shows the runbook fields', async () => {
    const view = await run('view', QUEUE, trace('timeout'));
    expect(view.stderr).not.toMatch(/redrive: |Warning/);
    expect(view.code).toBe(0);
    expect(view.stdout).toMatch(new RegExp(`trace id\\s+${trace('timeout')}`));
    expect(view.stdout).toMatch(/partition\/offset\s+0\/2/);
    expect(view.stdout).toContain(`Kafka topic ${dlqTopic}, partition 0, offset 2`);
    expect(view.stdout).toMatch(/error category\s+transient/);
    expect(view.stdout).toMatch(/retry count\s+4/);
    expect(view.stdout).toMatch(/url\s+https:\/\/timeout\.com\/slow\.pdf/);
    expect(view.stdout).toMatch(/error\s+Connection timeout after 30s/);
    expect(view.stdout).toMatch(/event type\s+claim/);
    expect(view.stdout).toMatch(/destination path\s+claims\//);
    const missing = await run('view', QUEUE, 'evt-nowhere');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/DLQ_MESSAGE_NOT_FOUND: No message "evt-nowhere" in downloads-dlq/);
  });

  it('peek prints the runbook list: offset, trace id, retry count, error category, URL; nothing committed', async () => {
    const peek = await run('peek', QUEUE, '--count', '10');
    expect(peek.code).toBe(0);
    expect(peek.stdout).toMatch(/Partition\s+Offset\s+Trace ID\s+Retry Count\s+Error Category\s+URL/);
    expect(peek.stdout).toMatch(new RegExp(`0\\s+0\\s+${trace('expiredUrl')}\\s+0\\s+permanent\\s+https://example\\.com/file1\\.pdf`));
    expect(peek.stdout).toMatch(new RegExp(`0\\s+2\\s+${trace('timeout')}\\s+4\\s+transient\\s+https://timeout\\.com/slow\\.pdf`));
    // The presigned URL's signature never reaches the screen.
    expect(peek.stdout).not.toContain('abc123def456');
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '-1' });
  });

  it('resolve hides only that message and commits up to it; the others stay', async () => {
    const resolve = await run('resolve', QUEUE, trace('expiredUrl'), '--reason', 'expired presigned URL');
    expect(resolve.stderr).not.toMatch(/redrive: /);
    expect(resolve.code).toBe(0);
    expect(resolve.stdout).toMatch(/Resolved 0:0: recorded as resolved, the consumer group's offset committed up to the lowest unresolved one/);
    // Resolving offset 3 out of order hides 3 only: the group stays at 1.
    const late = await run('resolve', QUEUE, '0:3');
    expect(late.code).toBe(0);
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '1' });
    const peek = await run('peek', QUEUE, '--count', '10');
    expect(peek.stdout).not.toContain(trace('expiredUrl'));
    expect(peek.stdout).not.toContain(trace('oneLakeAuth'));
    expect(peek.stdout).toContain(trace('fileType'));
    expect(peek.stdout).toContain(trace('timeout'));
    expect(peek.stdout).toMatch(/DLQ Messages in downloads-dlq \(2 shown\)/);
  });

  it('replay sends a copy with retry count 0 to the replay topic and keeps the message in the DLQ', async () => {
    const replay = await run('replay', QUEUE, trace('timeout'));
    expect(replay.stderr).not.toMatch(/redrive: /);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`Replayed 0:2 to kafka:${replayTopic}`);
    const [copy] = await bench.readAll(replayTopic, 1);
    const body = JSON.parse(String(copy?.value)) as { trace_id: string; retry_count: number; original_task: { retry_count: number } };
    expect(body.trace_id).toBe(trace('timeout'));
    expect(body.retry_count).toBe(0);
    expect(body.original_task.retry_count).toBe(0);
    expect(String(copy?.key)).toBe(trace('timeout'));
    expect(await bench.committed(group, dlqTopic)).toEqual({ 0: '1' });
    const status = await run('status', QUEUE);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/downloads-dlq\s+kafka\s+2\s/);
    // Per partition: high watermark 4, committed 1, lag 3, of which 1 resolved (offset 3), 2 waiting.
    expect(status.stdout).toMatch(/QUEUE\s+PARTITION\s+HIGH WATERMARK\s+COMMITTED\s+LAG\s+RESOLVED\s+WAITING/);
    expect(status.stdout).toMatch(/downloads-dlq\s+0\s+4\s+1\s+3\s+1\s+2/);
  });

  it('redrive-batch with a filter replays only the matching unresolved messages; history shows the stored depths', async () => {
    const batch = await run('redrive-batch', QUEUE, '--category', 'transient', '--rate', '50');
    expect(batch.stderr).not.toMatch(/redrive: /);
    expect(batch.code).toBe(0);
    expect(batch.stdout).toMatch(/Redrive of downloads-dlq: 1 message\(s\) replayed/);
    // Progress goes to stderr, so stdout keeps only the table.
    expect(batch.stderr).toMatch(/^downloads-dlq: job \S+: \d+(\/\d+)? replayed, 0 failed, /m);
    expect(batch.stdout).not.toMatch(/ replayed, 0 failed, /);
    expect(batch.stdout).toMatch(/filter\s+category=transient/);
    expect(batch.stdout).toMatch(/not matching, left alone\s+1/);
    const copies = await bench.readAll(replayTopic, 2);
    expect(copies.map((c) => String(c.key))).toEqual([trace('timeout'), trace('timeout')]);
    const usage = await run('redrive-batch', QUEUE);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/redrive dlq: redrive-batch needs --count N, or a filter[\s\S]*Usage: redrive dlq redrive-batch <queue> --count N/);
    const history = await run('history', QUEUE, '--hours', '1');
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/Depth history of downloads-dlq: last 1 h/);
    expect(history.stdout).toMatch(/Stored samples: \S+ {2}min 2, max 2, latest 2 at .* \(1 points\)/);
    expect(history.stdout).toContain('Kafka queues: stored samples (DLQ lag minus resolved) only.');
  });

  describe('through Slack', () => {
    let slack: SlackApiServer;
    let app: Runtime;

    beforeAll(async () => {
      slack = await startSlackApiServer();
      const loaded = loadConfigFile(configPath);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      const config = { ...loaded.config, slack: { ...loaded.config.slack, apiUrl: slack.url } };
      const logger = silentLogger();
      app = await startServer(config, resolveSecrets(config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET }), logger, { slackRetries: 0 });
    });
    afterAll(async () => {
      await app?.stop();
      await slack?.close();
    });

    it('`/dlq peek downloads-dlq` answers with the runbook list of what is still unresolved', async () => {
      const responseUrl = slack.mintResponseUrl();
      const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: `peek ${QUEUE} --count 10`, response_url: responseUrl });
      expect(sent.status).toBe(200);
      const [answer] = await slack.waitForCalls('response_url', 1, 30_000);
      // An error reply has text and no table: show it when that happens.
      expect(answer?.args.blocks, JSON.stringify(answer?.args)).toBeDefined();
      const text = JSON.stringify(answer?.args.blocks);
      expect(text).toMatch(/Partition +Offset +Trace ID +Retry Count +Error Category +URL/);
      expect(text).toContain(trace('fileType'));
      expect(text).toContain(trace('timeout'));
      expect(text).not.toContain(trace('expiredUrl'));
      expect(text).toContain('DLQ Messages in downloads-dlq (2 shown)');
    });
  });
});
