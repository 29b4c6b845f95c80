// Renders queue-operation results as Block Kit Replies: runbook-style tables in code blocks (which the
// terminal renderer prints as plain text) and message cards. Pure. Security: bodies, attributes and
// ids from a queue reach a block only through reply-format's `safeText`/`code` (redact → escape →
// truncate); a body can neither leak a secret nor ping `<!channel>`.

import { mapDlqMessage, type FieldMapping } from '../../../core/analysis/field-mapping.ts';
import type { FrameworkMetadata } from '../../../core/analysis/framework-metadata/recognise-framework.ts';
import { matchRunbookPattern } from '../../../core/analysis/runbook-patterns.ts';
import { context, header, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { bulkReplayButton, messageButtons } from '../block-kit/message-buttons.ts';
import { isSecretKey, redactJson, REDACTED } from '../../../core/text/redact.ts';
import type { QueueKind } from '../../../core/model.ts';
import type { DlqMessage } from '../../../ports/dead-letter-queue.port.ts';
import type { AlarmSummary, MoveTaskInfo } from '../../../ports/queue-backend.port.ts';
import type { StatusView } from '../../../app/shared/queue-status.ts';
import { formatAge, secondsBetween } from '../../../core/text/time-format.ts';
import { cell, code, reply, safeText, textTable } from './reply-format.ts';
import { PEEK_PAGE_CARDS, pagedPeekBlocks, peekOrder, type PeekPaging } from './peek-pages.ts';
import { BINARY_BODY_NOTE, binaryAttributeText, binaryBodyText, binaryValueOf, frameworkOf, frameworkRows, frameworkSummary } from './framework-replies.ts';
import { HEADER_TEXT_MAX, SECTION_TEXT_MAX } from '../block-kit/slack-limits.ts';

export { textTable } from './reply-format.ts';

/** What the renderers of queue text need besides the data. */
export interface TextOptions {
  /** Config `redactKeys`: JSON keys hidden besides the defaults. */
  redactKeys?: readonly string[];
}

/** For one message's replies: where its Replay button sends it when the queue has no replay topic (the original topic). */
export interface MessageTextOptions extends TextOptions {
  mapping?: FieldMapping;
  replayTo?: string | null;
}

/** Characters of body per peek card: the cards and their buttons share one message's budget. */
const PEEK_BODY_BUDGET = 3_200;
const BODY_PREVIEW_MAX = 600;
/** Characters of the all-messages table: with many messages it is cut to leave room for the cards. */
const PEEK_TABLE_MAX = 2_400;

export const renderStatus = (views: StatusView[]): Reply => {
  const table = textTable(
    ['QUEUE', 'KIND', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'OLDEST', 'GROWTH/MIN', 'LEVEL'],
    views.map((v) => [
      v.status.queue,
      v.status.kind,
      v.status.depth,
      v.status.inFlight,
      v.status.delayed,
      formatAge(v.status.oldestAgeSeconds),
      v.growthPerMinute === null ? 'n/a' : (v.growthPerMinute > 0 ? '+' : '') + v.growthPerMinute,
      v.level ?? 'OK',
    ]),
  );
  const summary = views.map((v) => `${v.status.queue}: ${v.status.depth} visible`).join(', ') || 'no queues configured';
  return reply(`DLQ status — ${summary}`, [header('DLQ status'), section(code(table))], {
    footer: [context(`Measured ${views[0]?.status.at.toISOString() ?? 'now'}; growth from stored depth samples.`)],
  });
};

const ageOf = (message: DlqMessage, now: Date): string =>
  message.enqueuedAt ? formatAge(secondsBetween(message.enqueuedAt, now)) : 'n/a';

/** Bytes of a Binary attribute shown in hex (replays send it unchanged). */
const ATTRIBUTE_PREVIEW_BYTES = 16;

/** Message attributes as lines; values under a secret-looking name are hidden whatever they hold. */
const attributeLines = (message: DlqMessage, keys: readonly string[]): string[] => {
  const lines = Object.entries(message.messageAttributes).map(([name, a]) => {
    const value = isSecretKey(name, keys) ? REDACTED : a.stringValue === undefined ? binaryAttributeText(a.binaryValue, ATTRIBUTE_PREVIEW_BYTES) : a.stringValue;
    return `${name} (${a.dataType}) = ${value}`;
  });
  if (message.groupId) lines.unshift(`MessageGroupId = ${message.groupId}`);
  return lines;
};

export const renderPeek = (queue: string, peeked: DlqMessage[], now: Date, kind: 'sqs' | 'kafka' = 'sqs', options: TextOptions & { paging?: PeekPaging } = {}): Reply => {
  const keys = options.redactKeys ?? [];
  // Pages are cut in a fixed order (oldest first), so Previous / Next, which peek again, line up.
  const messages = peekOrder(peeked);
  const table = textTable(
    ['#', 'MESSAGE ID', 'AGE', 'RECEIVES', 'BYTES'],
    messages.map((m, i) => [i + 1, m.messageKey, ageOf(m, now), m.receiveCount, Buffer.byteLength(m.body)]),
  );
  // Sizes depend on the number of messages, not on the page: the same messages cut the same pages.
  const perPage = Math.min(PEEK_PAGE_CARDS, Math.max(1, messages.length));
  const preview = Math.min(BODY_PREVIEW_MAX, Math.floor(PEEK_BODY_BUDGET / perPage));
  const attributeMax = Math.max(120, Math.floor(1_600 / perPage));
  const cards = messages.map((m, i): Block[] => {
    const attrs = attributeLines(m, keys);
    const framework = frameworkOf(m);
    const title = `*${i + 1}. ${safeText(m.messageKey, 300, keys)}*`;
    const summary = framework ? `\n${safeText(frameworkSummary(framework), 400, keys)}` : '';
    const attributes = attrs.length > 0 ? `\n${safeText(attrs.join('\n'), attributeMax, keys)}` : '';
    // The id in the button is the raw message key: buttons carry it back, they never render it.
    const buttons = messageButtons({ queue, id: m.messageKey }, `peek_msg_${i + 1}`, kind);
    // An SNS envelope shows the Message it carries; the whole envelope is what a replay sends.
    return [section(`${title}${summary}${attributes}\n${code(framework?.payload ?? m.body, keys, preview + 6)}`), ...(buttons ? [buttons] : [])];
  });
  const top: Block[] = [header(`Peek ${queue}: ${messages.length} message${messages.length === 1 ? '' : 's'}`.slice(0, HEADER_TEXT_MAX)), section(code(table, keys, PEEK_TABLE_MAX))];
  const bulk = messages.length > 0 ? bulkReplayButton(queue) : null;
  const footer: Block[] = bulk ? [bulk] : [];
  footer.push(
    context(
      kind === 'sqs'
        ? 'Nothing was consumed: every message was made visible again at once. Peeking raises ApproximateReceiveCount.'
        : 'Read without committing any offset.',
    ),
  );
  const blocks = pagedPeekBlocks(queue, kind, { top, cards, footer }, options.paging ?? { count: messages.length, page: 0 });
  return reply(`Peek ${queue}: ${messages.length} message(s)`, blocks, { footer, keys, unbounded: options.paging?.all === true });
};


/** The runbook's fields as the queue's mapping reads them (trace id, error, category, ...). */
const mappedRows = (message: DlqMessage, mapping: FieldMapping | undefined): [string, string | number | null][] => {
  if (!mapping) return [];
  const mapped = mapDlqMessage(message, mapping);
  if (mapped.parsed !== 'json') return [];
  const rows: [string, string | number | null][] = [
    ['trace id', mapped.traceId],
    ['job id', mapped.jobId],
    ['error category', mapped.errorCategory],
    ['error', mapped.errorText],
    ['error type', mapped.errorType],
    ['retry count', mapped.retryCountSource === 'receive-count' ? null : mapped.retryCount],
    ['url', mapped.url],
    ['domain', mapped.domain],
    ['event type', mapped.eventType],
    ['destination path', mapped.destinationPath],
    ['failed at', mapped.failedAt?.toISOString() ?? null],
  ];
  const present = rows.filter(([, value]) => value !== null);
  if (mapped.errorText !== null || mapped.errorType !== null) present.push(['runbook pattern', matchRunbookPattern(mapped).title]);
  return present;
};

/** A JSON body indented, redacted by key; any other body raw (the caller still redacts it as text). */
const prettyBody = (body: string, keys: readonly string[]): { pretty: string; note: string } => {
  try {
    // Key-based redaction on the parsed value hides secrets at any depth, numbers included.
    return { pretty: JSON.stringify(redactJson(JSON.parse(body), keys), null, 2), note: 'Body is JSON.' };
  } catch {
    return { pretty: body, note: 'Body is not JSON; shown raw.' };
  }
};

/**
 * The body to show: a binary body as a hex dump, an SNS envelope's inner Message (said in the note),
 * else the body; with the framework metadata the message carries.
 */
const shownBody = (message: DlqMessage, keys: readonly string[]): { framework: FrameworkMetadata | null; pretty: string; note: string } => {
  const framework = frameworkOf(message);
  const binary = binaryValueOf(message);
  if (binary) return { framework, pretty: binaryBodyText(message, binary), note: BINARY_BODY_NOTE };
  if (framework?.payload == null) return { framework, ...prettyBody(message.body, keys) };
  const { pretty, note } = prettyBody(framework.payload, keys);
  const raw = note === 'Body is JSON.' ? '' : ' raw (not JSON)';
  return { framework, pretty, note: `${framework.label}: the inner Message is shown${raw}; a replay sends the whole envelope as received.` };
};

export const renderMessage = (message: DlqMessage, now: Date, options: MessageTextOptions = {}): Reply => {
  const keys = options.redactKeys ?? [];
  const { framework, pretty, note } = shownBody(message, keys);
  const facts = textTable(
    ['FIELD', 'VALUE'],
    [
      ['queue', message.queue],
      ['message id', message.messageKey],
      ['enqueued', message.enqueuedAt?.toISOString() ?? null],
      ['age', ageOf(message, now)],
      ['receive count', message.receiveCount],
      ...(message.partition !== null ? [['partition/offset', `${message.partition}/${message.offset}`] as [string, string]] : []),
      ...(message.groupId ? [['group id', message.groupId] as [string, string]] : []),
      ...frameworkRows(message, framework).map(([k, v]) => [k, cell(v, 400, keys)] as [string, string]),
      ...mappedRows(message, options.mapping).map(([k, v]) => [k, v === null ? null : cell(String(v), 300, keys)] as [string, string | null]),
      ...(options.replayTo ? [['replay goes to', `${options.replayTo} (original topic; no replay topic configured)`] as [string, string]] : []),
      ...attributeLines(message, keys).map((line) => ['attribute', line] as [string, string]),
    ],
  );
  return reply(`Message ${message.messageKey} in ${message.queue}`, [header(`Message in ${message.queue}`.slice(0, HEADER_TEXT_MAX)), section(code(facts, keys)), section(code(pretty, keys))], {
    footer: [context(note)],
    keys,
  });
};

export const renderDone = (title: string, rows: [string, string | number | boolean | null][], note?: string): Reply =>
  reply(title, [
    section(`:white_check_mark: ${safeText(title, SECTION_TEXT_MAX - 30)}`),
    section(code(textTable(['', ''], rows.map(([k, v]) => [k, v === null ? null : String(v)])).split('\n').slice(2).join('\n'))),
    ...(note ? [context(safeText(note, SECTION_TEXT_MAX))] : []),
  ]);

export const renderWarning = (title: string, detail: string): Reply =>
  reply(title, [section(`:warning: ${safeText(title, SECTION_TEXT_MAX - 30)}`), context(safeText(detail, SECTION_TEXT_MAX))]);

export const renderMoveTasks = (queue: string, tasks: MoveTaskInfo[], started?: string): Reply => {
  const table = textTable(
    ['STATUS', 'MOVED', 'TO MOVE', 'RATE/S', 'STARTED', 'DESTINATION', 'TASK'],
    tasks.map((t) => [t.status, t.moved, t.toMove, t.ratePerSecond, t.startedAt?.toISOString() ?? null, t.destination ?? 'original source', t.taskHandle ?? null]),
  );
  const blocks: Block[] = [header(`Redrive-all ${queue}`.slice(0, HEADER_TEXT_MAX))];
  if (started) blocks.push(section(`:arrow_forward: Started message move task \`${safeText(started, 1_000)}\`.`));
  blocks.push(section(code(tasks.length > 0 ? table : 'No message move tasks.')));
  const failure = tasks.find((t) => t.failureReason);
  if (failure) blocks.push(context(`Failure: ${safeText(failure.failureReason ?? '', 2_000)}`));
  return reply(`Redrive-all ${queue}: ${tasks[0]?.status ?? 'no task'}`, blocks, {
    footer: [context(`Follow it with \`jobs ${safeText(queue, 100)}\`; stop it with \`cancel &lt;job-id&gt;\`.`)],
  });
};

export const renderAlarms = (queue: string, result: 'created' | 'updated' | 'unchanged', alarms: AlarmSummary[]): Reply => {
  const table = textTable(
    ['ALARM', 'METRIC', 'CONDITION', 'PERIODS', 'STATE', 'ACTIONS'],
    alarms.map((a) => [a.name, a.metric, `${a.comparison === 'GreaterThanThreshold' ? '>' : (a.comparison ?? '?')} ${a.threshold ?? '?'} (${a.periodSeconds ?? '?'}s)`, a.evaluationPeriods, a.state, a.actions.join(', ') || null]),
  );
  return reply(`Alarms for ${queue}: depth alarm ${result}`, [header(`CloudWatch alarms for ${queue}`.slice(0, HEADER_TEXT_MAX)), section(`Depth alarm ${result}.`), section(code(table))]);
};

/** Modal limits: VIEW_BLOCKS_MAX blocks; the body gets at most this many sections of SECTION_TEXT_MAX characters. */
const MODAL_BODY_SECTIONS = 40;
const MODAL_CHUNK = SECTION_TEXT_MAX - 100;

/** Splits escaped text into chunks of at most `size`, never inside an `&amp;` entity or a surrogate pair. */
const chunkEscaped = (text: string, size: number): string[] => {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > size) {
    let cut = size;
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp >= 0 && amp > cut - 5 && !/^&(?:amp|lt|gt);/.test(rest.slice(amp, cut))) cut = amp;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    const newline = rest.lastIndexOf('\n', cut);
    if (newline > cut - 200 && newline > 0) cut = newline + 1;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
};

/**
 * The full message for a modal (views.open): facts (queue, id, age, receive count, Kafka
 * partition/offset, mapped fields, attributes), then the pretty body over several sections, cut with
 * a marker past MODAL_BODY_SECTIONS, then Replay / Edit and replay / Resolve. Same redaction and
 * escaping as everywhere. Blocks fit a modal (≤ 100), not a message.
 */
export const renderMessageModal = (message: DlqMessage, now: Date, options: MessageTextOptions & { kind?: QueueKind } = {}): Block[] => {
  const keys = options.redactKeys ?? [];
  const summary = renderMessage(message, now, options);
  // renderMessage: [header, facts, body, ...footer]; keep the facts, render the body in full here.
  const facts = summary.blocks[1] ?? section('No details.');
  const { pretty, note } = shownBody(message, keys);
  const budget = MODAL_BODY_SECTIONS * (MODAL_CHUNK - 6);
  const body = safeText(pretty.replace(/```/g, '`\u200b`\u200b`'), budget, keys);
  const chunks = chunkEscaped(body, MODAL_CHUNK - 6);
  const blocks: Block[] = [header(`Message in ${message.queue}`.slice(0, HEADER_TEXT_MAX)), facts];
  for (const chunk of chunks) blocks.push(section('```' + chunk + '```'));
  const cut = /… \[truncated \d+ chars\]$/.test(body);
  blocks.push(context(cut ? `${note} Truncated: the body is ${pretty.length.toLocaleString('en-US')} characters, more than a Slack modal shows.` : note));
  const ref = { queue: message.queue, id: message.messageKey, ...(options.replayTo ? { to: options.replayTo } : {}) };
  const buttons = messageButtons(ref, 'modal_msg_actions', options.kind ?? null, ['replay', 'editReplay', 'resolve']);
  if (buttons) blocks.push(buttons);
  return blocks;
};
