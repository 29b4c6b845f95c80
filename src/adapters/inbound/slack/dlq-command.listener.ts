// The /dlq slash command listener: acknowledge at once, then answer through response_url.
// It parses nothing and decides nothing: the router and its use cases do.

import type { App } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { isRedriveError } from '../../../errors.ts';
import { toSlackText } from '../../../core/text/slack-text.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';

export const DLQ_COMMAND = '/dlq';

export const registerDlqCommand = (app: App, router: DlqCommandRouter, logger: Logger): void => {
  app.command(DLQ_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const log = logger.child({ user: command.user_id, channel: command.channel_id });
    try {
      const reply = await router.handleText(command.text, { actor: command.user_id, channelId: command.channel_id, transport: 'slack' });
      await respond({ response_type: reply.private ? 'ephemeral' : 'in_channel', text: reply.text, blocks: reply.blocks });
    } catch (error) {
      logFailure(log, error, {}, '/dlq failed');
      // The message may quote what the user typed (a queue name, an id): escape it like queue text.
      const text = isRedriveError(error) ? `:x: ${toSlackText(error.userMessage(), { max: 2_000 })}` : ':x: Something went wrong; the error is in Redrive\'s log.';
      await respond({ response_type: 'ephemeral', text });
    }
  });
};
