// Control characters from queue text never reach a reader unseen: bidi overrides, NUL, ESC and the
// other C0/C1 controls come out of neutralizeControls, of toSlackText and of every renderer of queue
// text (peek, Kafka list, view, View modal, analyze; Block Kit and terminal) as visible `\uXXXX`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { renderAnalysis } from '../../../src/presentation/slack/replies/analysis-replies.ts';
import { renderKafkaList } from '../../../src/presentation/slack/replies/kafka-replies.ts';
import { renderMessage, renderMessageModal, renderPeek } from '../../../src/presentation/slack/replies/queue-replies.ts';
import { createAnalyzer } from '../../../src/core/analysis/analyzer.ts';
import type { Reply } from '../../../src/presentation/slack/block-kit/blocks.ts';
import { renderPage } from '../../../src/presentation/slack/replies/incident-blocks.ts';
import { hasHiddenControls, neutralizeControls } from '../../../src/core/text/neutralize-controls.ts';
import { toSlackText } from '../../../src/core/text/slack-text.ts';
import { dlqMessage } from '../../fixtures/download-dlq-body.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
/** Every character the issue names: bidi controls, then C0, DEL and C1. */
const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const C0_C1 = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i))];
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/;
/** Allowed in multi-line renderers: line feed and tab only. */
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/;

/** Arbitrary unicode (any code point, lone surrogates included) with controls mixed in often. */
const hostileText = fc.string({ unit: fc.oneof(fc.constantFrom(...BIDI, ...C0_C1, '\r\n'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 80 });

/** Every string a Reply puts in front of a reader (button values travel back to Redrive, never shown). */
const strings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => (key === 'value' ? [] : strings(child)));
  return [];
};

describe('neutralizeControls', () => {
  it.each([
    ['file\u202Etxt.exe', 'file\\u202Etxt.exe'],
    ['a\u0000b', 'a\\u0000b'],
    ['\u001B[2J\u001B[31mred', '\\u001B[2J\\u001B[31mred'],
    ['line 1\r\nline 2\n\tindented', 'line 1\nline 2\n\tindented'],
    ['over\rwrite', 'over\\u000Dwrite'],
    ['\u0085next line \u009B csi', '\\u0085next line \\u009B csi'],
    ['\u2066isolate\u2069 \u200Fmark \u061C', '\\u2066isolate\\u2069 \\u200Fmark \\u061C'],
    ['plain ünïcödé → ✓ 😀 عربي', 'plain ünïcödé → ✓ 😀 عربي'],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeControls(input)).toBe(expected);
  });

  it('without layout, line feeds and tabs are shown too', () => {
    expect(neutralizeControls('a\nb\tc', { keepLayout: false })).toBe('a\\u000Ab\\u0009c');
  });

  it('for arbitrary unicode: no bidi or C0/C1 control leaves it (LF and tab only with layout kept), idempotent', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const kept = neutralizeControls(text);
        expect(kept).not.toMatch(CONTROL_BUT_LAYOUT);
        expect(neutralizeControls(kept)).toBe(kept);
        expect(hasHiddenControls(kept)).toBe(false);
        expect(neutralizeControls(text, { keepLayout: false })).not.toMatch(ANY_CONTROL);
        // Nothing else changes: removing the escapes of real controls gives back the text.
        if (!/\\u[0-9A-F]{4}/.test(text)) {
          expect(kept.replace(/\\u([0-9A-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))).toBe(text.replace(/\r\n/g, '\n'));
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('toSlackText (the one path into mrkdwn) lets no control through, whatever the cap', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 0, max: 200 }), (text, max) => {
        expect(toSlackText(text, { max })).not.toMatch(CONTROL_BUT_LAYOUT);
      }),
      { numRuns: 500 },
    );
  });
});

describe('renderers of queue text', () => {
  const replies = (body: string, key: string): Reply[] => {
    const sqs = dlqMessage(body, { messageKey: key, queue: 'orders-dlq', enqueuedAt: NOW, receiveCount: 2 });
    const kafka = dlqMessage(body, { messageKey: '0:7', queue: 'downloads-dlq', partition: 0, offset: '7', key });
    const analyzer = createAnalyzer({ now: NOW });
    analyzer.add(sqs);
    analyzer.add(kafka);
    return [
      renderPeek('orders-dlq', [sqs], NOW, 'sqs'),
      renderKafkaList('downloads-dlq', [kafka]),
      renderMessage(sqs, NOW),
      renderMessage(kafka, NOW),
      { text: 'modal', blocks: renderMessageModal(kafka, NOW, { kind: 'kafka' }), private: true },
      renderAnalysis({ queue: 'orders-dlq', kind: 'sqs', report: analyzer.result(), scanned: 2, limited: false, limit: 10_000, elapsedMs: 1, returned: { count: 0, samples: [], jobIds: [] } }),
    ];
  };

  it('peek, Kafka list, view, View modal and analyze show no control, in Slack blocks or in a terminal', () => {
    const jsonBody = fc.record({ traceId: hostileText, error: hostileText, url: hostileText.map((t) => `https://x.example/${t}`) }).map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(fc.oneof(hostileText, jsonBody), hostileText, (body, key) => {
        for (const reply of replies(body, `m-${key}`)) {
          for (const text of strings(reply.blocks)) expect(text).not.toMatch(CONTROL_BUT_LAYOUT);
          expect(reply.text).not.toMatch(CONTROL_BUT_LAYOUT);
          expect(renderReplyForTerminal(reply)).not.toMatch(CONTROL_BUT_LAYOUT);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a right-to-left override and a NUL in a body are shown as \\u202E and \\u0000', () => {
    const body = JSON.stringify({ trace_id: 'evt-\u202E1', error: 'invoice\u202Efdp.exe', note: 'a\u0000b' });
    for (const reply of replies(body, 'm-1').slice(0, 5)) {
      const all = strings(reply.blocks).join('\n');
      expect(all, reply.text).toContain('\\u202E');
      expect(all).not.toContain('\u202E');
    }
    // JSON.stringify already spells a NUL inside a string as \u0000. A raw text body shows its bidi
    // override spelled out; a raw body holding a NUL is taken for binary and shown as hex bytes.
    const raw = renderMessage(dlqMessage('raw body\u202E', { messageKey: 'm-2' }), NOW);
    expect(strings(raw.blocks).join('\n')).toContain('raw body\\u202E');
    expect(renderReplyForTerminal(raw)).toContain('raw body\\u202E');
    const withNul = renderMessage(dlqMessage('raw\u0000body\u202E', { messageKey: 'm-3' }), NOW);
    for (const text of [strings(withNul.blocks).join('\n'), renderReplyForTerminal(withNul)]) {
      expect(text).toContain('72 61 77 00 62 6f 64 79 e2 80 ae');
      expect(text).not.toMatch(/[\u0000\u202E]/);
    }
  });

  it('the incident thread analysis (the L3 page: top patterns, sample, reasons) shows them visibly too', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (label, sample) => {
        const page = renderPage({
          queue: 'downloads-dlq', userGroup: null, permalink: null, reading: null, reasons: [`signature ${label} on 120 messages`],
          analysis: { at: NOW, topSignature: label, topSignatureCount: 120, unknownCategories: [], replayFailures: 0, scanned: 10, topPatterns: [{ label, count: 120, action: null }], sample: { messageKey: `0:${label}`, text: sample } },
          actions: [],
        });
        for (const text of strings(page)) expect(text).not.toMatch(CONTROL_BUT_LAYOUT);
      }),
      { numRuns: 200 },
    );
  });
});
