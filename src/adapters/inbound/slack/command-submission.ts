// A modal whose submission is one router command (resolve with a reason, edit and replay, bulk
// replay): the form is read into the command, a refused field keeps the modal open with its error,
// and the command's reply goes where the modal was opened from. Transport plumbing only: the form
// reader decides what is valid, the router decides (and checks the role) for the rest.

import type { App } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import type { CommandContext } from '../../../app/shared/command-context.ts';
import type { MessageRef } from '../../../presentation/slack/block-kit/interactive-actions.ts';
import { decodeMetadata, type ModalOrigin, type StateValues, type Submission } from '../../../presentation/slack/block-kit/modals.ts';
import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { deliver, failureText, whisper } from './interaction-replies.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';

export interface CommandSubmissionDeps {
  router: DlqCommandRouter;
  chat: Chat | null;
  logger: Logger;
}

/** The router's context for a Slack user acting from `origin` (the message a click or modal came from). */
export const contextFor = (user: string, origin: ModalOrigin): CommandContext => ({
  actor: user,
  channelId: origin.channel,
  transport: 'slack',
  ...(origin.channel ? { origin: { channel: origin.channel, messageTs: origin.messageTs, threadTs: origin.threadTs } } : {}),
});

/**
 * Handles the submissions of modal `callbackId`: `read` turns the form into a command or field
 * errors. Acks first (with the errors, when there are any: nothing runs); a failure is logged with
 * `failureLog` and told to the submitter only.
 */
export const onCommandSubmission = (
  app: App,
  deps: CommandSubmissionDeps,
  callbackId: string,
  read: (ref: MessageRef, values: StateValues) => Submission<DlqCommand>,
  failureLog = 'modal submission failed',
): void => {
  const { router, chat, logger } = deps;
  app.view(callbackId, async ({ ack, body, view }) => {
    const meta = decodeMetadata(view.private_metadata);
    if (!meta) {
      await ack();
      return;
    }
    const submission = read(meta.ref, view.state.values as unknown as StateValues);
    if (!submission.ok) {
      // Slack shows each error under its field and keeps the modal open; nothing ran.
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    await ack();
    const user = body.user.id;
    const delivery = { chat, logger, user, origin: meta.origin };
    try {
      await deliver(delivery, await router.handleCommand(submission.value, contextFor(user, meta.origin)));
    } catch (error) {
      logFailure(logger, error, { user, queue: meta.ref.queue, callbackId }, failureLog);
      await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
    }
  });
};
