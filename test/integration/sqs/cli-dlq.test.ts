// The terminal surface: `bin/redrive dlq ...` as a child process against ElasticMQ, checking the
// runbook-style table a person sees and that errors exit non-zero with a clear line.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { runRedrive } from '../../support/run-redrive.ts';
import { createQueuePair, deleteQueues, sendMessages, services, sqsEndpoint, testSqsClient, type CreatedQueue } from './sqs-test-env.ts';

describe.skipIf(!services)('redrive dlq (terminal) on ElasticMQ', () => {
  let client: SQSClient;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let configPath: string;
  const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', LOG_LEVEL: 'error' };

  beforeAll(async () => {
    client = testSqsClient();
    pair = await createQueuePair(client, 'cli');
    await sendMessages(client, pair.dlq.url, ['{"trace_id":"cli-1","error":"HTTP 404"}', '{"trace_id":"cli-2","error":"HTTP 404"}', 'raw body']);
    const dir = mkdtempSync(join(tmpdir(), 'redrive-cli-'));
    configPath = join(dir, 'redrive.yaml');
    const { endpoint, region } = sqsEndpoint();
    writeFileSync(
      configPath,
      [
        'store:',
        '  kind: sqlite',
        `  path: ${join(dir, 'redrive.db')}`,
        'aws:',
        `  region: ${region}`,
        `  sqsEndpoint: ${endpoint}`,
        'queues:',
        '  - name: frontier-dlq',
        '    kind: sqs',
        `    queueUrl: ${pair.dlq.url}`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await deleteQueues(client, pair.source.url, pair.dlq.url);
    client.destroy();
  });

  it('status prints the runbook table with visible, in flight and delayed counts', async () => {
    const result = await runRedrive(['dlq', 'status', 'frontier-dlq', '--config', configPath], { env });
    expect(result.stderr).not.toMatch(/redrive: /);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/QUEUE\s+KIND\s+VISIBLE\s+IN FLIGHT\s+DELAYED\s+OLDEST\s+GROWTH\/MIN\s+LEVEL/);
    expect(result.stdout).toMatch(/frontier-dlq\s+sqs\s+3\s+0\s+0\s/);
  });

  it('peek shows the messages and consumes nothing; replay of an unknown id fails clearly', async () => {
    const peek = await runRedrive(['dlq', 'peek', 'frontier-dlq', '--count', '3', '--config', configPath], { env });
    expect(peek.code).toBe(0);
    expect(peek.stdout).toContain('raw body');
    const status = await runRedrive(['dlq', 'status', 'frontier-dlq', '--config', configPath], { env });
    expect(status.stdout).toMatch(/frontier-dlq\s+sqs\s+3\s+0\s+0\s/);
    const replay = await runRedrive(['dlq', 'replay', 'frontier-dlq', 'no-such-id', '--config', configPath], { env });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('DLQ_MESSAGE_NOT_FOUND');
    const unknown = await runRedrive(['dlq', 'status', 'nope', '--config', configPath], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('QUEUE_UNKNOWN');
  });

  it('peek of more messages than one Slack page prints every message, with no Previous / Next note', async () => {
    // Slack shows these 14 a page at a time; a terminal has no buttons, so it prints them all.
    const big = await createQueuePair(client, 'cli-pages');
    try {
      await sendMessages(client, big.dlq.url, Array.from({ length: 14 }, (_, i) => JSON.stringify({ trace_id: `page-${i}-marker`, error: `HTTP 503 ${'x'.repeat(900)}` })));
      const config = join(mkdtempSync(join(tmpdir(), 'redrive-cli-pages-')), 'redrive.yaml');
      const { endpoint, region } = sqsEndpoint();
      writeFileSync(config, ['store: {kind: sqlite, path: ' + join(tmpdir(), `redrive-cli-pages-${process.pid}.db`) + '}', 'aws:', `  region: ${region}`, `  sqsEndpoint: ${endpoint}`, 'queues:', '  - name: big-dlq', '    kind: sqs', `    queueUrl: ${big.dlq.url}`].join('\n'));
      const peek = await runRedrive(['dlq', 'peek', 'big-dlq', '--count', '20', '--config', config], { env });
      expect(peek.code, peek.stderr).toBe(0);
      for (let i = 0; i < 14; i += 1) expect(peek.stdout).toContain(`page-${i}-marker`);
      expect(peek.stdout).not.toMatch(/Previous \/ Next|page 1 of/);
    } finally {
      await deleteQueues(client, big.source.url, big.dlq.url);
    }
  });
});
