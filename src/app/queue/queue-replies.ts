// Renders queue-operation results as Block Kit Replies: runbook-style tables in code blocks (which the
// terminal renderer prints as plain text) and message cards. Pure; all queue text is escaped and capped.

import { context, header, section, type Block, type Reply } from '../../core/slack/blocks.ts';
import { escapeMrkdwn as escapeText } from '../../core/text/escape-mrkdwn.ts';
import { isRedriveError } from '../../errors.ts';
import type { DlqMessage } from '../../ports/dead-letter-queue.port.ts';
import type { AlarmSummary, MoveTaskInfo } from '../../ports/queue-backend.port.ts';
import type { StatusView } from './read-queue.use-case.ts';

const SECTION_MAX = 2_900;
const BODY_PREVIEW = 600;
const MAX_MESSAGE_CARDS = 20;

/** Caps text for a section, saying how much was cut. */
export const cap = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const marker = `… [truncated ${text.length - max} chars]`;
  return text.slice(0, Math.max(0, max - marker.length)) + marker;
};

const code = (text: string): string => '```' + cap(escapeText(text), SECTION_MAX - 6) + '```';

/** A fixed-width table like the runbook's CLI output. */
export const textTable = (headers: string[], rows: (string | number | null)[][]): string => {
  const cells = rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
};

export const formatAge = (seconds: number | null): string => {
  if (seconds === null) return 'n/a';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d${Math.floor((seconds % 86_400) / 3600)}h`;
};

const reply = (text: string, blocks: Block[], isPrivate = false): Reply => ({ text, blocks: blocks.slice(0, 50), private: isPrivate });

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
  return reply(`DLQ status — ${summary}`, [header('DLQ status'), section(code(table)), context(`Measured ${views[0]?.status.at.toISOString() ?? 'now'}; growth from stored depth samples.`)]);
};

const ageOf = (message: DlqMessage, now: Date): string =>
  message.enqueuedAt ? formatAge((now.getTime() - message.enqueuedAt.getTime()) / 1000) : 'n/a';

const attributeLines = (message: DlqMessage): string[] => {
  const lines = Object.entries(message.messageAttributes).map(([name, a]) => `${name} (${a.dataType}) = ${a.stringValue ?? `<binary ${a.binaryValue?.length ?? 0} b64 chars>`}`);
  if (message.groupId) lines.unshift(`MessageGroupId = ${message.groupId}`);
  return lines;
};

export const renderPeek = (queue: string, messages: DlqMessage[], now: Date, kind: 'sqs' | 'kafka' = 'sqs'): Reply => {
  const table = textTable(
    ['#', 'MESSAGE ID', 'AGE', 'RECEIVES', 'BYTES'],
    messages.map((m, i) => [i + 1, m.messageKey, ageOf(m, now), m.receiveCount, Buffer.byteLength(m.body)]),
  );
  const blocks: Block[] = [header(`Peek ${queue}: ${messages.length} message${messages.length === 1 ? '' : 's'}`), section(code(table))];
  for (const [i, m] of messages.slice(0, MAX_MESSAGE_CARDS).entries()) {
    const attrs = attributeLines(m);
    blocks.push(section(`*${i + 1}. ${escapeText(m.messageKey)}*${attrs.length > 0 ? `\n${escapeText(attrs.join('\n'))}` : ''}\n${code(cap(m.body, BODY_PREVIEW))}`));
  }
  if (messages.length > MAX_MESSAGE_CARDS) blocks.push(context(`${messages.length - MAX_MESSAGE_CARDS} more not shown in full.`));
  blocks.push(
    context(
      kind === 'sqs'
        ? 'Nothing was consumed: every message was made visible again at once. Peeking raises ApproximateReceiveCount.'
        : 'Read without committing any offset.',
    ),
  );
  return reply(`Peek ${queue}: ${messages.length} message(s)`, blocks);
};

export const renderMessage = (message: DlqMessage, now: Date): Reply => {
  let pretty = message.body;
  let note = 'Body is not JSON; shown raw.';
  try {
    pretty = JSON.stringify(JSON.parse(message.body), null, 2);
    note = 'Body is JSON.';
  } catch {
    // shown raw
  }
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
      ...attributeLines(message).map((line) => ['attribute', line] as [string, string]),
    ],
  );
  return reply(`Message ${message.messageKey} in ${message.queue}`, [header(`Message in ${message.queue}`), section(code(facts)), section(code(pretty)), context(note)]);
};

export const renderDone = (title: string, rows: [string, string | number | boolean | null][], note?: string): Reply =>
  reply(title, [section(`:white_check_mark: ${escapeText(title)}`), section(code(textTable(['', ''], rows.map(([k, v]) => [k, v === null ? null : String(v)])).split('\n').slice(2).join('\n'))), ...(note ? [context(escapeText(note))] : [])]);

export const renderWarning = (title: string, detail: string): Reply =>
  reply(title, [section(`:warning: ${escapeText(title)}`), context(escapeText(detail))]);

export const renderMoveTasks = (queue: string, tasks: MoveTaskInfo[], started?: string): Reply => {
  const table = textTable(
    ['STATUS', 'MOVED', 'TO MOVE', 'RATE/S', 'STARTED', 'DESTINATION', 'TASK'],
    tasks.map((t) => [t.status, t.moved, t.toMove, t.ratePerSecond, t.startedAt?.toISOString() ?? null, t.destination ?? 'original source', t.taskHandle ?? null]),
  );
  const blocks: Block[] = [header(`Redrive-all ${queue}`)];
  if (started) blocks.push(section(`:arrow_forward: Started message move task \`${escapeText(started)}\`.`));
  blocks.push(section(code(tasks.length > 0 ? table : 'No message move tasks.')));
  const failure = tasks.find((t) => t.failureReason);
  if (failure) blocks.push(context(`Failure: ${escapeText(failure.failureReason ?? '')}`));
  return reply(`Redrive-all ${queue}: ${tasks[0]?.status ?? 'no task'}`, blocks);
};

export const renderAlarms = (queue: string, result: 'created' | 'updated' | 'unchanged', alarms: AlarmSummary[]): Reply => {
  const table = textTable(
    ['ALARM', 'METRIC', 'CONDITION', 'PERIODS', 'STATE', 'ACTIONS'],
    alarms.map((a) => [a.name, a.metric, `${a.comparison === 'GreaterThanThreshold' ? '>' : (a.comparison ?? '?')} ${a.threshold ?? '?'} (${a.periodSeconds ?? '?'}s)`, a.evaluationPeriods, a.state, a.actions.join(', ') || null]),
  );
  return reply(`Alarms for ${queue}: depth alarm ${result}`, [header(`CloudWatch alarms for ${queue}`), section(`Depth alarm ${result}.`), section(code(table))]);
};

export const renderError = (error: unknown): Reply => {
  const text = isRedriveError(error) ? `${error.code}: ${error.userMessage()}` : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return reply(text, [section(`:x: ${escapeText(cap(text, SECTION_MAX))}`)], true);
};

