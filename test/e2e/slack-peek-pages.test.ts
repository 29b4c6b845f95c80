// A peek of more messages than one Slack message holds is paginated: every message gets View /
// Replay / Resolve on some page, Next / Previous (signed clicks) replace the peek with the page asked
// for, and a button from a later page works. On ElasticMQ (SQS) and on the real Kafka broker, with
// the local Slack API server checking Block Kit limits on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessageRef, MESSAGE_ACTIONS, PEEK_PAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { queueDepth, sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';
import { buttonsIn, CHANNEL, followPeekPages as followPages, shown, startKafkaSlackE2e, startSlackE2e, type KafkaSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const MESSAGES = 17;

/** Ids with a View, a Replay and a Resolve button on this page (in order). */
const actionable = (call: RecordedCall | undefined): string[] => {
  const buttons = buttonsIn(call);
  const ids = (action: string) => buttons.filter((b) => b.action_id === action).map((b) => decodeMessageRef(b.value)?.id ?? '');
  const views = ids(MESSAGE_ACTIONS.view);
  expect(ids(MESSAGE_ACTIONS.replay)).toEqual(views);
  expect(ids(MESSAGE_ACTIONS.resolve)).toEqual(views);
  return views;
};

describe.skipIf(!services)(`peek pages on SQS (ElasticMQ): ${MESSAGES} messages`, () => {
  let e: SlackE2e;
  let peekTs = '';

  beforeAll(async () => {
    e = await startSlackE2e('pages');
    // Bodies of about 1 KB each: one Slack message holds far fewer than 17 cards with buttons.
    await sendMessages(e.sqs, e.pair.dlq.url, Array.from({ length: MESSAGES }, (_, i) => JSON.stringify({ orderId: i, error: `HTTP 503 from upstream ${'x'.repeat(900)}` })));
  });
  afterAll(async () => {
    await e?.close();
  });

  it('every message gets View / Replay / Resolve on some page; Next turns the pages; the text says which', async () => {
    const first = await e.dlq(`peek ${e.queue} --count 20`);
    expect(first.status).toBe(200);
    peekTs = e.slack.messagesIn(CHANNEL).at(-1)?.ts ?? '';
    expect(shown(first)).toMatch(new RegExp(`Messages 1–\\d of ${MESSAGES} \\(page 1 of \\d\\)`));
    expect(shown(first)).toContain('Previous / Next peek the queue again');
    const pages = await followPages(e.slack, first, (actionId, value) => e.click({ actionId, value, messageTs: peekTs }).then((r) => r.status));
    expect(pages.length).toBeGreaterThan(1);
    const ids = pages.flatMap(actionable);
    expect(new Set(ids).size).toBe(MESSAGES);
    expect(ids).toHaveLength(MESSAGES);
    expect(shown(pages.at(-1))).toMatch(new RegExp(`Messages \\d+–${MESSAGES} of ${MESSAGES} \\(page ${pages.length} of ${pages.length}\\)`));
    // The peek message in the channel is the last page now (replaced, not a new message).
    expect(e.slack.messagesIn(CHANNEL).at(-1)?.ts).toBe(peekTs);
    expect(buttonsIn(pages.at(-1)).some((b) => b.action_id === PEEK_PAGE_ACTIONS.previous)).toBe(true);
    // Nothing was consumed by turning pages.
    expect((await queueDepth(e.sqs, e.pair.dlq.url)).visible).toBe(MESSAGES);
  });

  it('Previous goes back, and a Replay button from the last page replays that message', async () => {
    const first = await e.dlq(`peek ${e.queue} --count 20`);
    peekTs = e.slack.messagesIn(CHANNEL).at(-1)?.ts ?? '';
    const pages = await followPages(e.slack, first, (actionId, value) => e.click({ actionId, value, messageTs: peekTs }).then((r) => r.status));
    const previous = buttonsIn(pages.at(-1)).find((b) => b.action_id === PEEK_PAGE_ACTIONS.previous);
    const before = e.slack.callsTo('response_url').length;
    expect((await e.click({ actionId: PEEK_PAGE_ACTIONS.previous, value: previous?.value ?? '', messageTs: peekTs })).status).toBe(200);
    const [back] = (await e.slack.waitForCalls('response_url', before + 1, 30_000)).slice(before);
    expect(actionable(back)).toEqual(actionable(pages.at(-2)));
    const lastId = actionable(pages.at(-1)).at(-1) ?? '';
    const replay = buttonsIn(pages.at(-1)).find((b) => b.action_id === MESSAGE_ACTIONS.replay && decodeMessageRef(b.value)?.id === lastId);
    expect((await e.click({ actionId: MESSAGE_ACTIONS.replay, value: replay?.value ?? '', messageTs: peekTs })).status).toBe(200);
    await waitFor(async () => ((await queueDepth(e.sqs, e.pair.dlq.url)).visible === MESSAGES - 1 ? true : null), { timeoutMs: 20_000, description: 'the replayed message leaves the DLQ' });
  });
});

describe.skipIf(!services)(`peek pages on Kafka (real broker): ${MESSAGES + 3} records`, () => {
  let k: KafkaSlackE2e;
  const total = MESSAGES + 3;

  beforeAll(async () => {
    k = await startKafkaSlackE2e('pages');
    await k.bench.produce(k.dlqTopic, Array.from({ length: total }, (_, i) => ({
      key: `evt-${i}`,
      value: JSON.stringify({ trace_id: `evt-${i}-${'t'.repeat(100)}`, error_category: 'transient', final_error: 'timeout', url: `https://cdn.example.com/${'p'.repeat(300)}/${i}` }),
    })));
  }, 60_000);
  afterAll(async () => {
    await k?.close();
  });

  it('every record gets View / Replay / Resolve on some page, in offset order', async () => {
    const first = await k.dlq(`peek ${k.queue} --count ${total}`);
    expect(shown(first)).toMatch(new RegExp(`Messages 1–\\d of ${total} \\(page 1 of \\d\\)`));
    expect(shown(first)).toContain('read the topic again from the committed offset');
    const messageTs = k.slack.messagesIn('C_ALERTS').at(-1)?.ts ?? '';
    const pages = await followPages(k.slack, first, (actionId, value) => k.click(actionId, value, messageTs));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap(actionable)).toEqual(Array.from({ length: total }, (_, i) => `0:${i}`));
  }, 90_000);
});
