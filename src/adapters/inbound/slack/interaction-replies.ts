// How a listener answers after it acked: a public result into the thread the click came from, a
// private one (or any failure) as an ephemeral message to the clicker, a modal's result in the modal.
// Transport plumbing only: what to say comes from the router's Reply.

import type { RespondFn } from '@slack/bolt';
import type { Reply } from '../../../presentation/slack/block-kit/blocks.ts';
import type { ModalOrigin, View } from '../../../presentation/slack/block-kit/modals.ts';
import { toSlackText } from '../../../core/text/slack-text.ts';
import { isRedriveError } from '../../../errors.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';

export const failureText = (error: unknown): string =>
  isRedriveError(error) ? `:x: ${toSlackText(error.userMessage(), { max: 2_000 })}` : ':x: Something went wrong; the error is in Redrive\'s log.';

/** Minimal Web API surface for modals (Bolt's client). */
export interface ViewsClient {
  views: {
    open(args: { trigger_id: string; view: View }): Promise<{ view?: { id?: string } }>;
    push(args: { trigger_id: string; view: View }): Promise<{ view?: { id?: string } }>;
    update(args: { view_id: string; view: View }): Promise<unknown>;
  };
}

/** Where a block_actions click happened: the message (and thread) in a channel, or a modal. */
export interface ClickOrigin extends ModalOrigin {
  /** Set when the button was inside a modal. */
  viewId: string | null;
}

interface ActionBody {
  channel?: { id?: string };
  container?: { type?: string; channel_id?: string; message_ts?: string; thread_ts?: string; view_id?: string };
  message?: { ts?: string; thread_ts?: string };
  view?: { id?: string; private_metadata?: string };
}

export const clickOrigin = (body: ActionBody): ClickOrigin => ({
  channel: body.channel?.id ?? body.container?.channel_id ?? null,
  messageTs: body.message?.ts ?? body.container?.message_ts ?? null,
  threadTs: body.message?.thread_ts ?? body.container?.thread_ts ?? null,
  viewId: body.container?.type === 'view' ? (body.view?.id ?? body.container.view_id ?? null) : null,
});

export interface Delivery {
  chat: Chat | null;
  logger: Logger;
  user: string;
  origin: ModalOrigin;
  respond?: RespondFn | undefined;
}

/** Only the clicker sees it: through response_url when there is one, else chat.postEphemeral. */
export const whisper = async (d: Delivery, message: { text: string; blocks?: Reply['blocks'] }): Promise<void> => {
  if (d.respond) {
    await d.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
    return;
  }
  if (d.chat && d.origin.channel) {
    const sent = await d.chat.ephemeral(d.origin.channel, d.user, { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }, d.origin.threadTs ?? undefined);
    if (sent.ok) return;
  }
  d.logger.warn({ user: d.user }, 'no way to answer the clicker (no response_url, no channel)');
};

/** A public reply goes into the thread of the clicked message (its own thread when it is a root). */
export const deliver = async (d: Delivery, reply: Reply): Promise<void> => {
  const threadTs = d.origin.threadTs ?? d.origin.messageTs;
  if (!reply.private && d.chat && d.origin.channel && threadTs) {
    const posted = await d.chat.reply(d.origin.channel, threadTs, { text: reply.text, blocks: reply.blocks });
    if (posted.ok) return;
  }
  await whisper(d, { text: reply.text, blocks: reply.blocks });
};
