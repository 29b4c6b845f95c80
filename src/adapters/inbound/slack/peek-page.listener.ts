// Bolt listener for Previous / Next under a peek: acks at once, peeks again through the router (same
// role check and audit as `/dlq peek`) for the page asked for, and puts that page in place of the
// message the buttons were on (response_url `replace_original`, else chat.update). Decides nothing.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';
import { decodePeekPage } from '../../../presentation/slack/replies/peek-pages.ts';
import { PEEK_PAGE_ACTIONS } from '../../../presentation/slack/block-kit/interactive-actions.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { contextFor } from './command-submission.ts';
import { clickOrigin, failureText, whisper } from './interaction-replies.ts';

export const registerPeekPages = (app: App, deps: { router: DlqCommandRouter; chat: Chat | null; logger: Logger }): void => {
  const { router, chat, logger } = deps;
  for (const actionId of Object.values(PEEK_PAGE_ACTIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const target = decodePeekPage(action.value);
      if (!target) return;
      const user = body.user.id;
      const origin = clickOrigin(body as never);
      const delivery = { chat, logger, user, origin, respond };
      try {
        const reply = await router.handleCommand({ op: 'peek', queue: target.queue, count: target.count, page: target.page }, contextFor(user, origin));
        // A denial or an error reply is for the clicker alone; the peek stays as it was.
        if (reply.private) {
          await whisper(delivery, { text: reply.text, blocks: reply.blocks });
          return;
        }
        const replaced = await respond({ replace_original: true, text: reply.text, blocks: reply.blocks }).then(() => true, () => false);
        if (replaced) return;
        const updated = chat && origin.channel && origin.messageTs ? await chat.update(origin.channel, origin.messageTs, { text: reply.text, blocks: reply.blocks }) : null;
        if (!updated?.ok) logger.warn({ user, queue: target.queue }, 'peek page could not replace the message');
      } catch (error) {
        logFailure(logger, error, { user, queue: target.queue, page: target.page }, 'peek page failed');
        await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
      }
    });
  }
};
