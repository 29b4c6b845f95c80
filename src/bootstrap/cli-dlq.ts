// `redrive dlq ...`: one /dlq command from the terminal, against the configured store and queues. It
// prints the reply (plain text or `--json`) and returns the exit code; bad input opens nothing.

import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Logger } from '../adapters/outbound/logging/pino-logger.ts';
import type { Config } from '../config/config.schema.ts';
import type { Secrets } from '../config/load-config.ts';
import { parseDlqArgs } from '../core/command/parse-dlq-command.ts';
import { systemClock } from '../ports/clock.port.ts';
import { createJobProgressPrinter, printCanary } from '../presentation/terminal/job-progress-printer.ts';
import { jsonError, jsonResult, takeJsonFlag } from '../presentation/terminal/json-output.ts';
import { renderReplyForTerminal } from '../presentation/terminal/render-terminal.ts';
import type { Io } from './cli-io.ts';
import { terminalDlqRouter } from './dlq-routers.ts';
import { openQueueRegistry } from './open-queues.ts';
import { openStore } from './open-store.ts';

export const runDlqCommand = async (requestArgs: readonly string[], config: Config, secrets: Secrets, logger: Logger, io: Io): Promise<number> => {
  // `--body-file <path>`: a replacement body for replay, a JSON object merged into each body for redrive-batch.
  const args = [...requestArgs];
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
  const { registry, aws } = openQueueRegistry(config, secrets, store, systemClock, logger);
  const monitorPost = async (_queue: string, view: { status: { queue: string; depth: number; inFlight: number | null; at: Date } }) =>
    io.out(
      json
        ? JSON.stringify({ queue: view.status.queue, at: view.status.at.toISOString(), visible: view.status.depth, inFlight: view.status.inFlight })
        : `${view.status.at.toISOString()}  ${view.status.queue}  visible=${view.status.depth}  in-flight=${view.status.inFlight ?? '-'}`,
    );
  try {
    const hooks = { monitorPost, bodyEdit, jobProgress: createJobProgressPrinter(io.err), onCanary: printCanary(io.err) };
    const router = terminalDlqRouter({ config, store, registry, aws, logger, hooks });
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
};
