// Pages of a peek: every peeked message keeps its View / Replay / Resolve buttons on some page, each
// page within Slack's message limits, with Previous / Next buttons and "messages 1–8 of 17". Pure.
// A peek releases what it read, so another page is a new peek of the same count, ordered the same
// way (SQS: oldest first; Kafka: partition, offset); pages are cut the same way for the same
// messages, and the note says that messages arriving or leaving in between can move them.

import type { Block } from '../block-kit/blocks.ts';
import { context } from '../block-kit/blocks.ts';
import { PEEK_PAGE_ACTIONS } from '../block-kit/interactive-actions.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import { MESSAGE_JSON_BUDGET } from './reply-format.ts';
import { BUTTON_VALUE_MAX, MESSAGE_BLOCKS_MAX } from '../block-kit/slack-limits.ts';

/** At most this many message cards on one page. */
export const PEEK_PAGE_CARDS = 8;
/** JSON kept free on every page for the navigation buttons and the page note. */
const NAVIGATION_RESERVE = 1_200;

export interface PeekPaging {
  /** The count the peek was asked for: another page peeks that many again. */
  count: number;
  /** 0-based page asked for; past the last page means the last one. */
  page: number;
  /** Every card on one page, no page note or buttons: the terminal, which has no message size limit nor buttons. */
  all?: boolean;
}

export interface PeekPage {
  page: number;
  pages: number;
  /** 0-based index of the first card on the page, and one past the last. */
  from: number;
  to: number;
}

/** The order pages are cut in, the same on every read of the same messages. */
export const peekOrder = (messages: readonly DlqMessage[]): DlqMessage[] =>
  [...messages].sort((a, b) => {
    if (a.partition !== null && b.partition !== null) {
      if (a.partition !== b.partition) return a.partition - b.partition;
      const [x, y] = [BigInt(a.offset ?? '0'), BigInt(b.offset ?? '0')];
      if (x !== y) return x < y ? -1 : 1;
    }
    const [ta, tb] = [a.enqueuedAt?.getTime() ?? 0, b.enqueuedAt?.getTime() ?? 0];
    return ta - tb || (a.messageKey < b.messageKey ? -1 : a.messageKey > b.messageKey ? 1 : 0);
  });

/**
 * Cuts the cards (the blocks of one message each, in order) into pages that fit one Slack message
 * beside `fixed` (header, table, footer): at most PEEK_PAGE_CARDS each, and at least one.
 */
export const pickPeekPage = (cards: readonly Block[][], fixed: readonly Block[], requested: number): PeekPage => {
  const jsonBudget = MESSAGE_JSON_BUDGET - JSON.stringify(fixed).length - NAVIGATION_RESERVE;
  const blockBudget = MESSAGE_BLOCKS_MAX - fixed.length - 3;
  const starts: number[] = [];
  for (let start = 0; start < cards.length; ) {
    starts.push(start);
    let end = start;
    let json = 0;
    let blocks = 0;
    while (end < cards.length && end - start < PEEK_PAGE_CARDS) {
      const card = cards[end] ?? [];
      const size = JSON.stringify(card).length + card.length;
      if (end > start && (json + size > jsonBudget || blocks + card.length > blockBudget)) break;
      json += size;
      blocks += card.length;
      end += 1;
    }
    start = end;
  }
  const pages = Math.max(1, starts.length);
  const page = Math.min(Math.max(0, requested), pages - 1);
  return { page, pages, from: starts[page] ?? 0, to: starts[page + 1] ?? cards.length };
};

/** "Messages 1–8 of 17 (page 1 of 3)" and, with several pages, how another page is read. */
export const peekPageNote = (at: PeekPage, total: number, kind: 'sqs' | 'kafka'): Block => {
  const range = total === 0 ? 'No messages' : `Messages ${at.from + 1}–${at.to} of ${total}`;
  const pages = at.pages > 1 ? ` (page ${at.page + 1} of ${at.pages})` : '';
  const reread =
    at.pages <= 1
      ? ''
      : kind === 'sqs'
        ? ' Previous / Next peek the queue again (oldest first): messages that arrived, left or were held by another reader in between can move between pages, and every peek raises the receive count.'
        : ' Previous / Next read the topic again from the committed offset: a message resolved or added in between can move the pages.';
  return context(`${range}${pages}.${reread}`);
};

const navButton = (text: string, actionId: string, value: string): Record<string, unknown> => ({ type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value });

/** Previous / Next, or null on a single page (or a queue name too long for a button value). */
export const peekPageButtons = (queue: string, paging: PeekPaging, at: PeekPage): Block | null => {
  if (at.pages <= 1) return null;
  const value = (page: number): string => JSON.stringify({ q: queue, c: paging.count, p: page });
  if (value(at.pages).length > BUTTON_VALUE_MAX) return null;
  const elements = [
    ...(at.page > 0 ? [navButton(`◀ Previous (${at.page} of ${at.pages})`, PEEK_PAGE_ACTIONS.previous, value(at.page - 1))] : []),
    ...(at.page < at.pages - 1 ? [navButton(`Next (${at.page + 2} of ${at.pages}) ▶`, PEEK_PAGE_ACTIONS.next, value(at.page + 1))] : []),
  ];
  return { type: 'actions', block_id: 'peek_pages', elements };
};

/** Reads a Previous / Next button value back: queue, count and page, or null when malformed. */
export const decodePeekPage = (value: string | undefined): { queue: string; count: number; page: number } | null => {
  try {
    const parsed = JSON.parse(value ?? '') as { q?: unknown; c?: unknown; p?: unknown };
    if (typeof parsed.q !== 'string' || parsed.q === '' || !Number.isInteger(parsed.c) || !Number.isInteger(parsed.p)) return null;
    const count = parsed.c as number;
    const page = parsed.p as number;
    return count > 0 && page >= 0 ? { queue: parsed.q, count, page } : null;
  } catch {
    return null;
  }
};

/** The top blocks, the page's note, its cards and Previous / Next (the footer follows in `reply`). */
export const pagedPeekBlocks = (queue: string, kind: 'sqs' | 'kafka', parts: { top: Block[]; cards: Block[][]; footer: Block[] }, paging: PeekPaging): Block[] => {
  if (paging.all) return [...parts.top, ...parts.cards.flat()];
  const at = pickPeekPage(parts.cards, [...parts.top, ...parts.footer], paging.page);
  const nav = peekPageButtons(queue, paging, at);
  return [...parts.top, peekPageNote(at, parts.cards.length, kind), ...parts.cards.slice(at.from, at.to).flat(), ...(nav ? [nav] : [])];
};
