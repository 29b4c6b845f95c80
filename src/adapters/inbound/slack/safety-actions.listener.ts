// Bolt listeners for safe redrive (issue 14): Approve / Reject on an approval request run
// `approve|reject <queue> <request-id>` through the router (role check: operator), and Override… on
// a pre-flight block opens a reason modal (admins only) whose submission runs the bulk replay again
// with that reason. Every handler acks first; nothing here decides anything.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import { checkAccess, type AccessControl } from '../../../app/access/access-control.ts';
import { decodeOverride } from '../../../presentation/slack/replies/safety-replies.ts';
import { decodeMessageRef, SAFETY_ACTIONS, VIEW_CALLBACKS } from '../../../presentation/slack/block-kit/interactive-actions.ts';
import { overrideModal, readOverrideSubmission } from '../../../presentation/slack/block-kit/safety-modals.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { contextFor, onCommandSubmission } from './command-submission.ts';
import { clickOrigin, deliver, failureText, whisper, type ViewsClient } from './interaction-replies.ts';
import { deniedMessage } from '../../../presentation/slack/replies/access-replies.ts';

export interface SafetyActionDeps {
  router: DlqCommandRouter;
  chat: Chat | null;
  logger: Logger;
  access?: AccessControl | undefined;
}

export const registerSafetyActions = (app: App, deps: SafetyActionDeps): void => {
  const { router, chat, logger } = deps;

  for (const op of ['approve', 'reject'] as const) {
    app.action<BlockButtonAction>(SAFETY_ACTIONS[op], async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const origin = clickOrigin(body as never);
      const delivery = { chat, logger, user, origin, respond };
      const ref = decodeMessageRef(action.value);
      if (!ref) return;
      try {
        await deliver(delivery, await router.handleCommand({ op, queue: ref.queue, requestId: ref.id }, contextFor(user, origin)));
      } catch (error) {
        logger.error({ err: error, user, requestId: ref.id }, `${op} button failed`);
        await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
      }
    });
  }

  app.action<BlockButtonAction>(SAFETY_ACTIONS.override, async ({ ack, body, action, client, respond }) => {
    await ack();
    const user = body.user.id;
    const origin = clickOrigin(body as never);
    const command = decodeOverride(action.value);
    if (!command || !action.value) return;
    try {
      // No form for someone who may not start the job: say so before they type a reason.
      const allowed = await checkAccess(deps.access, { actor: user, action: command.op, queue: command.queue });
      if (!allowed.ok) {
        await whisper({ chat, logger, user, origin, respond }, deniedMessage(allowed.decision));
        return;
      }
      await (client as unknown as ViewsClient).views.open({ trigger_id: body.trigger_id, view: overrideModal(command.queue, action.value, origin) });
    } catch (error) {
      logger.error({ err: error, user, queue: command.queue }, 'override modal failed');
      await whisper({ chat, logger, user, origin, respond }, { text: failureText(error) }).catch(() => undefined);
    }
  });

  onCommandSubmission(app, deps, VIEW_CALLBACKS.preflightOverride, readOverrideSubmission(decodeOverride), 'pre-flight override failed');
};
