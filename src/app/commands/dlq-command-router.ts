// Routes a parsed /dlq command to the use case that serves it. Slack, the terminal and tests all call
// this one router, so an operation behaves the same wherever it is asked for.

import { renderHelp, renderUsageError } from '../../presentation/slack/replies/render-help.ts';
import { section, type Reply } from '../../presentation/slack/block-kit/blocks.ts';
import { parseDlqArgs, parseDlqText, type DlqCommand, type DlqOp, type ParseResult } from '../../core/command/parse-dlq-command.ts';
import { escapeMrkdwn as escapeText } from '../../core/text/escape-mrkdwn.ts';
import type { CommandContext } from '../shared/command-context.ts';


export type OperationHandler<C extends DlqCommand = DlqCommand> = (command: C, context: CommandContext) => Promise<Reply>;

export type OperationHandlers = { [K in DlqOp]?: OperationHandler<Extract<DlqCommand, { op: K }>> };

export interface DlqCommandRouter {
  handleText(text: string, context: CommandContext): Promise<Reply>;
  handleArgs(args: readonly string[], context: CommandContext): Promise<Reply>;
  /** A command built elsewhere (a button, a modal submission): same checks, same handlers. */
  handleCommand(command: DlqCommand, context: CommandContext): Promise<Reply>;
}

/**
 * Runs before every handler: returns a reply (a denial) to stop the command, or null to let it run.
 * Roles live behind this hook, so `/dlq`, buttons, modals and the terminal are checked alike.
 */
export type Authorize = (command: DlqCommand, context: CommandContext) => Promise<Reply | null>;

export interface RouterOptions {
  authorize?: Authorize;
}

export const createDlqCommandRouter = (handlers: OperationHandlers, options: RouterOptions = {}): DlqCommandRouter => {
  const run = async (command: DlqCommand, context: CommandContext): Promise<Reply> => {
    if (command.op === 'help') return renderHelp(context.transport === 'cli' ? 'redrive dlq' : '/dlq', command.topic);
    const denied = options.authorize ? await options.authorize(command, context) : null;
    if (denied) return denied;
    const handler = handlers[command.op] as OperationHandler | undefined;
    if (!handler) {
      const text = `\`${command.op}\` is not available in this deployment: no queue backend serves it yet.`;
      return { text, private: true, blocks: [section(escapeText(text))] };
    }
    return handler(command, context);
  };
  const dispatch = async (parsed: ParseResult, context: CommandContext): Promise<Reply> =>
    parsed.ok ? run(parsed.command, context) : renderUsageError(parsed.error, parsed.usage);
  return {
    handleText: (text, context) => dispatch(parseDlqText(text), context),
    handleArgs: (args, context) => dispatch(parseDlqArgs(args), context),
    handleCommand: run,
  };
};
