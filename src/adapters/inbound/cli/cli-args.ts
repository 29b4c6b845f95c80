// Parses `redrive <command> [options]` into a typed request. Pure apart from reading nothing: the
// environment is passed in.

import { parseArgs } from 'node:util';

export type CliRequest =
  /** `port`: `--port`, else null (the composition root then reads PORT, then the config). */
  | { command: 'serve'; configPath: string | null; port?: string | null }
  | { command: 'check-config'; configPath: string | null }
  | { command: 'migrate'; configPath: string | null }
  | { command: 'iam-policy'; configPath: string | null; role: string | null }
  | { command: 'dlq'; configPath: string | null; args: string[] }
  | { command: 'help' }
  | { command: 'version' };

export const CLI_USAGE = `Usage: redrive <command> [--config <file>]

Commands:
  serve            run the bot: Slack app, alert routes, /healthz, /readyz, /metrics
                   (--port N, or the PORT environment variable, overrides server.port)
  check-config     validate the config file and print every problem with its path
  migrate          apply database migrations and exit
  dlq <op> ...     queue operations from the terminal (redrive dlq help)
  iam-policy       print the least-privilege AWS IAM policy for the configured queues (JSON);
                   --role <arn>: the policy for the queues that assume that role
  help             this help

The config file comes from --config or REDRIVE_CONFIG; without either, the embedded defaults run
(SQLite at .data/redrive.db, no queues).`;

export type CliParse = { ok: true; request: CliRequest } | { ok: false; error: string };

export const parseCliArgs = (argv: readonly string[], env: Record<string, string | undefined>): CliParse => {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { ok: true, request: { command: 'help' } };
  if (command === '--version' || command === 'version') return { ok: true, request: { command: 'version' } };
  if (!['serve', 'check-config', 'migrate', 'dlq', 'iam-policy'].includes(command)) return { ok: false, error: `Unknown command "${command}".` };
  // `dlq` keeps its own arguments; only --config is taken out.
  const configIndex = rest.findIndex((arg) => arg === '--config' || arg.startsWith('--config='));
  let configPath: string | null = env.REDRIVE_CONFIG ?? null;
  const remaining = [...rest];
  if (configIndex >= 0) {
    const arg = rest[configIndex] ?? '';
    const value = arg.includes('=') ? arg.slice('--config='.length) : rest[configIndex + 1];
    if (!value) return { ok: false, error: '--config needs a file path.' };
    configPath = value;
    remaining.splice(configIndex, arg.includes('=') ? 1 : 2);
  }
  if (command === 'dlq') return { ok: true, request: { command: 'dlq', configPath, args: remaining } };
  // `redrive serve --help` and the like: the usage, not an unknown-option error.
  if (remaining.includes('--help') || remaining.includes('-h')) return { ok: true, request: { command: 'help' } };
  let port: string | null = null;
  try {
    if (command === 'iam-policy') {
      const { values } = parseArgs({ args: remaining, options: { role: { type: 'string' } }, strict: true, allowPositionals: false });
      return { ok: true, request: { command, configPath, role: values.role ?? null } };
    }
    const parsed = parseArgs({ args: remaining, options: command === 'serve' ? { port: { type: 'string' } } : {}, strict: true, allowPositionals: false });
    const value = (parsed.values as { port?: string }).port;
    if (value !== undefined) port = value;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (command === 'serve') return { ok: true, request: { command: 'serve', configPath, port } };
  return { ok: true, request: { command: command as 'check-config' | 'migrate', configPath } };
};
