// The one path every /dlq command takes, wherever it comes from (a typed /dlq, a button, a modal, the
// local console, `redrive dlq`): parse → help → authorize → "not available" → the named middlewares
// (known queues → audit → idempotency) → the operation's handler. Slack and the terminal build it with
// the same `createDlqPipeline`; what differs between them comes in as options. Generic in the reply
// type: the pipeline renders nothing itself (the presenter does) and must not import presentation.

import { parseDlqArgs, parseDlqText, type DlqCommand, type ParseResult } from '../../core/command/parse-dlq-command.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { AuditDeps } from '../shared/audit-trail.ts';
import { authorizeCommand, type Authorize } from './authorize.middleware.ts';
import { auditFailures } from './audit.middleware.ts';
import { listKnownQueues, type KnownQueuesDeps } from './known-queues.middleware.ts';
import { oncePerClick, type IdempotencyDeps } from './idempotency.middleware.ts';
import { throughMiddlewares, type CommandHandler, type CommandHandlers, type CommandPresenter, type Middleware } from './command-middleware.ts';

export interface DlqPipeline<R> {
  handleText(text: string, context: CommandContext): Promise<R>;
  handleArgs(args: readonly string[], context: CommandContext): Promise<R>;
  /** A command built elsewhere (a button, a modal submission): same checks, same handlers. */
  handleCommand(command: DlqCommand, context: CommandContext): Promise<R>;
}

export interface DlqPipelineOptions<R> {
  handlers: CommandHandlers<R>;
  presenter: CommandPresenter<R>;
  /** Roles; absent: everything is allowed (some tests). */
  authorize?: Authorize;
  /** An unknown queue's error lists the queues the asker may view; absent: unchanged. */
  knownQueues?: KnownQueuesDeps;
  /** A failure a use case did not audit itself is audited here; absent: none. */
  audit?: AuditDeps;
  /** Replay / resolve once per clicked Slack message; absent (the terminal: no clicks, no keys): none. */
  idempotency?: IdempotencyDeps;
}

/** The named steps around every handler, in order: known queues → audit → idempotency. */
export const commandMiddlewares = <R>(options: Pick<DlqPipelineOptions<R>, 'presenter' | 'knownQueues' | 'audit' | 'idempotency'>): Middleware<R>[] => [
  // Outside the audit: the audit record names no other queue, the user sees the ones they may view.
  ...(options.knownQueues ? [listKnownQueues<R>(options.knownQueues)] : []),
  ...(options.audit ? [auditFailures<R>(options.audit)] : []),
  ...(options.idempotency ? [oncePerClick<R>({ ...options.idempotency, presenter: options.presenter })] : []),
];

export const createDlqPipeline = <R>(options: DlqPipelineOptions<R>): DlqPipeline<R> => {
  const { handlers, presenter } = options;
  const handle = throughMiddlewares(commandMiddlewares(options), (command, context) => (handlers[command.op] as CommandHandler<R>)(command, context));
  const served: Middleware<R> = (command, context, next) => (handlers[command.op] ? next(command, context) : Promise.resolve(presenter.unavailable(command.op)));
  const run = throughMiddlewares<R>([...(options.authorize ? [authorizeCommand<R>(options.authorize, presenter)] : []), served], handle);
  const dispatch = async (parsed: ParseResult, context: CommandContext): Promise<R> => {
    if (!parsed.ok) return presenter.usageError(parsed.error, parsed.usage);
    return runCommand(parsed.command, context);
  };
  const runCommand = async (command: DlqCommand, context: CommandContext): Promise<R> =>
    command.op === 'help' ? presenter.help(context.transport === 'cli' ? 'redrive dlq' : '/dlq', command.topic) : run(command, context);
  return {
    handleText: (text, context) => dispatch(parseDlqText(text), context),
    handleArgs: (args, context) => dispatch(parseDlqArgs(args), context),
    handleCommand: runCommand,
  };
};
