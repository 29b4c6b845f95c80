// The terminal entry: parses the command line, loads the config and secrets, and runs one command
// (check-config, iam-policy, migrate, dlq, serve); it maps errors to exit codes and stderr lines.

import { userInfo } from 'node:os';
import { CLI_USAGE, parseCliArgs, type CliRequest } from '../adapters/inbound/cli/cli-args.ts';
import { plainMessage, renderReplyForTerminal } from '../presentation/terminal/render-terminal.ts';
import { jsonError, jsonResult, takeJsonFlag } from '../presentation/terminal/json-output.ts';
import { createJobProgressPrinter, printCanary } from '../presentation/terminal/job-progress-printer.ts';
import { createRootLogger } from '../adapters/outbound/logging/pino-logger.ts';
import { createDlqCommandRouter } from '../app/commands/dlq-command-router.ts';
import { createAccessControl } from '../app/access/access-control.ts';
import { accessRolesFrom } from '../app/access/access-roles.ts';
import { withFailureAudit } from '../app/commands/failure-audit.ts';
import { withKnownQueues } from '../app/commands/known-queues.ts';
import { parseDlqArgs } from '../core/command/parse-dlq-command.ts';
import { withRedriveGates } from '../presentation/slack/commands/redrive-gates.ts';
import { readFileSync } from 'node:fs';
import { credentialSets, describeCredentialSet } from '../config/aws-credential-sets.ts';
import { formatProblems, loadConfigFile, missingSecrets, parseConfig, resolveSecrets, slackTransport, type ConfigOverrides, type ConfigResult } from '../config/load-config.ts';
import { isRedriveError, RedriveError } from '../errors.ts';
import { systemClock } from '../ports/clock.port.ts';
import { noopMetrics } from '../ports/metrics.port.ts';
import { printIamPolicy } from '../adapters/inbound/cli/iam-policy-command.ts';
import { canaryLookup } from '../app/jobs/canary.ts';
import { createAuditOperations, createQueueOperations } from '../presentation/slack/commands/dlq-commands.ts';
import { startServer } from './serve.ts';
import { openStore } from './open-store.ts';
import { openQueueRegistry } from './open-queues.ts';
import { openSafety } from './open-safety.ts';

export type Env = Record<string, string | undefined>;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}


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
  if (request.command === 'dlq') {
    // `--body-file <path>`: a replacement body for replay, a JSON object merged into each body for redrive-batch.
    const args = [...request.args];
    // `--json`: one JSON document on stdout (result or error) instead of the plain text.
    const json = takeJsonFlag(args);
    const op = args[0]?.toLowerCase() ?? 'help';
    const at = args.indexOf('--body-file');
    const bodyEdit = at >= 0 ? readFileSync(args.splice(at, 2)[1] ?? '', 'utf8') : null;
    // Bad input: the usage line on stderr and exit 2, like any command-line tool (nothing is opened).
    const parsed = parseDlqArgs(args);
    if (!parsed.ok) {
      const usage = parsed.usage.replace('Usage: /dlq', 'Usage: redrive dlq');
      if (json) io.out(jsonError(op, parsed.error, { usage }));
      else io.err(`redrive dlq: ${parsed.error}\n${usage}`);
      return 2;
    }
    const store = await openStore(config, secrets, logger);
    const { registry, aws: awsClients } = openQueueRegistry(config, secrets, store, systemClock, logger);
    const monitorPost = async (_queue: string, view: { status: { queue: string; depth: number; inFlight: number | null; at: Date } }) =>
      io.out(
        json
          ? JSON.stringify({ queue: view.status.queue, at: view.status.at.toISOString(), visible: view.status.depth, inFlight: view.status.inFlight })
          : `${view.status.at.toISOString()}  ${view.status.queue}  visible=${view.status.depth}  in-flight=${view.status.inFlight ?? '-'}`,
      );
    try {
      // The terminal is trusted as admin (`cli:<user>` actors pass every role check; see app/access): whoever
      // runs it holds the config and the credentials already. Its actions are audited like Slack's.
      const cliDeps = { registry, store, clock: systemClock, metrics: noopMetrics, auditLogger: logger.child({ component: 'audit' }), redactKeys: config.redactKeys, canaryConfig: canaryLookup(config.queues) };
      const access = createAccessControl({ roles: accessRolesFrom(config), userGroups: null, audit: cliDeps });
      const cliQueueDeps = { ...cliDeps, logger: logger.child({ component: 'queues' }) };
      const cliGates = openSafety(config, cliQueueDeps, awsClients, access, () => null).gates;
      const cliOperations = withFailureAudit(withRedriveGates({ ...createQueueOperations(cliDeps, { monitorPost, bodyEdit, jobProgress: createJobProgressPrinter(io.err), onCanary: printCanary(io.err) }), ...createAuditOperations(cliDeps) }, cliGates), cliDeps);
      const router = createDlqCommandRouter(withKnownQueues(cliOperations, { registry }), { authorize: access.authorize });
      let reply;
      try {
        reply = await router.handleArgs(args, { actor: `cli:${userInfo().username}`, channelId: null, transport: 'cli' });
      } catch (error) {
        if (!json) throw error;
        io.out(jsonError(parsed.command.op, error, { redactKeys: config.redactKeys }));
        return 1;
      }
      io.out(json ? jsonResult(parsed.command.op, reply, config.redactKeys) : renderReplyForTerminal(reply));
      // `monitor` keeps printing until Ctrl-C.
      if (args[0] === 'monitor') await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    } finally {
      await registry.close();
      await store.close();
    }
    return 0;
  }
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
