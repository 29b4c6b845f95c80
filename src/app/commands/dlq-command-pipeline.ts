// The one path every /dlq command takes, wherever it comes from (a typed /dlq, a button, a modal, the
// local console, `redrive dlq`): parse → help → authorize → "not available" → the named middlewares
// (known queues → audit → idempotency) → the operation's handler. Slack and the terminal build it with
// the same `createDlqPipeline`; what differs between them comes in as options. Generic in the reply
// type: the pipeline renders nothing itself (the presenter does) and must not import presentation.

import { parseDlqArgs, parseDlqText, type DlqCommand, type DlqOp, type ParseResult } from '../../core/command/parse-dlq-command.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { AuditDeps } from '../shared/audit-trail.ts';
import type { AccessDenial } from '../access/access-control.ts';
import { authorizeCommand, type Authorize } from './authorize.middleware.ts';
import { auditFailures } from './audit.middleware.ts';
import { listKnownQueues, type KnownQueuesDeps } from './known-queues.middleware.ts';
import { oncePerClick, type ClickOutcome, type IdempotencyDeps, type OnceOp } from './idempotency.middleware.ts';

/** Serves one command; `R` is what the caller renders (a Slack Reply in this app). */
export type CommandHandler<R, C extends DlqCommand = DlqCommand> = (command: C, context: CommandContext) => Promise<R>;

/** One handler per operation; an operation without one is "not available in this deployment". */
export type CommandHandlers<R> = { [K in DlqOp]?: CommandHandler<R, Extract<DlqCommand, { op: K }>> };

/** One step around the handler: answers itself, or calls `next` (possibly handling what it throws). */
export type Middleware<R> = (command: DlqCommand, context: CommandContext, next: CommandHandler<R>) => Promise<R>;

/** The answers the pipeline gives itself, rendered by the caller's presentation layer. */
export interface CommandPresenter<R> {
  /** `/dlq help [op]`; `prefix` is `/dlq` in Slack and `redrive dlq` in the terminal. */
  help(prefix: string, topic?: DlqOp): R;
  usageError(error: string, usage: string): R;
  /** An operation no handler serves here (no queue backend serves it). */
  unavailable(op: DlqOp): R;
  /** A role check said no (already audited as `denied`). */
  denied(denial: AccessDenial): R;
  /** A second click on a replay / resolve button: how the first one ended (null: still running, or unknown). */
  duplicate(op: OnceOp, id: string, outcome: ClickOutcome | null): R;
}

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

/** `handler` behind `middlewares`, the first one outermost. */
export const throughMiddlewares = <R>(middlewares: readonly Middleware<R>[], handler: CommandHandler<R>): CommandHandler<R> =>
  middlewares.reduceRight<CommandHandler<R>>((next, middleware) => (command, context) => middleware(command, context, next), handler);

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
