// Parses `/dlq ...` text (Slack) and `redrive dlq ...` arguments (terminal) into one command type.
// Pure: it decides nothing about permissions or queues, only shape; bad input gets usage help.

import { isFiltered, parseDuration, type ReplayFilter } from '../analysis/replay-filter.ts';

export type DlqCommand =
  | { op: 'help' }
  | { op: 'status'; queue: string | null }
  | { op: 'peek'; queue: string; count: number }
  /** Buttons only: `modal` renders the whole message for a modal, `edit` the Edit and replay form. */
  | { op: 'view'; queue: string; id: string; surface?: 'message' | 'modal' | 'edit' }
  | { op: 'analyze'; queue: string }
  /**
   * `body`: an edited body (Edit and replay modal), valid JSON, sent instead of the original. `to`: the
   * destination the operator confirms (a queue without a replay topic: the original topic).
   */
  | { op: 'replay'; queue: string; id: string; body?: string | null; to?: string | null }
  | { op: 'resolve'; queue: string; id: string; reason: string | null }
  /** `override`: an admin's typed reason to start despite a failing pre-flight check (audited). */
  | { op: 'redrive-all'; queue: string; rate: number | null; override?: string | null }
  /** `count` null: every message the filter matches (a filter is then required). */
  | { op: 'redrive-batch'; queue: string; count: number | null; rate: number | null; filter?: ReplayFilter | null; override?: string | null }
  | { op: 'history'; queue: string; hours: number }
  | { op: 're-execute'; queue: string; id: string }
  | { op: 'monitor'; queue: string; intervalSeconds: number }
  | { op: 'stop-monitor'; queue: string }
  | { op: 'report'; days: number }
  | { op: 'alarms'; queue: string }
  | { op: 'audit'; ref: string | null }
  | { op: 'jobs'; queue: string | null }
  | { op: 'cancel'; jobId: string }
  /** The queue is named so per-queue roles apply; it must be the job's. */
  | { op: 'resume'; queue: string; jobId: string }
  /** Two-person approval of a bulk replay request (the queue is the request's). */
  | { op: 'approve'; queue: string; requestId: string }
  | { op: 'reject'; queue: string; requestId: string };

export type DlqOp = DlqCommand['op'];

export type ParseResult = { ok: true; command: DlqCommand } | { ok: false; error: string; usage: string };

interface OpSpec {
  usage: string;
  summary: string;
  positional: string[];
  optionalPositional?: string;
  flags: Record<string, 'int' | 'number' | 'text' | 'duration'>;
}

export const DEFAULT_PEEK_COUNT = 5;
export const MAX_PEEK_COUNT = 500;
export const DEFAULT_MONITOR_INTERVAL_SECONDS = 30;
export const MAX_RATE_PER_SECOND = 500;
export const DEFAULT_HISTORY_HOURS = 24;
/** CloudWatch keeps 1-minute data 15 days; stored samples are pruned sooner (poller.retentionHours). */
export const MAX_HISTORY_HOURS = 15 * 24;

export const DLQ_OPS: Record<DlqOp, OpSpec> = {
  help: { usage: 'help', summary: 'this help', positional: [], flags: {} },
  status: { usage: 'status [queue]', summary: 'depth, in flight, oldest age, growth and level', positional: [], optionalPositional: 'queue', flags: {} },
  peek: { usage: 'peek <queue> [--count N]', summary: 'show messages without consuming them', positional: ['queue'], flags: { count: 'int' } },
  view: { usage: 'view <queue> <id>', summary: 'one message in full (message id, trace id or partition:offset)', positional: ['queue', 'id'], flags: {} },
  analyze: { usage: 'analyze <queue>', summary: 'group failures by error, category, domain, age; name the runbook pattern', positional: ['queue'], flags: {} },
  replay: {
    usage: 'replay <queue> <id> [--to <original topic>]',
    summary: 'send one message back for processing (--to confirms the original topic when the queue has no replay topic)',
    positional: ['queue', 'id'],
    flags: { to: 'text' },
  },
  resolve: { usage: 'resolve <queue> <id> [--reason "..."]', summary: 'archive and take one message out of the DLQ', positional: ['queue', 'id'], flags: { reason: 'text' } },
  'redrive-all': { usage: 'redrive-all <queue> [--rate R] [--override "reason"]', summary: 'move every message back to its source (≤ 500/s)', positional: ['queue'], flags: { rate: 'number', override: 'text' } },
  'redrive-batch': {
    usage: 'redrive-batch <queue> --count N [--rate R] [--category C] [--domain host] [--signature text] [--older-than 2h] [--override "reason"]',
    summary: 'replay N messages (or every one the filters match) in batches of 10, rate-limited, checkpointed',
    positional: ['queue'],
    flags: { count: 'int', rate: 'number', category: 'text', domain: 'text', signature: 'text', 'older-than': 'duration', override: 'text' },
  },
  history: { usage: 'history <queue> [--hours N]', summary: 'depth over the last N hours (CloudWatch for SQS, stored samples)', positional: ['queue'], flags: { hours: 'int' } },
  're-execute': { usage: 're-execute <queue> <id>', summary: 'start the Step Functions workflow again with the message, then delete it (SQS)', positional: ['queue', 'id'], flags: {} },
  monitor: { usage: 'monitor <queue> [--interval S]', summary: 'post the depth to the thread every S seconds', positional: ['queue'], flags: { interval: 'int' } },
  'stop-monitor': { usage: 'stop-monitor <queue>', summary: 'stop monitoring', positional: ['queue'], flags: {} },
  report: { usage: 'report [--days 7]', summary: 'the weekly DLQ report', positional: [], flags: { days: 'int' } },
  alarms: { usage: 'alarms <queue>', summary: 'create or show the CloudWatch depth alarm', positional: ['queue'], flags: {} },
  audit: { usage: 'audit [id]', summary: 'the latest 20 audit records, or those of an audit id, message id, trace id, job, incident, queue or user (U123 or @name)', positional: [], optionalPositional: 'id', flags: {} },
  jobs: { usage: 'jobs [queue]', summary: 'running and recent redrive jobs: done/failed/total and rate', positional: [], optionalPositional: 'queue', flags: {} },
  cancel: { usage: 'cancel <job-id>', summary: 'stop a redrive job or message move task', positional: ['job-id'], flags: {} },
  resume: { usage: 'resume <queue> <job-id>', summary: 'continue a paused or interrupted redrive job from its checkpoint', positional: ['queue', 'job-id'], flags: {} },
  approve: { usage: 'approve <queue> <request-id>', summary: 'approve another person\'s bulk replay request (two-person rule)', positional: ['queue', 'request-id'], flags: {} },
  reject: { usage: 'reject <queue> <request-id>', summary: 'reject (or withdraw) a bulk replay request awaiting approval', positional: ['queue', 'request-id'], flags: {} },
};

export const usageText = (prefix = '/dlq'): string =>
  (Object.keys(DLQ_OPS) as DlqOp[]).map((op) => `${prefix} ${DLQ_OPS[op].usage} — ${DLQ_OPS[op].summary}`).join('\n');

/** Splits text like a shell would for quotes: `resolve q id --reason "bad file"`. Smart quotes count. */
export const tokenize = (text: string): string[] => {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  return tokens;
};

const fail = (error: string, op?: DlqOp): ParseResult => ({
  ok: false,
  error,
  usage: op ? `Usage: /dlq ${DLQ_OPS[op].usage}` : usageText(),
});

const isOp = (word: string): word is DlqOp => Object.hasOwn(DLQ_OPS, word);

export const parseDlqArgs = (args: readonly string[]): ParseResult => {
  const [first, ...rest] = args;
  if (first === undefined || first === '') return { ok: true, command: { op: 'help' } };
  const word = first.toLowerCase();
  if (word === '--help' || word === '-h') return { ok: true, command: { op: 'help' } };
  if (!isOp(word)) return fail(`Unknown subcommand "${first}".`);
  const spec = DLQ_OPS[word];
  const positional: string[] = [];
  const flags: Record<string, string | number> = {};
  for (let i = 0; i < rest.length; i += 1) {
    const token = rest[i] ?? '';
    if (token.startsWith('--')) {
      const [rawName, inline] = token.slice(2).split('=', 2) as [string, string | undefined];
      const kind = spec.flags[rawName];
      if (!kind) return fail(`Unknown option --${rawName} for ${word}.`, word);
      const value = inline ?? rest[i + 1];
      if (inline === undefined) i += 1;
      if (value === undefined || value === '') return fail(`Option --${rawName} needs a value.`, word);
      if (kind === 'text') flags[rawName] = value;
      else if (kind === 'duration') {
        const seconds = parseDuration(value);
        if (seconds === null) return fail(`--${rawName} must be a duration like 90s, 30m, 2h or 7d, got "${value}".`, word);
        flags[rawName] = seconds;
      } else {
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0 || (kind === 'int' && !Number.isInteger(n))) {
          return fail(`--${rawName} must be a positive ${kind === 'int' ? 'whole number' : 'number'}, got "${value}".`, word);
        }
        flags[rawName] = n;
      }
    } else positional.push(token);
  }
  const maxPositional = spec.positional.length + (spec.optionalPositional ? 1 : 0);
  if (positional.length < spec.positional.length) {
    return fail(`Missing <${spec.positional[positional.length]}>.`, word);
  }
  if (positional.length > maxPositional) return fail(`Too many arguments for ${word}.`, word);
  const [a = '', b = ''] = positional;
  const num = (name: string): number | null => (typeof flags[name] === 'number' ? (flags[name] as number) : null);
  const rate = num('rate');
  // --override "reason": only for redrive-all / redrive-batch (their specs are the only ones with the flag).
  const override = typeof flags.override === 'string' ? flags.override.trim().slice(0, 500) || null : null;
  const overridden = override === null ? {} : { override };
  if (rate !== null && rate > MAX_RATE_PER_SECOND) return fail(`--rate is at most ${MAX_RATE_PER_SECOND} messages a second.`, word);
  switch (word) {
    case 'help':
      return { ok: true, command: { op: 'help' } };
    case 'status':
      return { ok: true, command: { op: 'status', queue: positional[0] ?? null } };
    case 'peek': {
      const count = num('count') ?? DEFAULT_PEEK_COUNT;
      if (count > MAX_PEEK_COUNT) return fail(`--count is at most ${MAX_PEEK_COUNT}.`, word);
      return { ok: true, command: { op: 'peek', queue: a, count } };
    }
    case 'view':
      return { ok: true, command: { op: word, queue: a, id: b } };
    case 'replay':
      return { ok: true, command: { op: 'replay', queue: a, id: b, ...(typeof flags.to === 'string' ? { to: flags.to.trim() } : {}) } };
    case 'analyze':
    case 'stop-monitor':
    case 'alarms':
      return { ok: true, command: { op: word, queue: a } };
    case 'resolve':
      return { ok: true, command: { op: 'resolve', queue: a, id: b, reason: typeof flags.reason === 'string' ? flags.reason : null } };
    case 'redrive-all':
      return { ok: true, command: { op: 'redrive-all', queue: a, rate, ...overridden } };
    case 'redrive-batch': {
      const count = num('count');
      const filtered = replayFilterOf(flags);
      if (!filtered.ok) return fail(filtered.error, word);
      if (count === null && filtered.filter === null) return fail('redrive-batch needs --count N, or a filter (--category, --domain, --signature, --older-than) to replay every match.', word);
      return { ok: true, command: { op: 'redrive-batch', queue: a, count, rate, ...(filtered.filter ? { filter: filtered.filter } : {}), ...overridden } };
    }
    case 'history': {
      const hours = num('hours') ?? DEFAULT_HISTORY_HOURS;
      if (hours > MAX_HISTORY_HOURS) return fail(`--hours is at most ${MAX_HISTORY_HOURS} (15 days).`, word);
      return { ok: true, command: { op: 'history', queue: a, hours } };
    }
    case 're-execute':
      return { ok: true, command: { op: 're-execute', queue: a, id: b } };
    case 'monitor':
      return { ok: true, command: { op: 'monitor', queue: a, intervalSeconds: num('interval') ?? DEFAULT_MONITOR_INTERVAL_SECONDS } };
    case 'report':
      return { ok: true, command: { op: 'report', days: num('days') ?? 7 } };
    case 'audit':
      return { ok: true, command: { op: 'audit', ref: positional[0] ?? null } };
    case 'jobs':
      return { ok: true, command: { op: 'jobs', queue: positional[0] ?? null } };
    case 'cancel':
      return { ok: true, command: { op: 'cancel', jobId: a } };
    case 'resume':
      return { ok: true, command: { op: 'resume', queue: a, jobId: b } };
    case 'approve':
    case 'reject':
      return { ok: true, command: { op: word, queue: a, requestId: b } };
  }
};

const CATEGORY = /^[a-z][a-z0-9_-]{0,63}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** The redrive-batch filter flags; null when none was given. */
const replayFilterOf = (flags: Record<string, string | number>): { ok: true; filter: ReplayFilter | null } | { ok: false; error: string } => {
  const text = (name: string): string | null => (typeof flags[name] === 'string' ? (flags[name] as string).trim() : null);
  const category = text('category')?.toLowerCase() ?? null;
  if (category !== null && !CATEGORY.test(category)) return { ok: false, error: `--category is one word such as permanent or transient, got "${category}".` };
  const domain = text('domain')?.toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '') ?? null;
  if (domain !== null && !HOST.test(domain)) return { ok: false, error: `--domain is a host name such as example.com, got "${text('domain')}".` };
  const signature = text('signature');
  if (signature !== null && signature.length > 500) return { ok: false, error: '--signature is at most 500 characters.' };
  const olderThan = typeof flags['older-than'] === 'number' ? (flags['older-than'] as number) : null;
  const filter: ReplayFilter = { category, domain, signature: signature === '' ? null : signature, olderThanSeconds: olderThan };
  return { ok: true, filter: isFiltered(filter) ? filter : null };
};

export const parseDlqText = (text: string): ParseResult => parseDlqArgs(tokenize(text.trim()));
