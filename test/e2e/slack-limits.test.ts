// Block Kit limits on the real app with a real ElasticMQ DLQ: 500 peeked messages and a 1 MB body
// holding Slack control syntax. The local Slack API server refuses invalid payloads the way Slack does,
// so every call asserted ok was within the limits; the content says where it was cut.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_ACTIONS, PEEK_PAGE_ACTIONS, encodeMessageRef } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { buttonsIn, shown, startSlackE2e, viewOf, type SlackE2e } from '../support/slack-e2e-app.ts';

const HOSTILE = '<!channel> <!here> <@U123> <https://evil.example|click>';

describe.skipIf(!services)('Block Kit limits end to end (500 messages, a 1 MB body)', () => {
  let e: SlackE2e;
  let bigId = '';

  beforeAll(async () => {
    e = await startSlackE2e('limits');
    const big = JSON.stringify({ error: `huge ${HOSTILE}`, data: 'z'.repeat(1_000_000) });
    const sent = await e.sqs.send(new SendMessageCommand({ QueueUrl: e.pair.dlq.url, MessageBody: big }));
    bigId = sent.MessageId ?? '';
    await sendMessages(e.sqs, e.pair.dlq.url, Array.from({ length: 499 }, (_, i) => JSON.stringify({ orderId: i, error: `timeout ${HOSTILE}` })));
  }, 60_000);
  afterAll(async () => {
    await e?.close();
  });

  it('/dlq peek --count 500 answers one valid message: a table, the first page of cards with buttons, markers where it was cut', async () => {
    const reply = await e.dlq(`peek ${e.queue} --count 500`);
    expect(reply.status).toBe(200);
    const text = shown(reply);
    expect(text).toContain(`Peek ${e.queue}: 500 messages`);
    expect(text).toMatch(/truncated \d+ chars/);
    expect(text).toMatch(/Messages 1–\d of 500 \(page 1 of \d+\)/);
    expect(buttonsIn(reply).some((b) => b.action_id === PEEK_PAGE_ACTIONS.next)).toBe(true);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    expect(buttonsIn(reply).filter((b) => b.action_id === MESSAGE_ACTIONS.view).length).toBeGreaterThan(0);
  }, 120_000);

  it('View of the 1 MB message fills a valid modal (≤ 100 blocks), cut with a marker, control syntax as text', async () => {
    const updates = e.slack.callsTo('views.update').length;
    await e.click({ actionId: MESSAGE_ACTIONS.view, value: encodeMessageRef({ queue: e.queue, id: bigId }) ?? '' });
    const [filled] = (await e.slack.waitForCalls('views.update', updates + 1, 60_000)).slice(updates);
    expect((filled?.response as { ok: boolean }).ok).toBe(true);
    const blocks = (viewOf(filled).blocks as unknown[]) ?? [];
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(blocks.length).toBeGreaterThan(20);
    const text = shown(filled);
    expect(text).toMatch(/truncated \d+ chars/);
    expect(text).toContain('Truncated: the body is');
    expect(text).toContain('huge &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
  }, 60_000);
});
