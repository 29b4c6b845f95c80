// Bolt listeners for the buttons under a DLQ message (peek results and the message modal) and the
// modals they open: View (a modal with the whole message), Replay (confirmed in Slack's dialog),
// Edit and replay (a form; invalid JSON is refused on the field and nothing is sent), Resolve (a form
// asking for the reason). Every handler acks first; every operation goes through the router, so the
// role check and the once-per-click rule apply. Nothing here decides anything.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import type { CommandContext } from '../../../app/shared/command-context.ts';
import { decodeMessageRef, MESSAGE_ACTIONS, VIEW_CALLBACKS, type MessageRef } from '../../../presentation/slack/block-kit/interactive-actions.ts';
import {
  blocksModal,
  decodeMetadata,
  editReplayModal,
  modal,
  noticeModal,
  readEditReplaySubmission,
  readResolveSubmission,
  resolveModal,
  type ModalOrigin,
  type View,
} from '../../../presentation/slack/block-kit/modals.ts';
import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { toSlackId } from '../../../core/text/slack-text.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { QueueKind } from '../../../core/model.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { checkAccess, type AccessControl } from '../../../app/access/access-control.ts';
import { contextFor, onCommandSubmission } from './command-submission.ts';
import { clickOrigin, deliver, failureText, whisper, type ViewsClient } from './interaction-replies.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';
import { deniedMessage } from '../../../presentation/slack/replies/access-replies.ts';
import { VIEW_BLOCKS_MAX } from '../../../presentation/slack/block-kit/slack-limits.ts';

export interface MessageActionDeps {
  router: DlqCommandRouter;
  chat: Chat | null;
  logger: Logger;
  /** Checks the role before a form opens (the submission goes through the router and is checked again). */
  access?: AccessControl | undefined;
  /** The queue's backend kind, so the Resolve form says what resolving does there. */
  kindOf?: ((queue: string) => QueueKind | null) | undefined;
}

const originOf = (context: CommandContext): ModalOrigin => ({
  channel: context.origin?.channel ?? context.channelId,
  messageTs: context.origin?.messageTs ?? null,
  threadTs: context.origin?.threadTs ?? null,
});

const loading = (ref: MessageRef): View =>
  noticeModal('DLQ message', `:hourglass_flowing_sand: Reading \`${toSlackId(ref.id, 300)}\` from *${toSlackId(ref.queue, 200)}*…`);

export const registerMessageActions = (app: App, deps: MessageActionDeps): void => {
  const { router, chat, logger } = deps;

  /** The click's ref and origin; inside a modal, the origin is the message the modal was opened from. */
  const clickOf = (body: BlockButtonAction, value: string | undefined) => {
    const click = clickOrigin(body as never);
    const fromModal = click.viewId ? decodeMetadata((body as { view?: { private_metadata?: string } }).view?.private_metadata) : null;
    const origin: ModalOrigin = fromModal ? fromModal.origin : click;
    return { ref: decodeMessageRef(value), origin, viewId: click.viewId };
  };

  /** Opens (or, from a modal, pushes) a loading modal at once: a trigger_id lasts 3 seconds. */
  const openModal = async (client: unknown, triggerId: string, fromModal: boolean, view: View): Promise<string | null> => {
    const views = (client as ViewsClient).views;
    const opened = fromModal ? await views.push({ trigger_id: triggerId, view }) : await views.open({ trigger_id: triggerId, view });
    return opened.view?.id ?? null;
  };
  const updateModal = (client: unknown, viewId: string, view: View) => (client as ViewsClient).views.update({ view_id: viewId, view });

  /** `requires`: the action whose role the form is for, checked before it opens (e.g. `replay`). */
  const runIntoModal = (action: string, build: (ref: MessageRef, context: CommandContext, command: DlqCommand) => Promise<View>, command: (ref: MessageRef) => DlqCommand, requires?: string) => {
    app.action<BlockButtonAction>(action, async ({ ack, body, action: button, client, respond }) => {
      await ack();
      const { ref, origin, viewId } = clickOf(body, button.value);
      if (!ref) return;
      const user = body.user.id;
      let modalId: string | null = null;
      try {
        if (requires) {
          const allowed = await checkAccess(deps.access, { actor: user, action: requires, queue: ref.queue, messageId: ref.id });
          if (!allowed.ok) {
            await whisper({ chat, logger, user, origin, respond: viewId ? undefined : respond }, deniedMessage(allowed.decision));
            return;
          }
        }
        modalId = await openModal(client, body.trigger_id, viewId !== null, loading(ref));
        const view = await build(ref, contextFor(user, origin), command(ref));
        if (modalId) await updateModal(client, modalId, view);
      } catch (error) {
        logFailure(logger, error, { user, queue: ref.queue, action }, 'message modal failed');
        if (modalId) await updateModal(client, modalId, noticeModal('DLQ message', failureText(error))).catch(() => undefined);
        else await whisper({ chat, logger, user, origin, respond: viewId ? undefined : respond }, { text: failureText(error) }).catch(() => undefined);
      }
    });
  };

  // View: the whole message in a modal.
  runIntoModal(MESSAGE_ACTIONS.view, async (ref, context, command) => {
    const reply = await router.handleCommand(command, context);
    return blocksModal('DLQ message', reply.blocks, ref, originOf(context));
  }, (ref) => ({ op: 'view', queue: ref.queue, id: ref.id, surface: 'modal' }));

  // Edit and replay: the body in a form (or why it cannot be edited in Slack).
  runIntoModal(MESSAGE_ACTIONS.editReplay, async (ref, context, command) => {
    const reply = await router.handleCommand(command, context);
    return editReplayModal(ref, reply.blocks, originOf(context));
  }, (ref) => ({ op: 'view', queue: ref.queue, id: ref.id, surface: 'edit' }), 'replay');

  // Replay: Slack's confirm dialog already asked; the result goes to the thread, or into the modal.
  app.action<BlockButtonAction>(MESSAGE_ACTIONS.replay, async ({ ack, body, action, client, respond }) => {
    await ack();
    const { ref, origin, viewId } = clickOf(body, action.value);
    if (!ref) return;
    const user = body.user.id;
    const delivery = { chat, logger, user, origin, respond: viewId ? undefined : respond };
    try {
      const reply = await router.handleCommand({ op: 'replay', queue: ref.queue, id: ref.id, ...(ref.to === undefined ? {} : { to: ref.to }) }, contextFor(user, origin));
      if (viewId) {
        // In the modal for the clicker, and (when public) in the thread for everyone else.
        await updateModal(client, viewId, modal('Replay', reply.blocks.slice(0, VIEW_BLOCKS_MAX)));
        if (!reply.private && origin.channel) await deliver(delivery, reply);
      } else await deliver(delivery, reply);
    } catch (error) {
      logFailure(logger, error, { user, queue: ref.queue }, 'replay button failed');
      await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
    }
  });

  // Resolve: a form asking for the reason; the submission resolves.
  app.action<BlockButtonAction>(MESSAGE_ACTIONS.resolve, async ({ ack, body, action, client, respond }) => {
    await ack();
    const { ref, origin, viewId } = clickOf(body, action.value);
    if (!ref) return;
    const delivery = { chat, logger, user: body.user.id, origin, respond: viewId ? undefined : respond };
    try {
      // No form for someone who may not resolve: say so now rather than after they typed a reason.
      const allowed = await checkAccess(deps.access, { actor: body.user.id, action: 'resolve', queue: ref.queue, messageId: ref.id });
      if (!allowed.ok) {
        await whisper(delivery, deniedMessage(allowed.decision));
        return;
      }
      await openModal(client, body.trigger_id, viewId !== null, resolveModal(ref, origin, deps.kindOf?.(ref.queue) ?? null));
    } catch (error) {
      logFailure(logger, error, { queue: ref.queue }, 'resolve modal failed');
      await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
    }
  });

  onCommandSubmission(app, deps, VIEW_CALLBACKS.resolve, readResolveSubmission);
  onCommandSubmission(app, deps, VIEW_CALLBACKS.editReplay, readEditReplaySubmission);
};
