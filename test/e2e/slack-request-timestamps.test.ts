// Signed Slack requests dated too far from the app's clock, in the past OR the future, are refused on
// every kind of Slack request (slash command, button click, event) of the real app in HTTP mode: 401,
// one warn line, no listener runs (no Slack call, no audit record, the message stays in the DLQ).
// The app runs on a hand-set clock, so ±299 s vs ±301 s is decided exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { queueDepth, sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { capturedLogger, LEVELS } from '../support/log-capture.ts';
import { sendEvent, sendSlashCommand, type SignedSendOptions } from '../support/signed-slack.ts';
import { buildAppHomeOpened } from '../support/slack-payloads.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { buttonsIn, CHANNEL, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const YEAR = 365 * 24 * 3600;

describe.skipIf(!services)('Slack request timestamps against the app clock (HTTP mode, real app)', () => {
  // Set by hand (never moves by itself); e.dlq() signs on the wall clock, a few seconds off it.
  const clock = fixedClock(new Date());
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);
  const log = capturedLogger('info');
  let e: SlackE2e;
  let messageValue = '';

  beforeAll(async () => {
    e = await startSlackE2e('timestamps', { server: { clock }, logger: log.logger });
    await sendMessages(e.sqs, e.pair.dlq.url, [JSON.stringify({ orderId: 1, error: 'Lambda timeout' })]);
    const peek = await e.dlq(`peek ${e.queue}`);
    messageValue = buttonsIn(peek).find((b) => b.action_id === MESSAGE_ACTIONS.replay)?.value ?? '';
    expect(messageValue).toContain(e.queue);
  });
  afterAll(async () => {
    await e?.close();
  });

  /** The three shapes Slack posts to /slack/events, each signed at `timestamp`. */
  const kinds = {
    'slash command': (options: SignedSendOptions) => sendSlashCommand(e.app.url, TEST_SIGNING_SECRET, { text: `status ${e.queue}`, user_id: 'U_ALICE', channel_id: CHANNEL, response_url: e.slack.mintResponseUrl({ channel: CHANNEL }) }, options),
    'replay click': (options: SignedSendOptions) => e.click({ actionId: MESSAGE_ACTIONS.replay, value: messageValue }, options),
    'App Home event': (options: SignedSendOptions) => sendEvent(e.app.url, TEST_SIGNING_SECRET, buildAppHomeOpened({ user: 'U_ALICE' }), options),
  } as const;

  const refusedOffsets: Array<[string, number]> = [['-600 s', -600], ['-301 s', -301], ['+301 s', 301], ['+600 s', 600], ['+1 year', YEAR]];

  for (const [kind, send] of Object.entries(kinds)) {
    it.each(refusedOffsets)(`refuses a correctly signed ${kind} dated %s with 401, a warn line and nothing done`, async (_label, offset) => {
      e.slack.clear();
      const logged = log.lines.length;
      const audits = (await e.app.store.searchAudit({ limit: 500 })).length;
      const response = await send({ timestamp: nowSec() + offset });
      expect(response.status).toBe(401);
      const lines = log.lines.slice(logged).filter((l) => l.component === 'slack-verify');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: LEVELS.warn, reason: offset > 0 ? 'future' : 'stale', requestTimestamp: String(nowSec() + offset) });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(e.slack.calls).toEqual([]);
      expect((await e.app.store.searchAudit({ limit: 500 })).length).toBe(audits);
      expect((await queueDepth(e.sqs, e.pair.dlq.url)).visible).toBe(1);
    });
  }

  it.each([['-299 s', -299], ['+299 s', 299]])('accepts a slash command dated %s and answers it', async (_label, offset) => {
    e.slack.clear();
    const response = await kinds['slash command']({ timestamp: nowSec() + offset });
    expect(response.status).toBe(200);
    const [reply] = await e.slack.waitForCalls('response_url', 1, 10_000);
    expect(JSON.stringify(reply?.args)).toContain(e.queue);
  });

  it.each([['-299 s', -299], ['+299 s', 299]])('accepts an App Home event dated %s', async (_label, offset) => {
    e.slack.clear();
    const response = await kinds['App Home event']({ timestamp: nowSec() + offset });
    expect(response.status).toBe(200);
    await e.slack.waitForCalls('views.publish', 1, 10_000);
  });

  it('still refuses a forged signature inside the window, and a missing timestamp', async () => {
    expect((await kinds['slash command']({ forgeSignature: true, timestamp: nowSec() })).status).toBe(401);
    expect((await kinds['slash command']({ omitSignature: true })).status).toBe(401);
  });

  it('runs a replay click dated +299 s (inside the window): the message leaves the DLQ', async () => {
    const response = await kinds['replay click']({ timestamp: nowSec() + 299 });
    expect(response.status).toBe(200);
    await expect.poll(async () => (await queueDepth(e.sqs, e.pair.dlq.url)).visible, { timeout: 15_000 }).toBe(0);
  });
});
