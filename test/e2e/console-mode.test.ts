// When the local console runs: without Slack credentials on a loopback host. With a real queue in the
// config it drives that queue (a real ElasticMQ DLQ here) and no demo queue exists; with Slack
// credentials, or on a non-loopback host, there is no console at all.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { requireServices } from '../support/services.ts';
import { startSlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { createQueuePair, deleteQueues, sendMessages, services, TEST_CREDENTIALS, testSqsClient } from '../integration/sqs/sqs-test-env.ts';

const quietLogger = () => silentLogger();

const start = async (config: Record<string, unknown>, env: Record<string, string> = {}): Promise<Runtime> => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-console-e2e-'));
  const parsed = parseConfig({ server: { host: '127.0.0.1', port: 0 }, store: { kind: 'sqlite', path: join(dir, 'redrive.db') }, ...config });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return startServer(parsed.config, resolveSecrets(parsed.config, env), quietLogger(), { slackRetries: 0 });
};

type State = { console: { queues: { name: string; demo: boolean }[]; demo: unknown }; messages: { channel: string; text: string; threadTs: string | null }[] };
const state = async (app: Runtime): Promise<State> => (await (await fetch(`${app.url}/console/state`)).json()) as State;

describe.skipIf(!services)('console with a real queue in the config', () => {
  const sqs = testSqsClient();
  let pair: Awaited<ReturnType<typeof createQueuePair>>;
  let app: Runtime;

  beforeAll(async () => {
    const endpoints = requireServices(services);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    pair = await createQueuePair(sqs, 'console');
    await sendMessages(sqs, pair.dlq.url, Array.from({ length: 4 }, (_, i) => JSON.stringify({ job_id: `job-${i}`, error: 'HTTP 404: Not Found - URL no longer available' })));
    app = await start({
      aws: { region: endpoints.sqs.region, sqsEndpoint: endpoints.sqs.endpoint },
      queues: [{ name: pair.dlq.name, kind: 'sqs', queueUrl: pair.dlq.url, escalation: { preset: 'sqs-runbook', l1Depth: 2 } }],
    });
  });

  afterAll(async () => {
    await app?.stop();
    await deleteQueues(sqs, pair.source.url, pair.dlq.url);
    sqs.destroy();
    vi.unstubAllEnvs();
  });

  it('shows the real queue (no demo) and its incident in the console alert channel', async () => {
    expect(app.consoleUrl).toBe(`${app.url}/console`);
    const first = await state(app);
    expect(first.console.queues).toEqual([{ name: pair.dlq.name, kind: 'sqs', demo: false }]);
    expect(first.console.demo).toBeNull();
    await app.poller.pollOnce();
    await app.incidents.flush();
    const after = await state(app);
    const parent = after.messages.find((m) => m.threadTs === null && m.text.includes(pair.dlq.name));
    expect(parent?.text).toMatch(/L1 warning/);
    expect(parent?.channel).toBe('C0DLQALERTS');
  });

  it('runs /dlq against the real queue as the console user, who is an admin there', async () => {
    const result = (await (await fetch(`${app.url}/console/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'C0DLQALERTS', text: `/dlq status ${pair.dlq.name}` }) })).json()) as { ok: boolean };
    expect(result.ok).toBe(true);
    await vi.waitFor(async () => expect((await state(app)).messages.some((m) => m.text.includes(`${pair.dlq.name}: 4 visible`))).toBe(true), { timeout: 10_000 });
  });
});

describe('console with the demo queues', () => {
  it('bulk replay and bulk resolve work on the Kafka-like demo queue (walked by scan, as a real Kafka DLQ)', async () => {
    const app = await start({});
    try {
      const command = (text: string) =>
        fetch(`${app.url}/console/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'C0DLQALERTS', text }) });
      await command('/dlq redrive-batch demo.downloads.dlq --count 3');
      await command('/dlq resolve-batch demo.downloads.dlq --count 4 --reason demo');
      await app.slackJobs.idle();
      await vi.waitFor(async () => {
        const texts = (await state(app)).messages.map((m) => m.text);
        expect(texts.some((t) => /demo\.downloads\.dlq finished: 3 message\(s\) replayed/.test(t))).toBe(true);
        expect(texts.some((t) => /demo\.downloads\.dlq finished: 4 message\(s\) resolved/.test(t))).toBe(true);
      }, { timeout: 15_000 });
    } finally {
      await app.stop();
    }
  }, 60_000);
});

describe('no console', () => {
  it('with Slack credentials', async () => {
    const slack = await startSlackApiServer();
    const app = await start({ slack: { apiUrl: slack.url } }, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
    try {
      expect(app.consoleUrl).toBeNull();
      expect((await fetch(`${app.url}/console`)).status).toBe(404);
      await slack.waitForCalls('auth.test', 1);
    } finally {
      await app.stop();
      await slack.close();
    }
  });

  it('on a host that is not loopback (no login on the console)', async () => {
    const app = await start({ server: { host: '0.0.0.0', port: 0 } });
    try {
      expect(app.consoleUrl).toBeNull();
      expect((await fetch(`${app.url.replace('0.0.0.0', '127.0.0.1')}/console`)).status).toBe(404);
    } finally {
      await app.stop();
    }
  });
});
