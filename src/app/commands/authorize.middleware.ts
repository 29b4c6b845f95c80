// The first step of every command: the role check (app/access). A denial stops the command with the
// presenter's explanation; the check itself has already audited it as `denied`. Renders nothing.

import type { DlqCommand } from '../../core/command/parse-dlq-command.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { AccessDenial } from '../access/access-control.ts';
import type { CommandPresenter, Middleware } from './command-middleware.ts';

/**
 * Decides whether a command may run: the denial (already audited) to stop it, or null to let it run.
 * Roles live behind this hook, so `/dlq`, buttons, modals and the terminal are checked alike.
 */
export type Authorize = (command: DlqCommand, context: CommandContext) => Promise<AccessDenial | null>;

export const authorizeCommand = <R>(authorize: Authorize, presenter: Pick<CommandPresenter<R>, 'denied'>): Middleware<R> => async (command, context, next) => {
  const denial = await authorize(command, context);
  return denial ? presenter.denied(denial) : next(command, context);
};
