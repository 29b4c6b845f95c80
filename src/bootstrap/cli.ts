// The terminal entry: parses the command line, loads the config and secrets, and runs one command
// (check-config, iam-policy, migrate, dlq, serve); it maps errors to exit codes and stderr lines.

import { CLI_USAGE, parseCliArgs, type CliRequest } from '../adapters/inbound/cli/cli-args.ts';
import { plainMessage } from '../presentation/terminal/render-terminal.ts';
import { jsonError } from '../presentation/terminal/json-output.ts';
import { createRootLogger } from '../adapters/outbound/logging/pino-logger.ts';
import { credentialSets, describeCredentialSet } from '../config/aws-credential-sets.ts';
import { formatProblems, loadConfigFile, missingSecrets, parseConfig, resolveSecrets, slackTransport, type ConfigOverrides, type ConfigResult } from '../config/load-config.ts';
import { isRedriveError, RedriveError } from '../errors.ts';
import { printIamPolicy } from '../adapters/inbound/cli/iam-policy-command.ts';
import { startServer } from './serve.ts';
import { runDlqCommand } from './cli-dlq.ts';
import type { Env, Io } from './cli-io.ts';
import { openStore } from './open-store.ts';

const loadConfig = (path: string | null, overrides?: ConfigOverrides): { result: ConfigResult; source: string } => {
  if (path === null) return { result: parseConfig({}, overrides), source: '(embedded defaults)' };
  return { result: loadConfigFile(path, overrides), source: path };
};

/** `serve --port N` wins over `PORT`, which wins over server.port; the schema validates either. */
const portOverride = (request: CliRequest, env: Env): ConfigOverrides | undefined => {
  if (request.command !== 'serve') return undefined;
  if (request.port !== undefined && request.port !== null) return { serverPort: { value: request.port, from: '--port' } };
  if (env.PORT !== undefined && env.PORT !== '') return { serverPort: { value: env.PORT, from: 'the PORT environment variable' } };
  return undefined;
};

/** `redrive dlq ... --json`: errors, too, come as one JSON document on stdout. */
const wantsJson = (request: CliRequest): request is Extract<CliRequest, { command: 'dlq' }> => request.command === 'dlq' && request.args.includes('--json');

const runCommand = async (request: Exclude<CliRequest, { command: 'help' | 'version' }>, env: Env, io: Io): Promise<number> => {
  const { result, source } = loadConfig(request.configPath, portOverride(request, env));
  if (!result.ok && wantsJson(request)) {
    io.out(jsonError(request.args.find((a) => a !== '--json') ?? null, new RedriveError('CONFIG_INVALID', formatProblems(source, result.problems))));
    return 1;
  }
  if (!result.ok) {
    io.err(`${source}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:`);
    io.err(formatProblems(source, result.problems));
    return 1;
  }
  const config = result.config;
  // The policy is read from the config alone: no secret, store or AWS call is needed to print it.
  if (request.command === 'iam-policy') return printIamPolicy(config, request.role, source, io);
  const secrets = resolveSecrets(config, env);
  const secretProblems = missingSecrets(config, secrets);
  if (request.command === 'check-config') {
    if (secretProblems.length > 0) {
      io.err(formatProblems(source, secretProblems));
      return 1;
    }
    const slack = slackTransport(config, secrets);
    io.out(`${source}: OK — ${config.queues.length} queue(s) [${config.queues.map((q) => `${q.name} (${q.kind})`).join(', ')}], store ${config.store.kind}, Slack ${slack === 'none' ? 'not configured' : `${slack} mode`}.`);
    // Which SQS queues share which AWS credentials (region + assumed role): one line per set.
    for (const set of credentialSets(config)) io.out(`  AWS credentials: ${describeCredentialSet(set)}`);
    return 0;
  }
  if (secretProblems.length > 0) throw new RedriveError('CONFIG_SECRET_MISSING', formatProblems(source, secretProblems));
  // Terminal commands print their results on stdout; their log lines go to stderr.
  const logger = createRootLogger({ level: env.LOG_LEVEL ?? config.logLevel, stream: request.command === 'serve' ? 'stdout' : 'stderr' });
  if (request.command === 'migrate') {
    const store = await openStore(config, secrets, logger);
    await store.close();
    io.out('Migrations applied.');
    return 0;
  }
  if (request.command === 'dlq') return runDlqCommand(request.args, config, secrets, logger, io);
  const runtime = await startServer(config, secrets, logger);
  io.out(`Redrive is serving on ${runtime.url} (health: ${runtime.url}/healthz)`);
  if (runtime.consoleUrl) io.out(`Local console (no Slack configured): open ${runtime.consoleUrl}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      runtime.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
};

export const runCli = async (argv: readonly string[], env: Env, io: Io): Promise<number> => {
  const parsed = parseCliArgs(argv, env);
  if (!parsed.ok) {
    io.err(`${parsed.error}\n\n${CLI_USAGE}`);
    return 2;
  }
  const request = parsed.request;
  if (request.command === 'help') {
    io.out(CLI_USAGE);
    return 0;
  }
  if (request.command === 'version') {
    io.out('redrive 0.1.0');
    return 0;
  }
  try {
    return await runCommand(request, env, io);
  } catch (error) {
    if (wantsJson(request)) {
      io.out(jsonError(request.args.find((a) => a !== '--json') ?? null, error));
      return 1;
    }
    if (isRedriveError(error)) {
      io.err(`redrive: ${error.code}: ${plainMessage(error.userMessage())}`);
      return 1;
    }
    io.err(`redrive: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
};
