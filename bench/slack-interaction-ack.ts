// Benchmark: how fast the real app acknowledges Slack interactions (SPEC "Performance": under 100 ms p99
// in-process). startServer in HTTP mode with a SQLite store in a temp dir, the local Slack API server
// (test/support) standing in for Slack's Web API, and signed requests over loopback: a /dlq command,
// a Resolve button (opens a modal after the ack), a Cancel button (runs `cancel` after the ack) and
// a modal submission refused on a field (answered in the ack itself). Prints p50/p99/max per kind.
// Usage: node bench/slack-interaction-ack.ts [--requests 400]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../test/support/log-capture.ts';
import { parseConfig, resolveSecrets } from '../src/config/load-config.ts';
import { JOB_ACTIONS, MESSAGE_ACTIONS, VIEW_CALLBACKS, encodeMessageRef } from '../src/presentation/slack/block-kit/interactive-actions.ts';
import { encodeMetadata } from '../src/presentation/slack/block-kit/modals.ts';
import { startServer } from '../src/main.ts';
import { sendBlockActions, sendSlashCommand, sendViewSubmission } from '../test/support/signed-slack.ts';
import { startSlackApiServer } from '../test/support/slack-api-server.ts';
import { buildBlockActions, buildViewSubmission, buttonAction, plainTextValue, stateValues } from '../test/support/slack-payloads.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../test/support/slack-workspace.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '400' } } });
const requests = Number(values.requests);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const slack = await startSlackApiServer();
const dir = mkdtempSync(join(tmpdir(), 'redrive-bench-ack-'));
const parsed = parseConfig({
  server: { host: '127.0.0.1', port: 0 },
  store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
  slack: { apiUrl: slack.url, mode: 'http' },
  roles: { admins: ['U_ALICE'], viewers: 'everyone' },
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const secrets = resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
const logger = silentLogger('silent');
const app = await startServer(parsed.config, secrets, logger, { slackRetries: 0 });
await slack.waitForCalls('auth.test', 1);

const ref = { queue: 'orders-dlq', id: 'm-1' };
const origin = { channel: 'C_ALERTS', messageTs: '1700000000.000100', threadTs: null };
const kinds: Record<string, () => Promise<{ status: number }>> = {
  '/dlq help': () => sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text: 'help', response_url: slack.mintResponseUrl() }),
  'Resolve button (modal)': () =>
    sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({ actions: [buttonAction({ action_id: MESSAGE_ACTIONS.resolve, value: encodeMessageRef(ref) ?? '' })], response_url: slack.mintResponseUrl() })),
  'Cancel button': () =>
    sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({ actions: [buttonAction({ action_id: JOB_ACTIONS.cancel, value: 'no-such-job' })], response_url: slack.mintResponseUrl() })),
  'modal submission refused on a field': () =>
    sendViewSubmission(app.url, TEST_SIGNING_SECRET, buildViewSubmission({ callback_id: VIEW_CALLBACKS.editReplay, private_metadata: encodeMetadata(ref, origin), values: stateValues(['body', 'body', plainTextValue('{not json')]) })),
};

console.log(`Slack interaction acknowledgement, ${requests} sequential signed requests each, loopback, SQLite`);
console.log('kind'.padEnd(40), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'max ms'.padStart(8));
try {
  for (const [kind, send] of Object.entries(kinds)) {
    for (let i = 0; i < 20; i += 1) await send(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      const started = performance.now();
      const response = await send();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${kind}: HTTP ${response.status}`);
    }
    times.sort((a, b) => a - b);
    console.log(kind.padEnd(40), percentile(times, 50).toFixed(1).padStart(8), percentile(times, 99).toFixed(1).padStart(8), (times.at(-1) ?? NaN).toFixed(1).padStart(8));
  }
} finally {
  await app.stop();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
}
