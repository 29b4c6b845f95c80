// Renders a Kafka DLQ peek as the runbook's `dlq.cli list` table (Partition, Offset, Trace ID, Retry
// Count, Error Category, URL), with the fields read through the queue's field mapping. Pure.
// The first messages get View / Replay / Resolve buttons (message-buttons.ts).
// Security: queue text reaches a block only through reply-format's `cell`/`code`/`safeText` (redacted, escaped).

import { DEFAULT_FIELD_MAPPING, mapDlqMessage, type FieldMapping } from '../../../core/analysis/field-mapping.ts';
import { context, header, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { bulkReplayButton, messageButtons } from '../block-kit/message-buttons.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import { cell, code, reply, safeText, textTable } from './reply-format.ts';
import { pagedPeekBlocks, peekOrder, type PeekPaging } from './peek-pages.ts';
import { binarySummary } from '../../../core/analysis/binary-payload.ts';
import { binaryValueOf, frameworkSummary } from './framework-replies.ts';
import { HEADER_TEXT_MAX } from '../block-kit/slack-limits.ts';

/** The runbook truncates URLs in the list; the full one is in `view`. */
const URL_WIDTH = 60;
const TRACE_WIDTH = 40;

export const renderKafkaList = (
  queue: string,
  peeked: readonly DlqMessage[],
  options: { mapping?: FieldMapping | undefined; redactKeys?: readonly string[]; paging?: PeekPaging; replayTo?: ((message: DlqMessage) => string | null) | undefined } = {},
): Reply => {
  const keys = options.redactKeys ?? [];
  // Partition, then offset: the order pages are cut in, the same when Previous / Next read again.
  const messages = peekOrder(peeked);
  const mapping = options.mapping ?? DEFAULT_FIELD_MAPPING;
  const mappedAll = messages.map((m) => mapDlqMessage(m, mapping));
  const frameworks = mappedAll.map((mapped) => mapped.framework ?? null);
  const binaries = messages.map(binaryValueOf);
  // The failure column appears only for DLQs written by a framework (Connect, Spring): the runbook's list otherwise.
  const withFailure = frameworks.some((f) => f !== null);
  const rows = messages.map((m, i) => {
    const mapped = mappedAll[i] ?? mapDlqMessage(m, mapping);
    const binary = binaries[i];
    const framework = frameworks[i];
    const body = binary ? `(${binarySummary(binary, false)})` : mapped.parsed === 'raw' ? `(raw body, ${Buffer.byteLength(m.body)} bytes)` : null;
    return [
      m.partition,
      m.offset,
      cell(mapped.traceId, TRACE_WIDTH, keys),
      mapped.retryCount,
      cell(mapped.errorCategory, 20, keys),
      cell(mapped.url ?? body, URL_WIDTH, keys),
      ...(withFailure ? [cell(framework ? frameworkSummary(framework, 'short') : null, 110, keys)] : []),
    ];
  });
  const table = textTable(['Partition', 'Offset', 'Trace ID', 'Retry Count', 'Error Category', 'URL', ...(withFailure ? ['Failure (framework metadata)'] : [])], rows);
  const title = `DLQ Messages in ${queue} (${messages.length} shown)`;
  // View / Replay / Resolve under every message, a page at a time (one message's size budget each).
  const cards = messages.map((m, i): Block[] => {
    const mapped = mappedAll[i] ?? mapDlqMessage(m, mapping);
    const framework = frameworks[i];
    const binary = binaries[i];
    const details = [
      ...(framework ? [frameworkSummary(framework)] : []),
      ...(binary ? [binarySummary(binary)] : []),
    ].join(' · ');
    const line = `*${m.partition ?? '-'}:${m.offset ?? '-'}* ${safeText(mapped.traceId ?? '', 120, keys)} ${safeText(mapped.errorCategory ?? '', 40, keys)} ${safeText(details, 400, keys)}`.trim();
    const to = options.replayTo?.(m) ?? null;
    const buttons = messageButtons({ queue, id: m.messageKey, ...(to ? { to } : {}) }, `kafka_msg_${m.partition ?? 'x'}_${m.offset ?? 'x'}`, 'kafka');
    return buttons ? [section(line), buttons] : [section(line)];
  });
  // Without a replay topic each original topic is confirmed message by message: no bulk replay.
  const bulk = messages.length > 0 && !options.replayTo ? bulkReplayButton(queue) : null;
  const footer: Block[] = [
    ...(bulk ? [bulk] : []),
    context(
      `Read from the committed offset without committing anything; resolved messages are skipped. ` +
        `\`view ${safeText(queue, 100)} &lt;trace id | partition:offset&gt;\` shows one in full.`,
    ),
  ];
  const top = [header(title.slice(0, HEADER_TEXT_MAX)), section(code(table, keys, 2_400))];
  return reply(title, pagedPeekBlocks(queue, 'kafka', { top, cards, footer }, options.paging ?? { count: messages.length, page: 0 }), { keys, footer, unbounded: options.paging?.all === true });
};
