// Peek pages: every peeked message gets View / Replay / Resolve on exactly one page, each page is a
// valid Slack message (blocks, sizes) with "Messages a–b of N", and Previous / Next carry the page.
import { describe, expect, it } from 'vitest';
import { renderKafkaList } from '../../../src/presentation/slack/replies/kafka-replies.ts';
import { decodePeekPage } from '../../../src/presentation/slack/replies/peek-pages.ts';
import { renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import type { Reply } from '../../../src/presentation/slack/block-kit/blocks.ts';
import { decodeMessageRef, MESSAGE_ACTIONS, PEEK_PAGE_ACTIONS } from '../../../src/presentation/slack/block-kit/interactive-actions.ts';
import type { DlqMessage } from '../../../src/ports/dead-letter-queue.port.ts';
import { checkMessage } from '../../../src/slack-api-emulator/block-kit-validator.ts';
import { dlqMessage } from '../../fixtures/download-dlq-body.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
type Element = { action_id: string; value: string };
const elements = (reply: Reply): Element[] =>
  (reply.blocks as { type: string; elements?: Element[] }[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
const viewed = (reply: Reply): string[] => elements(reply).filter((e) => e.action_id === MESSAGE_ACTIONS.view).map((e) => decodeMessageRef(e.value)?.id ?? '');
const text = (reply: Reply): string => JSON.stringify(reply.blocks);

/** Renders page 0, then follows Next until there is none: every page rendered. */
const allPages = (render: (page: number) => Reply): Reply[] => {
  const pages = [render(0)];
  for (let guard = 0; guard < 200; guard += 1) {
    const next = elements(pages.at(-1)!).find((e) => e.action_id === PEEK_PAGE_ACTIONS.next);
    if (!next) break;
    pages.push(render(decodePeekPage(next.value)?.page ?? -1));
  }
  return pages;
};

const sqsMessages = (n: number, body: (i: number) => string): DlqMessage[] =>
  Array.from({ length: n }, (_, i) => dlqMessage(body(i), { queue: 'orders-dlq', messageKey: `m-${String(i).padStart(3, '0')}`, enqueuedAt: new Date(NOW.getTime() - (n - i) * 1_000), receiveCount: 1 }));

describe('peek pages', () => {
  it.each([
    ['17 SQS messages with 2 KB bodies', 17, (i: number) => JSON.stringify({ orderId: i, error: 'timeout '.repeat(250), url: `https://x.example/${i}` })],
    ['40 SQS messages with 50 KB bodies', 40, () => JSON.stringify({ error: '<&>'.repeat(17_000) })],
    ['3 small SQS messages (one page, no buttons to turn)', 3, (i: number) => `{"n":${i}}`],
  ])('%s: each on exactly one page, every page a valid message', (_name, n, body) => {
    const messages = sqsMessages(n, body);
    // Peeked in another order each time: pages are cut in the same (oldest first) order anyway.
    const pages = allPages((page) => renderPeek('orders-dlq', page % 2 === 0 ? [...messages].reverse() : messages, NOW, 'sqs', { paging: { count: n, page } }));
    const ids = pages.flatMap(viewed);
    expect(ids).toEqual(messages.map((m) => m.messageKey));
    for (const [i, page] of pages.entries()) {
      expect(checkMessage({ text: page.text, blocks: page.blocks })).toEqual({ ok: true });
      expect(text(page)).not.toContain('cut to fit');
      expect(viewed(page).length).toBeLessThanOrEqual(8);
      expect(elements(page).filter((e) => e.action_id === MESSAGE_ACTIONS.replay)).toHaveLength(viewed(page).length);
      expect(elements(page).filter((e) => e.action_id === MESSAGE_ACTIONS.resolve)).toHaveLength(viewed(page).length);
      const first = ids.indexOf(viewed(page)[0] ?? '') + 1;
      expect(text(page)).toContain(`Messages ${first}–${first + viewed(page).length - 1} of ${n}`);
      if (pages.length > 1) expect(text(page)).toContain(`(page ${i + 1} of ${pages.length})`);
      expect(elements(page).some((e) => e.action_id === PEEK_PAGE_ACTIONS.previous)).toBe(i > 0);
    }
    if (n > 8) expect(text(pages[0]!)).toContain('Previous / Next peek the queue again');
  });

  it('17 Kafka records: every one on a page, ordered by partition and offset', () => {
    const records = Array.from({ length: 17 }, (_, i) =>
      dlqMessage(JSON.stringify({ trace_id: `evt-${i}`, error_category: 'transient', url: `https://cdn.example.com/${'f'.repeat(200)}/${i}` }), {
        queue: 'downloads-dlq', messageKey: `${i % 2}:${Math.floor(i / 2)}`, partition: i % 2, offset: String(Math.floor(i / 2)),
      }),
    );
    const pages = allPages((page) => renderKafkaList('downloads-dlq', records, { paging: { count: 17, page } }));
    expect(pages.length).toBeGreaterThan(1);
    const ids = pages.flatMap(viewed);
    expect(ids).toEqual([...Array.from({ length: 9 }, (_, o) => `0:${o}`), ...Array.from({ length: 8 }, (_, o) => `1:${o}`)]);
    for (const page of pages) expect(checkMessage({ text: page.text, blocks: page.blocks })).toEqual({ ok: true });
    expect(text(pages[0]!)).toContain('Messages 1–8 of 17 (page 1 of 3)');
    expect(text(pages[0]!)).toContain('read the topic again');
  });

  it('a page past the end shows the last page; a malformed button value is refused', () => {
    const messages = sqsMessages(17, (i) => `{"n":${i}}`);
    const last = renderPeek('orders-dlq', messages, NOW, 'sqs', { paging: { count: 17, page: 99 } });
    expect(viewed(last).at(-1)).toBe('m-016');
    expect(elements(last).some((e) => e.action_id === PEEK_PAGE_ACTIONS.next)).toBe(false);
    expect(decodePeekPage('{"q":"orders-dlq","c":17,"p":1}')).toEqual({ queue: 'orders-dlq', count: 17, page: 1 });
    for (const bad of [undefined, '', 'nope', '{"q":"","c":1,"p":0}', '{"q":"x","c":0,"p":0}', '{"q":"x","c":1,"p":-1}', '{"q":"x","c":1.5,"p":0}']) expect(decodePeekPage(bad)).toBeNull();
  });
});
