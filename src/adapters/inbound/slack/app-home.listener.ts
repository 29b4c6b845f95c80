// App Home: on app_home_opened (and the Refresh button) publish the tab for that user with
// views.publish. Events are acked by Bolt before the listener runs; reading the queues happens after.
// The tab shows what `status` shows, so it needs the role `status` needs; a denial says so instead.
// Like `status` of all queues, it shows only the queues the user may view and says how many it hid.

import type { App, BlockButtonAction } from '@slack/bolt';
import type { HomeData } from '../../../app/incidents/app-home.use-case.ts';
import { renderAppHome } from '../../../presentation/slack/replies/app-home-view.ts';
import { JOB_ACTIONS } from '../../../presentation/slack/block-kit/interactive-actions.ts';
import type { View } from '../../../presentation/slack/block-kit/modals.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { checkAccess, type AccessControl } from '../../../app/access/access-control.ts';
import { ALL_QUEUES, type QueueScope } from '../../../app/shared/queue-visibility.ts';
import { logFailure } from '../../../app/shared/log-failure.ts';
import { deniedMessage } from '../../../presentation/slack/replies/access-replies.ts';
import { VIEW_BLOCKS_MAX } from '../../../presentation/slack/block-kit/slack-limits.ts';

export interface AppHomeDeps {
  /** What the tab shows for a user who may view the queues of `scope`. */
  readHome: (scope: QueueScope) => Promise<HomeData>;
  logger: Logger;
  access?: AccessControl | undefined;
}

interface PublishClient {
  views: { publish(args: { user_id: string; view: View }): Promise<unknown> };
}

export const registerAppHome = (app: App, deps: AppHomeDeps): void => {
  const publish = async (client: unknown, user: string): Promise<void> => {
    try {
      const allowed = await checkAccess(deps.access, { actor: user, action: 'status', queue: null });
      // Like `status` of all queues: only the queues the user may view, and how many were hidden.
      const scope = allowed.ok && deps.access ? await deps.access.scopeFor(user) : ALL_QUEUES;
      const view: View = allowed.ok ? renderAppHome(await deps.readHome(scope)) : { type: 'home', blocks: deniedMessage(allowed.decision).blocks.slice(0, VIEW_BLOCKS_MAX) };
      await (client as PublishClient).views.publish({ user_id: user, view });
    } catch (error) {
      logFailure(deps.logger, error, { user }, 'App Home publish failed');
    }
  };
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publish(client, event.user);
  });
  app.action<BlockButtonAction>(JOB_ACTIONS.refreshHome, async ({ ack, body, client }) => {
    await ack();
    await publish(client, body.user.id);
  });
};
