// The real app on a fresh Kafka DLQ topic (real broker) with the local Slack API server: signed
// slash commands and clicks in, what Redrive sent to Slack recorded. The Kafka counterpart of
// startSlackE2e. Test support only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRootLogger, type Logger } from '../../src/adapters/outbound/logging/pino-logger.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { KafkaTestBench, kafkaBrokers } from '../integration/kafka/kafka-test-env.ts';
import { uniqueName } from './services.ts';
import { sendBlockActions, sendSlashCommand } from './signed-slack.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from './slack-api-server.ts';
import { buildBlockActions, buttonAction } from './slack-payloads.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from './slack-workspace.ts';

export const KAFKA_CHANNEL = 'C_ALERTS';

export interface KafkaSlackE2e {
  app: Runtime;
  slack: SlackApiServer;
  bench: KafkaTestBench;
  queue: string;
  dlqTopic: string;
  replayTopic: string;
  /** `/dlq <text>` from U_ALICE (admin) in the channel; resolves with the response_url answer. */
  dlq(text: string): Promise<RecordedCall>;
  /** A signed click on a button of the message `messageTs`; resolves with the HTTP status. */
  click(actionId: string, value: string, messageTs: string): Promise<number>;
  close(): Promise<void>;
}

export const startKafkaSlackE2e = async (prefix: string, options: { logger?: Logger } = {}): Promise<KafkaSlackE2e> => {
  const bench = await new KafkaTestBench().connect();
  const dlqTopic = await bench.createTopic(`${prefix}-dlq`);
  const replayTopic = await bench.createTopic(`${prefix}-pending`);
  const slack = await startSlackApiServer();
  const dir = mkdtempSync(join(tmpdir(), `redrive-${prefix}-`));
  const queue = `${prefix}-dlq`;
  const parsed = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
    slack: { apiUrl: slack.url, mode: 'http' },
    kafka: { default: { brokers: kafkaBrokers(), clientId: `redrive-${prefix}` } },
    roles: { admins: ['U_ALICE'], viewers: 'everyone' },
    queues: [{ name: queue, kind: 'kafka', cluster: 'default', topic: dlqTopic, consumerGroup: uniqueName(prefix), replayTopic, alertChannel: KAFKA_CHANNEL, escalation: { preset: 'kafka-runbook' } }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const logger = options.logger ?? createRootLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const app = await startServer(parsed.config, resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET }), logger, { slackRetries: 0 });
  await slack.waitForCalls('auth.test', 1);
  return {
    app, slack, bench, queue, dlqTopic, replayTopic,
    dlq: async (text) => {
      const responseUrl = slack.mintResponseUrl({ channel: KAFKA_CHANNEL });
      const before = slack.callsTo('response_url').length;
      const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: 'U_ALICE', channel_id: KAFKA_CHANNEL, response_url: responseUrl });
      if (sent.status !== 200) throw new Error(`/dlq ${text}: HTTP ${sent.status}`);
      const calls = await slack.waitForCalls('response_url', before + 1, 30_000);
      const answer = calls[before];
      if (!answer) throw new Error('no reply');
      return answer;
    },
    click: async (actionId, value, messageTs) =>
      (await sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({
        user_id: 'U_ALICE',
        channel_id: KAFKA_CHANNEL,
        message: { ts: messageTs },
        actions: [buttonAction({ action_id: actionId, value })],
        response_url: slack.mintResponseUrl({ channel: KAFKA_CHANNEL, messageTs }),
      }))).status,
    close: async () => {
      await app.stop();
      await slack.close();
      await bench.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
