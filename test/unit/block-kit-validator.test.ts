// The Block Kit referee itself: each documented limit is accepted at the limit and refused one
// past it, with the `[ERROR] … [json-pointer:…]` line Slack would send.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMessage, checkView, formatIssue, validateBlocks, validateView } from '../../src/slack-api-emulator/block-kit-validator.ts';

const x = (n: number): string => 'x'.repeat(n);
const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });
const button = (fields: Record<string, unknown> = {}) => ({ type: 'button', text: { type: 'plain_text', text: 'Replay' }, action_id: 'replay', ...fields });
const actions = (elements: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'actions', elements, ...extra });
const lines = (blocks: unknown[]) => validateBlocks(blocks, 'message').map(formatIssue);
const modal = (fields: Record<string, unknown> = {}) => ({ type: 'modal', title: { type: 'plain_text', text: 'Replay' }, blocks: [], ...fields });

describe('validateBlocks (message surface)', () => {
  it('accepts a realistic incident message', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'orders-dlq: 42 messages' } },
      section('*Queue* `orders-dlq`', { fields: [{ type: 'mrkdwn', text: '*Age*\n5m' }], accessory: button({ action_id: 'peek' }) }),
      { type: 'divider' },
      actions([button(), button({ action_id: 'resolve', style: 'danger', value: 'inc-1' })], { block_id: 'incident:inc-1' }),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'by <@U_ALICE>' }, { type: 'image', image_url: 'https://x/y.png', alt_text: 'y' }] },
      { type: 'image', image_url: 'https://x/chart.png', alt_text: 'chart' },
      { type: 'markdown', text: '**bold**' },
    ];
    expect(lines(blocks)).toEqual([]);
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    ['section text of 3001', [section(x(3001))], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'plain_text', text: 'f' })) }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
    ['a field of 2001', [{ type: 'section', fields: [{ type: 'mrkdwn', text: x(2001) }] }], '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]'],
    ['block_id of 256', [{ type: 'divider', block_id: x(256) }], '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
    ['action_id of 256', [actions([button({ action_id: x(256) })])], '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]'],
    ['duplicate action_id in a block', [actions([button(), button()])], '[ERROR] duplicate action_id: replay [json-pointer:/blocks/0/elements/1/action_id]'],
    ['duplicate block_id', [{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }], '[ERROR] duplicate block_id: a [json-pointer:/blocks/1/block_id]'],
    ['26 elements in actions', [actions(Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))], '[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
    ['button text of 76', [actions([button({ text: { type: 'plain_text', text: x(76) } })])], '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
    ['button value of 2001', [actions([button({ value: x(2001) })])], '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
    ['button url of 3001', [actions([button({ url: `https://${x(2993)}` })])], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]'],
    ['mrkdwn button text', [actions([button({ text: { type: 'mrkdwn', text: 'Go' } })])], '[ERROR] must be plain_text [json-pointer:/blocks/0/elements/0/text/type]'],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements]'],
    ['header of 151', [{ type: 'header', text: { type: 'plain_text', text: x(151) } }], '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    ['mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: '*h*' } }], '[ERROR] must be plain_text [json-pointer:/blocks/0/text/type]'],
    ['unknown block type', [{ type: 'carousel' }], '[ERROR] unsupported type: carousel [json-pointer:/blocks/0/type]'],
    ['text object without type', [{ type: 'section', text: { text: 'hi' } }], '[ERROR] missing required field: type [json-pointer:/blocks/0/text]'],
    ['text object with a bogus type', [{ type: 'section', text: { type: 'markdown', text: 'hi' } }], '[ERROR] must be a valid enum value [json-pointer:/blocks/0/text/type]'],
    ['empty section text', [section('')], '[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
    ['section with neither text nor fields', [{ type: 'section' }], '[ERROR] must define either `text` or `fields` [json-pointer:/blocks/0]'],
    ['image without alt_text', [{ type: 'image', image_url: 'https://x/y.png' }], '[ERROR] missing required field: alt_text [json-pointer:/blocks/0]'],
    ['an input element inside actions', [actions([{ type: 'plain_text_input', action_id: 'a' }])], '[ERROR] unsupported type: plain_text_input [json-pointer:/blocks/0/elements/0/type]'],
    ['6 overflow options', [actions([{ type: 'overflow', action_id: 'o', options: Array.from({ length: 6 }, (_, i) => ({ text: { type: 'plain_text', text: `o${i}` }, value: `${i}` })) }])], '[ERROR] no more than 5 items allowed [json-pointer:/blocks/0/elements/0/options]'],
    ['header text missing', [{ type: 'header' }], '[ERROR] missing required field: text [json-pointer:/blocks/0]'],
  ])('refuses %s', (_name, blocks, expected) => {
    expect(lines(blocks)).toContain(expected);
  });

  it.each([
    ['50 blocks', Array.from({ length: 50 }, () => ({ type: 'divider' }))],
    ['section text of 3000', [section(x(3000))]],
    ['10 fields of 2000', [{ type: 'section', fields: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: x(2000) })) }]],
    ['25 buttons with 75-char text, 2000-char value', [actions(Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}`, text: { type: 'plain_text', text: x(75) }, value: x(2000) })))]],
    ['header of 150', [{ type: 'header', text: { type: 'plain_text', text: x(150) } }]],
    ['the same action_id in two blocks', [actions([button()]), actions([button()])]],
  ])('accepts %s', (_name, blocks) => {
    expect(lines(blocks)).toEqual([]);
  });

  it('holds the section limit for every length (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6000 }), (n) => {
        expect(lines([section(x(n))]).length === 0).toBe(n <= 3000);
      }),
      { numRuns: 200 },
    );
  });
});

describe('checkMessage', () => {
  it.each([
    ['no text and no blocks', {}, 'no_text'],
    ['an empty text', { text: '' }, 'no_text'],
    ['text over 40,000', { text: x(40_001) }, 'msg_too_long'],
    ['blocks that are not an array (unparseable JSON)', { text: 'hi', blocks: '[{"type":' }, 'invalid_blocks_format'],
    ['invalid blocks', { text: 'hi', blocks: [section(x(3001))] }, 'invalid_blocks'],
    ['valid blocks over the size budget', { text: 'hi', blocks: Array.from({ length: 6 }, () => section(x(2500))) }, 'msg_blocks_too_long'],
  ])('answers %s with the Slack error', (_name, message, error) => {
    const verdict = checkMessage(message);
    expect(verdict.ok ? 'ok' : verdict.error).toBe(error);
  });

  it('accepts text alone, blocks alone, and text at exactly 40,000', () => {
    expect(checkMessage({ text: 'hi' }).ok).toBe(true);
    expect(checkMessage({ blocks: [section('hi')] }).ok).toBe(true);
    expect(checkMessage({ text: x(40_000) }).ok).toBe(true);
  });

  it('takes the blocks size budget as an option', () => {
    expect(checkMessage({ blocks: [section(x(100))] }, { blocksJsonLimit: 50 })).toMatchObject({ ok: false, error: 'msg_blocks_too_long' });
  });
});

describe('validateView', () => {
  const viewLines = (view: unknown, kind: 'modal' | 'home' = 'modal') => validateView(view, kind).map(formatIssue);

  it('accepts a modal with 100 blocks and an input with submit', () => {
    const blocks = [
      { type: 'input', block_id: 'reason', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'plain_text_input', action_id: 'v' } },
      ...Array.from({ length: 99 }, () => ({ type: 'divider' })),
    ];
    expect(viewLines(modal({ blocks, submit: { type: 'plain_text', text: x(24) }, close: { type: 'plain_text', text: 'Cancel' } }))).toEqual([]);
  });

  it.each([
    ['101 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    ['a title of 25', modal({ title: { type: 'plain_text', text: x(25) } }), '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
    ['a submit of 25', modal({ submit: { type: 'plain_text', text: x(25) } }), '[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]'],
    ['a close of 25', modal({ close: { type: 'plain_text', text: x(25) } }), '[ERROR] must be less than 25 characters [json-pointer:/view/close/text]'],
    ['private_metadata of 3001', modal({ private_metadata: x(3001) }), '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]'],
    ['callback_id of 256', modal({ callback_id: x(256) }), '[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]'],
    ['no title', { type: 'modal', blocks: [] }, '[ERROR] missing required field: title [json-pointer:/view]'],
    ['an input without submit', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input' } }] }), '[ERROR] must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/0/input]'],
    ['a section text of 3001 inside', modal({ blocks: [section(x(3001))] }), '[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]'],
    ['a home view where a modal is expected', { type: 'home', blocks: [] }, '[ERROR] must be modal [json-pointer:/view/type]'],
  ])('refuses a modal with %s', (_name, view, expected) => {
    expect(viewLines(view)).toContain(expected);
  });

  it('accepts a home tab of 100 blocks without a title and refuses 101', () => {
    const home = (n: number) => ({ type: 'home', blocks: Array.from({ length: n }, () => ({ type: 'divider' })) });
    expect(viewLines(home(100), 'home')).toEqual([]);
    expect(viewLines(home(101), 'home')).toEqual(['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]']);
  });

  it('answers invalid_arguments, as Slack does for views', () => {
    expect(checkView(modal({ title: { type: 'plain_text', text: x(30) } }), 'modal')).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(checkView(modal(), 'modal')).toEqual({ ok: true });
  });
});
