// The local console: Redrive without a Slack workspace. A Bolt App on an in-process receiver and
// the in-process Slack Web API emulator (src/slack-api-emulator/in-process-api.ts) whose messages,
// threads, modals and App Home a web page shows. The caller registers the same listeners as for Slack (registerSlackListeners) and
// builds the same Chat adapter on `bolt.app.client`, so what works here works in Slack.

import { App } from '@slack/bolt';
import type { BoltApp } from '../slack/bolt-app.ts';
import { boltLogger } from '../slack/bolt-logger.ts';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import type { Route } from '../http/route.ts';
import { consoleRoutes } from './console-routes.ts';
import { appHomeOpenedPayload, blockActionsPayload, slashCommandPayload, viewClosedPayload, viewSubmissionPayload, type ConsoleAction } from './console-payloads.ts';
import { persistWorkspace } from './console-persistence.ts';
import { ConsoleReceiver, type DispatchResult } from './console-receiver.ts';
import { CONSOLE_API_URL, CONSOLE_BOT_TOKEN, createConsoleSlackApi } from '../../../slack-api-emulator/in-process-api.ts';
import { CONSOLE_USER, ConsoleWorkspace, type Json } from '../../../slack-api-emulator/in-process-workspace.ts';

export const CONSOLE_PATH = '/console';

/** What the page says about where its queues come from. */
export interface ConsoleQueueInfo {
  name: string;
  kind: 'sqs' | 'kafka';
  demo: boolean;
}

export interface ConsoleDemoControl {
  readonly running: boolean;
  start(): void;
  pause(): void;
}

export interface LocalConsoleOptions {
  logger: Logger;
  /** Channels to show from the start (alert channels, L3 channel). */
  channels: { id: string; name: string }[];
  /** User groups the bot mentions (the L3 group), so `<!subteam^ID>` reads as its handle. */
  userGroups?: { id: string; handle: string }[];
  queues: ConsoleQueueInfo[];
  demo: ConsoleDemoControl | null;
  /** Environment variable names that connect Slack instead (shown at the top of the page). */
  slackEnv: { botToken: string; signingSecret: string; appToken: string };
  /** How long a listener has to ack (Slack's 3 s); tests shorten it. */
  ackTimeoutMs?: number;
  /** A JSON file that keeps the conversation across restarts (beside the SQLite store); null keeps it in memory. */
  persistPath?: string | null;
}

export interface LocalConsole {
  /** Shaped like the Slack transports' BoltApp: `app` takes the listeners, `http` is null. */
  bolt: BoltApp;
  routes: Route[];
  workspace: ConsoleWorkspace;
  /** The server's URL once it listens (permalinks on the page). */
  setOrigin(origin: string): void;
}

const strOf = (value: unknown): string => (typeof value === 'string' ? value : '');

export const createLocalConsole = (options: LocalConsoleOptions): LocalConsole => {
  const logger = options.logger.child({ component: 'console' });
  const workspace = new ConsoleWorkspace();
  let origin = '';
  const api = createConsoleSlackApi({ workspace, logger, permalinkBase: () => origin });
  const receiver = new ConsoleReceiver(logger, options.ackTimeoutMs);
  const app = new App({
    token: CONSOLE_BOT_TOKEN,
    receiver,
    logger: boltLogger(logger.child({ component: 'bolt' })),
    clientOptions: { slackApiUrl: CONSOLE_API_URL, fetch: api.fetch as never, retryConfig: { retries: 0 } },
  });
  const persistence = options.persistPath ? persistWorkspace(workspace, options.persistPath, logger) : null;
  for (const channel of options.channels) workspace.addChannel(channel.id, channel.name);
  const actor = { id: CONSOLE_USER.id, name: CONSOLE_USER.name };
  const dm = workspace.resolveChannel(CONSOLE_USER.id)!;

  const answer = (result: DispatchResult): Json => ({ ok: result.acked, response: result.response as Json | null, error: result.error });

  const snapshot = (): Json => ({
    ...workspace.snapshot(CONSOLE_USER.id),
    console: {
      queues: options.queues,
      demo: options.demo ? { running: options.demo.running } : null,
      slackEnv: options.slackEnv,
      dmChannel: dm.id,
      userGroups: options.userGroups ?? [],
    },
  });

  const routes = consoleRoutes({
    snapshot,
    subscribe: (listener) =>
      workspace.subscribe((event) => {
        // One person at the console: other users' ephemerals and modals are not theirs to see.
        if (event.type === 'message' && event.message.ephemeralFor !== null && event.message.ephemeralFor !== CONSOLE_USER.id) return;
        if ((event.type === 'modals' && event.user !== CONSOLE_USER.id) || (event.type === 'home' && event.view.user !== CONSOLE_USER.id)) return;
        listener(event);
      }),
    file: (id) => {
      const record = workspace.fileRecord(id);
      return record?.bytes ? { mimetype: record.file.mimetype, name: record.file.name, bytes: record.bytes } : null;
    },
    command: async (input) => {
      const channel = workspace.resolveChannel(strOf(input.channel)) ?? dm;
      const text = strOf(input.text).trim();
      const [command = '/dlq', ...rest] = text.startsWith('/') ? text.split(/\s+/) : ['/dlq', ...text.split(/\s+/)];
      const body = slashCommandPayload({
        actor,
        command,
        text: rest.join(' '),
        channel,
        responseUrl: api.mintResponseUrl({ user: actor.id, channel: channel.id, messageTs: null, threadTs: null }),
        triggerId: api.mintTriggerId(actor.id),
      });
      return answer(await receiver.dispatch(body));
    },
    action: async (input) => {
      const action = input.action as ConsoleAction | undefined;
      if (!action || typeof action.action_id !== 'string') return { ok: false, error: 'An action needs action_id.' };
      const triggerId = api.mintTriggerId(actor.id);
      const viewId = strOf(input.viewId);
      if (viewId !== '') {
        const view = workspace.view(viewId);
        if (!view) return { ok: false, error: 'That view is gone.' };
        return answer(await receiver.dispatch(blockActionsPayload({ actor, action, triggerId, view: { view, values: (input.values as Json) ?? {} } })));
      }
      const channel = workspace.resolveChannel(strOf(input.channel));
      const message = channel ? workspace.message(channel.id, input.ts) : undefined;
      if (!channel || !message) return { ok: false, error: 'That message is gone.' };
      const responseUrl = api.mintResponseUrl({ user: actor.id, channel: channel.id, messageTs: message.ts, threadTs: message.threadTs });
      return answer(await receiver.dispatch(blockActionsPayload({ actor, action, triggerId, message: { message, channelName: channel.name, responseUrl } })));
    },
    submitView: async (input) => {
      const view = workspace.view(input.viewId);
      if (!view) return { ok: false, error: 'That view is gone.' };
      const result = await receiver.dispatch(viewSubmissionPayload({ actor, view, values: (input.values as Json) ?? {}, triggerId: api.mintTriggerId(actor.id) }));
      if (result.acked) {
        // Slack's response_action: errors keep the modal open, update/push change it, clear closes all.
        const response = (result.response ?? {}) as Json;
        const action = strOf(response.response_action);
        if (action === 'update' && response.view) workspace.updateView(view, response.view as Json);
        else if (action === 'push' && response.view) workspace.openModal(actor.id, response.view as Json, true);
        else if (action === 'clear') workspace.closeModal(actor.id, null, true);
        else if (action !== 'errors') workspace.closeModal(actor.id, view.id);
      }
      return answer(result);
    },
    closeView: async (input) => {
      const view = workspace.view(input.viewId);
      if (!view) return { ok: true };
      workspace.closeModal(actor.id, view.id);
      // Slack sends view_closed only when the view asked for notify_on_close.
      if (view.view.notify_on_close === true) return answer(await receiver.dispatch(viewClosedPayload({ actor, view })));
      return { ok: true };
    },
    openHome: async () => {
      const home = workspace.snapshot(actor.id).home;
      return answer(await receiver.dispatch(appHomeOpenedPayload({ actor, dmChannel: dm.id, view: home })));
    },
    demo: async (input) => {
      if (!options.demo) return { ok: false, error: 'No demo queues run: the config names real queues.' };
      if (input.running === true) options.demo.start();
      else if (input.running === false) options.demo.pause();
      return { ok: true, running: options.demo.running };
    },
  });

  return {
    bolt: {
      app,
      http: null,
      start: async () => {},
      stop: async () => {
        persistence?.flush();
        persistence?.stop();
      },
    },
    routes,
    workspace,
    setOrigin: (value) => {
      origin = value;
    },
  };
};
