// Parses `/dlq ...` text (Slack) and `redrive dlq ...` arguments (terminal) into one command type.
// Pure: it decides nothing about permissions or queues, only shape; bad input gets usage help.

import { isFiltered, parseDuration, type ReplayFilter } from '../analysis/replay-filter.ts';

/**
 * `resolve-batch --replayed-before`: messages Redrive replayed before a time, given as an instant
 * (`2026-12-04T15:00Z`) or as an age (`2h`: replayed at least two hours ago; `now`: replayed at all).
 * The app layer turns it into a date with its clock.
 */
export type ReplayedBefore = { at: string } | { agoSeconds: number };

export type DlqCommand =
  /** `topic`: one subcommand's usage (`redrive dlq peek --help`, `/dlq help peek`). */
  | { op: 'help'; topic?: DlqOp }
  | { op: 'status'; queue: string | null }
  | { op: 'peek'; queue: string; count: number; /** 0-based page of the reply (Previous / Next buttons). */ page?: number }
  /** Buttons only: `modal` renders the whole message for a modal, `edit` the Edit and replay form. */
  | { op: 'view'; queue: string; id: string; surface?: 'message' | 'modal' | 'edit' }
  | { op: 'analyze'; queue: string }
  /**
   * `body`: an edited body (Edit and replay modal), valid JSON, sent instead of the original. `to`: the
   * destination the operator confirms (a queue without a replay topic: the original topic).
   */
  | { op: 'replay'; queue: string; id: string; body?: string | null; to?: string | null }
  | { op: 'resolve'; queue: string; id: string; reason: string | null }
  /**
   * `override`: an admin's typed reason to start despite a failing pre-flight check (audited);
   * `canary`: `--canary N` (0 = none), absent = the queue's configured canary.
   */
  | { op: 'redrive-all'; queue: string; rate: number | null; override?: string | null; canary?: number }
  /** `count` null: every message the filter matches (a filter is then required). */
  | { op: 'redrive-batch'; queue: string; count: number | null; rate: number | null; filter?: ReplayFilter | null; override?: string | null; canary?: number }
  /**
   * Bulk resolve: archive (SQS: then delete; Kafka: commit up to the lowest unresolved offset) `count`
   * messages, or every one the filter and/or `replayedBefore` select (one of them is required).
   */
  | { op: 'resolve-batch'; queue: string; count: number | null; rate: number | null; filter?: ReplayFilter | null; replayedBefore?: ReplayedBefore | null; reason: string | null }
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
  /** `whole`: a whole number that may be 0 (`--canary 0` turns the canary off). */
  flags: Record<string, 'int' | 'whole' | 'number' | 'text' | 'duration'>;
  /** What each flag means, for `<op> --help`. */
  flagHelp?: Record<string, string>;
}

export const DEFAULT_PEEK_COUNT = 5;
export const MAX_PEEK_COUNT = 500;
export const DEFAULT_MONITOR_INTERVAL_SECONDS = 30;
export const MAX_RATE_PER_SECOND = 500;
/** The largest canary (`--canary N`): a few batches, not a job. */
export const MAX_CANARY = 1_000;
export const DEFAULT_HISTORY_HOURS = 24;
/** CloudWatch keeps 1-minute data 15 days; stored samples are pruned sooner (poller.retentionHours). */
export const MAX_HISTORY_HOURS = 15 * 24;

/** The filter options redrive-batch and resolve-batch share. */
const FILTER_FLAG_HELP: Record<string, string> = {
  category: 'only this error category (permanent, transient, ...)',
  domain: 'only messages whose URL is on this host or its subdomains',
  signature: 'only this error signature (part of it, as analyze shows it)',
  'older-than': 'only messages that failed at least this long ago (90s, 30m, 2h, 7d)',
};

export const DLQ_OPS: Record<DlqOp, OpSpec> = {
  help: { usage: 'help [subcommand]', summary: 'this help, or one subcommand\'s usage', positional: [], optionalPositional: 'subcommand', flags: {} },
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
  resolve: { usage: 'resolve <queue> <id> [--reason "..."]', summary: 'archive one message (SQS: delete it from the DLQ; Kafka: commit past it, the record stays)', positional: ['queue', 'id'], flags: { reason: 'text' } },
  'redrive-all': { usage: 'redrive-all <queue> [--rate R] [--canary N] [--override "reason"]', summary: 'move every message back to its source (≤ 500/s); a canary replays N first and watches for returns', positional: ['queue'], flags: { rate: 'number', canary: 'whole', override: 'text' } },
  'redrive-batch': {
    usage: 'redrive-batch <queue> --count N [--rate R] [--canary N] [--category C] [--domain host] [--signature text] [--older-than 2h] [--override "reason"]',
    summary: 'replay N messages (or every one the filters match) in batches of 10, rate-limited, checkpointed',
    positional: ['queue'],
    flags: { count: 'int', rate: 'number', canary: 'whole', category: 'text', domain: 'text', signature: 'text', 'older-than': 'duration', override: 'text' },
    flagHelp: {
      count: 'replay at most N messages',
      override: 'an admin\'s reason to start despite failing pre-flight checks (audited)',
      rate: 'at most R messages a second (up to 500)',
      canary: 'replay N messages first, watch the DLQ for them coming back, go on only if none did (0 = no canary)',
      ...FILTER_FLAG_HELP,
    },
  },
  'resolve-batch': {
    usage: 'resolve-batch <queue> --count N | [--category C] [--domain host] [--signature text] [--older-than 2h] [--replayed-before T] [--reason "..."] [--rate R]',
    summary: 'resolve N messages (or every one the filters match): archived, then deleted (SQS) or committed up to the lowest unresolved offset (Kafka)',
    positional: ['queue'],
    flags: { count: 'int', rate: 'number', category: 'text', domain: 'text', signature: 'text', 'older-than': 'duration', 'replayed-before': 'text', reason: 'text' },
    flagHelp: {
      count: 'resolve at most N messages',
      ...FILTER_FLAG_HELP,
      'replayed-before': 'only messages Redrive replayed before T: a time (2026-12-04T15:00Z), an age (2h = replayed at least 2 hours ago) or now',
      reason: 'why they are resolved (kept with each archived message)',
      rate: 'at most R messages a second',
    },
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

/** One subcommand's usage, summary and options (`redrive dlq <op> --help`). */
export const opUsageText = (op: DlqOp, prefix = '/dlq'): string => {
  const spec = DLQ_OPS[op];
  const flags = Object.keys(spec.flags).map((flag) => `  --${flag.padEnd(16)} ${spec.flagHelp?.[flag] ?? ''}`.trimEnd());
  return [`Usage: ${prefix} ${spec.usage}`, '', spec.summary, ...(flags.length > 0 ? ['', 'Options:', ...flags] : [])].join('\n');
};

export const BULK_REASON_MAX = 500;

/** `--replayed-before`: an ISO instant, an age (`2h`), or `now`. */
export const parseReplayedBefore = (text: string): ReplayedBefore | null => {
  const value = text.trim();
  if (value.toLowerCase() === 'now') return { agoSeconds: 0 };
  const seconds = parseDuration(value);
  if (seconds !== null) return { agoSeconds: seconds };
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : { at: at.toISOString() };
};

export const parseDlqArgs = (args: readonly string[]): ParseResult => {
  const [first, ...rest] = args;
  if (first === undefined || first === '') return { ok: true, command: { op: 'help' } };
  const word = first.toLowerCase();
  if (word === '--help' || word === '-h') return { ok: true, command: { op: 'help' } };
  if (!isOp(word)) return fail(`Unknown subcommand "${first}".`);
  if (rest.includes('--help') || rest.includes('-h')) return { ok: true, command: { op: 'help', topic: word } };
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
        if (kind === 'whole' && !(Number.isInteger(n) && n >= 0 && n <= MAX_CANARY)) {
          return fail(`--${rawName} must be a whole number from 0 to ${MAX_CANARY}, got "${value}".`, word);
        }
        if (kind !== 'whole' && (!Number.isFinite(n) || n <= 0 || (kind === 'int' && !Number.isInteger(n)))) {
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
  const canary = num('canary');
  const withCanary = canary === null ? {} : { canary };
  if (rate !== null && rate > MAX_RATE_PER_SECOND) return fail(`--rate is at most ${MAX_RATE_PER_SECOND} messages a second.`, word);
  switch (word) {
    case 'help': {
      const topic = positional[0]?.toLowerCase();
      if (topic === undefined) return { ok: true, command: { op: 'help' } };
      if (!isOp(topic)) return fail(`Unknown subcommand "${positional[0]}".`);
      return { ok: true, command: { op: 'help', topic } };
    }
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
      return { ok: true, command: { op: 'redrive-all', queue: a, rate, ...overridden, ...withCanary } };
    case 'redrive-batch': {
      const count = num('count');
      const filtered = replayFilterOf(flags);
      if (!filtered.ok) return fail(filtered.error, word);
      if (count === null && filtered.filter === null) return fail('redrive-batch needs --count N, or a filter (--category, --domain, --signature, --older-than) to replay every match.', word);
      return { ok: true, command: { op: 'redrive-batch', queue: a, count, rate, ...(filtered.filter ? { filter: filtered.filter } : {}), ...overridden, ...withCanary } };
    }
    case 'resolve-batch': {
      const count = num('count');
      const filtered = replayFilterOf(flags);
      if (!filtered.ok) return fail(filtered.error, word);
      const beforeText = typeof flags['replayed-before'] === 'string' ? flags['replayed-before'] : null;
      const replayedBefore = beforeText === null ? null : parseReplayedBefore(beforeText);
      if (beforeText !== null && replayedBefore === null) return fail(`--replayed-before is a time (2026-12-04T15:00Z), an age (2h) or now, got "${beforeText}".`, word);
      const reason = typeof flags.reason === 'string' ? flags.reason.trim().slice(0, BULK_REASON_MAX) || null : null;
      if (count === null && filtered.filter === null && replayedBefore === null) {
        return fail('resolve-batch needs --count N, or a filter (--category, --domain, --signature, --older-than, --replayed-before) to resolve every match.', word);
      }
      return {
        ok: true,
        command: { op: 'resolve-batch', queue: a, count, rate, ...(filtered.filter ? { filter: filtered.filter } : {}), ...(replayedBefore ? { replayedBefore } : {}), reason },
      };
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
