// `redrive dlq <op> --json`: one JSON document on stdout per command, with stable keys (README
// "Machine-readable output"): `{ok: true, op, result, text}` or `{ok: false, op, error: {code,
// message, hint, retriable}, usage?}`. Every string passes through redaction (presigned URL
// signatures, tokens, passwords, the config's redactKeys), as the plain-text output does.

import type { Reply } from '../slack/block-kit/blocks.ts';
import { redactSecrets } from '../../core/text/redact.ts';
import { isRedriveError } from '../../errors.ts';
import { renderReplyForTerminal } from './render-terminal.ts';

/** Takes `--json` out of the arguments; says whether it was there. */
export const takeJsonFlag = (args: string[]): boolean => {
  const at = args.indexOf('--json');
  if (at < 0) return false;
  args.splice(at, 1);
  return true;
};

const serialize = (value: unknown, redactKeys: readonly string[]): string =>
  JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'string') return redactSecrets(v, { jsonKeys: redactKeys });
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      return v;
    },
    2,
  );

export const jsonResult = (op: string, reply: Reply, redactKeys: readonly string[] = []): string =>
  serialize({ ok: true, op, result: reply.data ?? null, text: renderReplyForTerminal(reply) }, redactKeys);

export const jsonError = (op: string | null, error: unknown, options: { usage?: string; redactKeys?: readonly string[] } = {}): string => {
  const body = isRedriveError(error)
    ? { code: error.code, message: error.message, hint: error.hint, retriable: error.retriable }
    : typeof error === 'string'
      ? { code: 'CLI_USAGE', message: error, hint: 'Run `redrive dlq <op> --help` for its usage.', retriable: false }
      : { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error), hint: null, retriable: false };
  return serialize({ ok: false, op, error: body, ...(options.usage ? { usage: options.usage } : {}) }, options.redactKeys ?? []);
};
