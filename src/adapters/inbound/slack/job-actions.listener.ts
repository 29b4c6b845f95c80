// Bolt listeners for long jobs: the Redrive all button (incident message) and the Bulk replay button
// open the bulk replay modal (count, rate, filter); its submission starts redrive-all or
// redrive-batch through the router (an admin operation: the router's role check applies), which
// answers at once with the job id and a Cancel button while the job reports in a thread. The Cancel
// button runs `cancel <job-id>`; the Continue button of a job paused by its canary runs `resume <queue>
// <job-id>` (an admin operation, audited like any resume). The Bulk resolve button opens the bulk resolve
// modal, whose submission starts resolve-batch the same way. Every handler acks first.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import { INCIDENT_ACTIONS } from '../../../presentation/slack/block-kit/incident-actions.ts';
import { decodeMessageRef, JOB_ACTIONS, VIEW_CALLBACKS } from '../../../presentation/slack/block-kit/interactive-actions.ts';
import { bulkReplayModal, readBulkSubmission } from '../../../presentation/slack/block-kit/modals.ts';
import { bulkResolveModal, readBulkResolveSubmission } from '../../../presentation/slack/block-kit/bulk-resolve-modal.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { QueueKind } from '../../../core/model.ts';
import type { DlqCommand } from '../../../core/command/parse-dlq-command.ts';
import { RedriveError } from '../../../errors.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { checkAccess, type AccessControl } from '../../../app/access/access-control.ts';
import { clickOrigin, deliver, failureText, whisper, type ViewsClient } from './interaction-replies.ts';
import { contextFor, onCommandSubmission } from './command-submission.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';
import { deniedMessage } from '../../../presentation/slack/replies/access-replies.ts';

export interface JobActionDeps {
  router: DlqCommandRouter;
  chat: Chat | null;
  logger: Logger;
  /** Checks the admin role before the bulk form opens (the submission is checked again by the router). */
  access?: AccessControl | undefined;
  /** The queue's backend kind, so the Bulk replay form says what it does there. */
  kindOf?: ((queue: string) => QueueKind | null) | undefined;
}

export const registerJobActions = (app: App, deps: JobActionDeps): void => {
  const { router, chat, logger } = deps;

  for (const actionId of [INCIDENT_ACTIONS.redriveAll, JOB_ACTIONS.bulkReplay]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const queue = action.value ?? '';
      const origin = clickOrigin(body as never);
      try {
        const allowed = await checkAccess(deps.access, { actor: body.user.id, action: 'redrive-all', queue });
        if (!allowed.ok) {
          await whisper({ chat, logger, user: body.user.id, origin, respond }, deniedMessage(allowed.decision));
          return;
        }
        await (client as unknown as ViewsClient).views.open({ trigger_id: body.trigger_id, view: bulkReplayModal(queue, origin, deps.kindOf?.(queue) ?? null, actionId) });
      } catch (error) {
        logFailure(logger, error, { queue }, 'bulk replay modal failed');
        await whisper({ chat, logger, user: body.user.id, origin, respond }, { text: failureText(error) }).catch(() => undefined);
      }
    });
  }

  onCommandSubmission(app, deps, VIEW_CALLBACKS.bulkReplay, (ref, values) => readBulkSubmission(ref.queue, values), 'bulk replay failed to start');

  // Bulk resolve: the same shape, its own modal (reason required) and role check.
  app.action<BlockButtonAction>(JOB_ACTIONS.bulkResolve, async ({ ack, body, action, client, respond }) => {
    await ack();
    const queue = action.value ?? '';
    const origin = clickOrigin(body as never);
    const delivery = { chat, logger, user: body.user.id, origin, respond };
    try {
      const allowed = await checkAccess(deps.access, { actor: body.user.id, action: 'resolve-batch', queue });
      if (!allowed.ok) {
        await whisper(delivery, deniedMessage(allowed.decision));
        return;
      }
      await (client as unknown as ViewsClient).views.open({ trigger_id: body.trigger_id, view: bulkResolveModal(queue, origin) });
    } catch (error) {
      logFailure(logger, error, { queue }, 'bulk resolve modal failed');
      await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
    }
  });
  onCommandSubmission(app, deps, VIEW_CALLBACKS.bulkResolve, (ref, values) => readBulkResolveSubmission(ref.queue, values), 'bulk resolve failed to start');

  const jobButton = (actionId: string, commandOf: (value: string) => DlqCommand | null, what: string): void => {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const origin = clickOrigin(body as never);
      const delivery = { chat, logger, user, origin, respond };
      try {
        const command = commandOf(action.value ?? '');
        if (!command) throw new RedriveError('CLI_USAGE', 'This button does not name a job.');
        await deliver(delivery, await router.handleCommand(command, contextFor(user, origin)));
      } catch (error) {
        logFailure(logger, error, { user, value: action.value }, `${what} button failed`);
        await whisper(delivery, { text: failureText(error) }).catch(() => undefined);
      }
    });
  };
  jobButton(JOB_ACTIONS.cancel, (value) => ({ op: 'cancel', jobId: value }), 'cancel');
  jobButton(JOB_ACTIONS.continueAfterCanary, (value) => {
    const ref = decodeMessageRef(value);
    return ref ? { op: 'resume', queue: ref.queue, jobId: ref.id } : null;
  }, 'continue');
};
