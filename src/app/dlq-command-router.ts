// Routes a parsed /dlq command to the use case that serves it. Slack, the terminal and tests all call
// this one router, so an operation behaves the same wherever it is asked for.

import { renderHelp, renderUsageError } from '../core/slack/render-help.ts';
import { section, type Reply } from '../core/slack/blocks.ts';
import { parseDlqArgs, parseDlqText, type DlqCommand, type DlqOp, type ParseResult } from '../core/slack/parse-dlq-command.ts';
import { escapeMrkdwn as escapeText } from '../core/text/escape-mrkdwn.ts';

export interface CommandContext {
  /** Slack user id, or `cli:<os user>`. */
  actor: string;
  channelId: string | null;
  transport: 'slack' | 'cli';
}

export type OperationHandler<C extends DlqCommand = DlqCommand> = (command: C, context: CommandContext) => Promise<Reply>;

export type OperationHandlers = { [K in DlqOp]?: OperationHandler<Extract<DlqCommand, { op: K }>> };

export interface DlqCommandRouter {
  handleText(text: string, context: CommandContext): Promise<Reply>;
  handleArgs(args: readonly string[], context: CommandContext): Promise<Reply>;
}

export const createDlqCommandRouter = (handlers: OperationHandlers): DlqCommandRouter => {
  const dispatch = async (parsed: ParseResult, context: CommandContext): Promise<Reply> => {
    if (!parsed.ok) return renderUsageError(parsed.error, parsed.usage);
    const command = parsed.command;
    if (command.op === 'help') return renderHelp(context.transport === 'cli' ? 'redrive dlq' : '/dlq');
    const handler = handlers[command.op] as OperationHandler | undefined;
    if (!handler) {
      const text = `\`${command.op}\` is not available in this deployment: no queue backend serves it yet.`;
      return { text, private: true, blocks: [section(escapeText(text))] };
    }
    return handler(command, context);
  };
  return {
    handleText: (text, context) => dispatch(parseDlqText(text), context),
    handleArgs: (args, context) => dispatch(parseDlqArgs(args), context),
  };
};
