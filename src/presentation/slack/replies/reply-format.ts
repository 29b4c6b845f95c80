// Building blocks shared by the queue replies: the one path for queue text into a Reply (redact →
// escape → truncate, core `toSlackText`), runbook-style tables in code blocks, ages, and Slack's
// message budget. Pure. Security: every string that came from a queue must go through `safeText`
// or `code`; nothing here may put raw queue text into a block.

import { context, type Block, type Reply } from '../block-kit/blocks.ts';
import { redactSecrets } from '../../../core/text/redact.ts';
import { neutralizeControls } from '../../../core/text/neutralize-controls.ts';
import { toSlackText } from '../../../core/text/slack-text.ts';
import { MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX } from '../block-kit/slack-limits.ts';

/**
 * Slack answers `msg_blocks_too_long` near 13,200 characters of block JSON (unpublished; bolt-js
 * issue #2509): keep a margin.
 */
export const MESSAGE_JSON_BUDGET = 12_000;
/** The plain `text` of a Reply doubles as the notification; keep it short. */
const REPLY_TEXT_MAX = 1_000;

/** Redacted (defaults plus `keys`), mrkdwn-escaped and capped at `max`: safe in any section. */
export const safeText = (text: string, max: number, keys: readonly string[] = []): string => toSlackText(text, { max, jsonKeys: keys });

// A body holding ``` would close the code fence early; a zero-width space keeps the fence whole.
const FENCE = /```/g;

/** A code block of queue text, redacted, escaped and capped so the section stays within 3,000. */
export const code = (text: string, keys: readonly string[] = [], max = SECTION_TEXT_MAX): string =>
  '```' + safeText(text.replace(FENCE, '`\u200b`\u200b`'), max - 6, keys) + '```';

/** A fixed-width table like the runbook's CLI output. Cells are raw text: wrap the result in `code`. */
export const textTable = (headers: string[], rows: (string | number | null)[][]): string => {
  // Controls are made visible before the widths are measured, so a NUL or a bidi override in a cell
  // can neither hide nor shift a column.
  const cells = rows.map((row) => row.map((cell) => (cell === null ? '-' : neutralizeControls(String(cell)))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
};

/**
 * One table cell of queue text: redacted first (a cut must not leave half a secret the patterns no
 * longer recognise), then on one line and at most `max` characters.
 */
export const cell = (text: string | null, max: number, keys: readonly string[] = []): string | null => {
  if (text === null) return null;
  const flat = redactSecrets(neutralizeControls(text), { jsonKeys: keys }).replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
};

export const percent = (share: number): string => `${Math.round(share * 100)}%`;

const fits = (blocks: Block[]): boolean => blocks.length <= MESSAGE_BLOCKS_MAX && JSON.stringify(blocks).length <= MESSAGE_JSON_BUDGET;

/**
 * Drops trailing body blocks until body + footer fit Slack's message limits, and says how many were
 * cut. Renderers put what matters most first; the footer (a context note) always stays.
 */
export const fitBlocks = (body: Block[], footer: Block[] = []): Block[] => {
  if (fits([...body, ...footer])) return [...body, ...footer];
  const kept = [...body];
  let dropped = 0;
  const note = () => context(`${dropped} more block${dropped === 1 ? '' : 's'} cut to fit Slack's message size limit.`);
  while (kept.length > 1 && !fits([...kept, note(), ...footer])) {
    kept.pop();
    dropped += 1;
  }
  return [...kept, note(), ...footer];
};

/** A Reply whose fallback text is safe too (Slack renders `text` as mrkdwn in notifications). */
export const reply = (
  text: string,
  body: Block[],
  options: { private?: boolean; footer?: Block[]; keys?: readonly string[]; /** For a terminal only: no Slack message budget, nothing cut. */ unbounded?: boolean } = {},
): Reply => ({
  text: safeText(text, REPLY_TEXT_MAX, options.keys),
  blocks: options.unbounded ? [...body, ...(options.footer ?? [])] : fitBlocks(body, options.footer),
  private: options.private ?? false,
});
