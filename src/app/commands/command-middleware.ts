// What a /dlq command step is: a handler, a middleware around it (answers itself or calls `next`), and
// the presenter that renders the pipeline's own answers. Types and one combinator; no step lives here.

import type { DlqCommand, DlqOp } from '../../core/command/parse-dlq-command.ts';
import type { AccessDenial } from '../access/access-control.ts';
import type { CommandContext } from '../shared/command-context.ts';

export type OnceOp = 'replay' | 'resolve';

/** How the click that holds an idempotency key ended: who, when, and the error of a failed attempt. */
export interface ClickOutcome {
  actor: string;
  at: Date;
  result: 'success' | 'failure';
  error: string | null;
}

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

/** `handler` behind `middlewares`, the first one outermost. */
export const throughMiddlewares = <R>(middlewares: readonly Middleware<R>[], handler: CommandHandler<R>): CommandHandler<R> =>
  middlewares.reduceRight<CommandHandler<R>>((next, middleware) => (command, context) => middleware(command, context, next), handler);
