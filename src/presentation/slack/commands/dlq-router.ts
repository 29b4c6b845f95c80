// The /dlq pipeline (app/commands) with Slack's Reply as its answer: the presenter that renders the
// pipeline's own answers (help, usage errors, "not available", denials, a second click), and the
// handler types the Slack and terminal operations are written against. Builds no pipeline of its own
// beyond `createDlqCommandRouter`, a shorthand for tests that want the bare handlers routed.

import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { escapeMrkdwn as escapeText } from '../../../core/text/escape-mrkdwn.ts';
import { createDlqPipeline, type DlqPipeline, type DlqPipelineOptions } from '../../../app/commands/dlq-command-pipeline.ts';
import type { CommandHandler, CommandHandlers, CommandPresenter } from '../../../app/commands/command-middleware.ts';
import { section, type Reply } from '../block-kit/blocks.ts';
import { renderDenied } from '../replies/access-replies.ts';
import { renderAlreadyDone } from '../replies/duplicate-click-replies.ts';
import { renderHelp, renderUsageError } from '../replies/render-help.ts';

export type OperationHandler<C extends DlqCommand = DlqCommand> = CommandHandler<Reply, C>;
export type OperationHandlers = CommandHandlers<Reply>;
export type DlqCommandRouter = DlqPipeline<Reply>;

export const slackCommandPresenter: CommandPresenter<Reply> = {
  help: renderHelp,
  usageError: renderUsageError,
  unavailable: (op) => {
    const text = `\`${op}\` is not available in this deployment: no queue backend serves it yet.`;
    return { text, private: true, blocks: [section(escapeText(text))] };
  },
  denied: renderDenied,
  duplicate: renderAlreadyDone,
};

/** The pipeline over `handlers` with Slack's presenter (and whichever steps `options` names). */
export const createDlqCommandRouter = (handlers: OperationHandlers, options: Omit<DlqPipelineOptions<Reply>, 'handlers' | 'presenter'> = {}): DlqCommandRouter =>
  createDlqPipeline({ handlers, presenter: slackCommandPresenter, ...options });
