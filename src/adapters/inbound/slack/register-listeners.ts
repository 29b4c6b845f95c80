// Every Bolt listener Redrive has, registered in one place. Slack (HTTP or Socket Mode) and the local
// console both call this, so a command or a click behaves the same wherever it comes from.

import type { App } from '@slack/bolt';
import type { DlqCommandRouter } from '../../../presentation/slack/commands/dlq-router.ts';
import type { AccessControl } from '../../../app/access/access-control.ts';
import type { Chat } from '../../../ports/chat.port.ts';
import type { QueueKind } from '../../../core/model.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { registerDlqCommand } from './dlq-command.listener.ts';
import { registerIncidentActions, type IncidentAcknowledger } from './incident-actions.listener.ts';
import { registerMessageActions } from './message-actions.listener.ts';
import { registerJobActions } from './job-actions.listener.ts';
import { registerSafetyActions } from './safety-actions.listener.ts';
import { registerAppHome } from './app-home.listener.ts';
import { registerPeekPages } from './peek-page.listener.ts';
import type { HomeData } from '../../../app/incidents/app-home.use-case.ts';
import type { QueueScope } from '../../../app/shared/queue-visibility.ts';

export interface SlackListenerDeps {
  router: DlqCommandRouter;
  incidents: IncidentAcknowledger;
  chat: Chat | null;
  /** Roles for clicks that do not go through the router (Acknowledge); see app/access `checkAccess`. */
  access?: AccessControl;
  logger: Logger;
  /** The backend kind of a configured queue (what Resolve and bulk replay forms say they do), null if unknown. */
  kindOf?: (queue: string) => QueueKind | null;
  /** App Home contents (queues, levels, incident links, last actions); no App Home without it. */
  readHome?: (scope: QueueScope) => Promise<HomeData>;
}

export const registerSlackListeners = (app: App, deps: SlackListenerDeps): void => {
  registerDlqCommand(app, deps.router, deps.logger);
  registerIncidentActions(app, { incidents: deps.incidents, router: deps.router, chat: deps.chat, logger: deps.logger, ...(deps.access ? { access: deps.access } : {}) });
  registerMessageActions(app, { router: deps.router, chat: deps.chat, logger: deps.logger, access: deps.access, kindOf: deps.kindOf });
  registerJobActions(app, { router: deps.router, chat: deps.chat, logger: deps.logger, access: deps.access, kindOf: deps.kindOf });
  registerSafetyActions(app, { router: deps.router, chat: deps.chat, logger: deps.logger, access: deps.access });
  registerPeekPages(app, { router: deps.router, chat: deps.chat, logger: deps.logger });
  if (deps.readHome) registerAppHome(app, { readHome: deps.readHome, logger: deps.logger, access: deps.access });
};
