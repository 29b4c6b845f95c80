// Turns a Reply's Block Kit into plain terminal text: headers, sections, fields, context. The same
// blocks Slack shows, so the terminal and Slack never disagree; mrkdwn becomes plain text (no emoji
// codes, *bold*, code fences or <url|text> links: core/text/mrkdwn-to-plain.ts). Security: the output
// passes through neutralizeControls last, so no escape sequence, CR or bidi override from a queue reaches the terminal.

import type { Block, Reply } from '../slack/block-kit/blocks.ts';
import { mrkdwnToPlain } from '../../core/text/mrkdwn-to-plain.ts';
import { neutralizeControls } from '../../core/text/neutralize-controls.ts';

const textOf = (value: unknown): string => {
  if (!value || typeof value !== 'object' || !('text' in value) || typeof (value as { text: unknown }).text !== 'string') return '';
  const { type, text } = value as { type?: unknown; text: string };
  return type === 'plain_text' ? text : mrkdwnToPlain(text);
};

const renderBlock = (block: Block): string | null => {
  switch (block.type) {
    case 'header':
      return `== ${textOf(block.text)} ==`;
    case 'section': {
      const parts = [textOf(block.text)];
      if (Array.isArray(block.fields)) parts.push(block.fields.map(textOf).join('\n'));
      return parts.filter(Boolean).join('\n');
    }
    case 'context':
      return Array.isArray(block.elements) ? block.elements.map(textOf).filter(Boolean).join('  ') : null;
    case 'divider':
      return '-'.repeat(80);
    case 'rich_text':
    case 'actions':
    case 'image':
      return null;
    default:
      return null;
  }
};

export const renderReplyForTerminal = (reply: Reply): string => {
  if (reply.terminal !== undefined) return neutralizeControls(reply.terminal);
  const lines = reply.blocks.map(renderBlock).filter((line): line is string => line !== null && line !== '');
  return neutralizeControls(lines.length > 0 ? lines.join('\n') : mrkdwnToPlain(reply.text));
};

/** A plain message (an error and its hint) for a terminal: inline `code` quotes dropped, nothing else touched. */
export const plainMessage = (text: string): string => text.replace(/`([^`\n]+)`/g, '$1');
