// Bolt listener for the Acknowledge button on incident parent messages: ack at once, record who
// acknowledged through the incident service, and tell only the clicker when there was nothing to do.
// It decides nothing itself.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { AckResult } from '../../../app/incidents/incident-service.ts';
import { INCIDENT_ACTIONS } from '../../../core/slack/incident-actions.ts';
import { escapeMrkdwn } from '../../../core/text/escape-mrkdwn.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';

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

export const registerIncidentActions = (app: App, incidents: IncidentAcknowledger, logger: Logger): void => {
  app.action<BlockButtonAction>(INCIDENT_ACTIONS.acknowledge, async ({ ack, body, action, respond }) => {
    await ack();
    const user = body.user.id;
    const log = logger.child({ user, incidentId: action.value });
    try {
      const text = explain(await incidents.acknowledge(action.value ?? '', user));
      if (text) await respond({ response_type: 'ephemeral', replace_original: false, text });
    } catch (error) {
      log.error({ err: error }, 'acknowledge failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':x: Could not acknowledge; the error is in Redrive\'s log.' });
    }
  });
};
