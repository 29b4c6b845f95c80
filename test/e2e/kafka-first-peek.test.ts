// The first `/dlq peek` of a Kafka queue on a freshly started server, while the depth poller makes
// its own first read of the same cluster: kafkajs can hand one of them a broker whose handshake the
// other has under way ("Broker not connected"). The user must get the table every time (3 of 12
// fresh starts answered with an error before KafkaWire waited for the handshake).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger } from '../../src/adapters/outbound/logging/pino-logger.ts';
import { loadConfigFile, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer } from '../../src/main.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../fixtures/download-dlq-body.ts';
import { KafkaTestBench, services, uniqueName, writeKafkaQueueConfig } from '../integration/kafka/kafka-test-env.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';

const ROUNDS = 10;

describe.skipIf(!services)('the first Kafka peek on a freshly started server', () => {
  it(`answers with the table on each of ${ROUNDS} fresh starts`, async () => {
    const bench = await new KafkaTestBench().connect();
    const failures: string[] = [];
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const dlqTopic = await bench.createTopic('first-peek-dlq');
        const replayTopic = await bench.createTopic('first-peek-pending');
        await bench.produce(dlqTopic, [{ key: 't1', value: downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: 't1', failedAt: new Date() }) }]);
        const dir = mkdtempSync(join(tmpdir(), 'redrive-first-peek-'));
        const loaded = loadConfigFile(writeKafkaQueueConfig(dir, { name: 'downloads-dlq', topic: dlqTopic, group: uniqueName('first-peek'), replayTopic }));
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
        const slack = await startSlackApiServer();
        const config = { ...loaded.config, slack: { ...loaded.config.slack, apiUrl: slack.url } };
        const logged: string[] = [];
        const logger = createRootLogger({ level: 'warn', destination: new Writable({ write: (chunk, _e, done) => done(void logged.push(String(chunk))) }) });
        const app = await startServer(config, resolveSecrets(config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET }), logger, { slackRetries: 0 });
        try {
          await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: 'peek downloads-dlq --count 10', response_url: slack.mintResponseUrl() });
          const [answer] = await slack.waitForCalls('response_url', 1, 30_000);
          if (!JSON.stringify(answer?.args.blocks ?? null).includes('DLQ Messages in downloads-dlq (1 shown)')) {
            failures.push(`start ${round + 1}: ${JSON.stringify(answer?.args)}\n${logged.join('')}`);
          }
        } finally {
          await app.stop();
          await slack.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await bench.close();
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
