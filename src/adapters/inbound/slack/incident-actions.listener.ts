// Bolt listeners for the buttons on incident parent messages. Acknowledge records who acknowledged
// through the incident service; Peek and Analyze run the same operation as `/dlq` and answer in the
// incident's thread (Redrive all opens the bulk replay modal: job-actions.listener.ts). Every click is acked at once; nothing here decides anything.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import { checkAccess, type AccessControl } from '../../../app/access/access-control.ts';
import type { AckResult } from '../../../app/incidents/incident-service.ts';
import { INCIDENT_ACTIONS } from '../../../presentation/slack/block-kit/incident-actions.ts';
import { escapeMrkdwn } from '../../../core/text/escape-mrkdwn.ts';
import { toSlackText } from '../../../core/text/slack-text.ts';
import { isRedriveError } from '../../../errors.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';
import { deniedMessage } from '../../../presentation/slack/replies/access-replies.ts';

export interface IncidentAcknowledger {
  acknowledge(incidentId: string, user: string): Promise<AckResult>;
}

const explain = (result: AckResult): string | null => {
  switch (result.kind) {
    case 'acknowledged':
      return null;
    case 'already-acknowledged':
      return `Already acknowledged by <@${escapeMrkdwn(result.by)}>.`;
    case 'not-open':
      return 'This incident is already resolved.';
    case 'not-found':
      return 'This incident no longer exists.';
  }
};

/**
 * The /dlq operation each queue button runs, with the queue name from the button's value. Redrive
 * all opens the bulk replay modal instead (job-actions.listener.ts).
 */
const QUEUE_BUTTONS = [
  [INCIDENT_ACTIONS.peek, 'peek'],
  [INCIDENT_ACTIONS.analyze, 'analyze'],
] as const;

const failureText = (error: unknown): string =>
  isRedriveError(error) ? `:x: ${toSlackText(error.userMessage(), { max: 2_000 })}` : ':x: Something went wrong; the error is in Redrive\'s log.';

export const registerIncidentActions = (
  app: App,
  deps: { incidents: IncidentAcknowledger; router: DlqCommandRouter; chat: Chat | null; logger: Logger; access?: AccessControl },
): void => {
  const { incidents, router, chat, logger } = deps;
  app.action<BlockButtonAction>(INCIDENT_ACTIONS.acknowledge, async ({ ack, body, action, respond }) => {
    await ack();
    const user = body.user.id;
    try {
      // Acknowledging needs the operator role on the incident's queue (the button's value is the incident id).
      const incidentId = action.value ?? '';
      const allowed = await checkAccess(deps.access, { actor: user, action: 'acknowledge', queue: null, incidentId });
      if (!allowed.ok) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...deniedMessage(allowed.decision) });
        return;
      }
      const text = explain(await incidents.acknowledge(incidentId, user));
      if (text) await respond({ response_type: 'ephemeral', replace_original: false, text });
    } catch (error) {
      logFailure(logger, error, { user, incidentId: action.value }, 'acknowledge failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: failureText(error) });
    }
  });

  for (const [actionId, op] of QUEUE_BUTTONS) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const channel = body.channel?.id ?? null;
      // The parent message is the thread: its ts, or its own thread_ts when clicked inside a thread.
      const threadTs = body.message?.thread_ts ?? body.message?.ts ?? null;
      try {
        const reply = await router.handleText(`${op} ${action.value ?? ''}`, { actor: user, channelId: channel, transport: 'slack' });
        if (reply.private || !chat || channel === null || threadTs === null) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text, blocks: reply.blocks });
          return;
        }
        const posted = await chat.reply(channel, threadTs, { text: reply.text, blocks: reply.blocks });
        if (!posted.ok) await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text, blocks: reply.blocks });
      } catch (error) {
        logFailure(logger, error, { user, op, queue: action.value }, `${op} button failed`);
        await respond({ response_type: 'ephemeral', replace_original: false, text: failureText(error) });
      }
    });
  }
};
