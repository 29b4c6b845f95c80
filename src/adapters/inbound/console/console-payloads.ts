// Builds the payloads Slack would send for what a person does in the local console: a slash command,
// a block action on a message or a view, a view submission or close, and app_home_opened. Shapes
// follow docs.slack.dev's interaction payloads, so Bolt's listeners cannot tell them from Slack's.

import { CONSOLE_BOT, CONSOLE_TEAM, type ConsoleMessage, type ConsoleView, type Json } from '../../../slack-api-emulator/in-process-workspace.ts';

export interface ConsoleActor {
  id: string;
  name: string;
}

const team = { id: CONSOLE_TEAM.id, domain: 'redrive-console' };
const userOf = (actor: ConsoleActor) => ({ id: actor.id, username: actor.name, name: actor.name, team_id: CONSOLE_TEAM.id });
const actionTs = (): string => (Date.now() / 1000).toFixed(6);

export const slashCommandPayload = (input: { actor: ConsoleActor; command: string; text: string; channel: { id: string; name: string }; responseUrl: string; triggerId: string }): Json => ({
  token: 'console',
  team_id: CONSOLE_TEAM.id,
  team_domain: team.domain,
  channel_id: input.channel.id,
  channel_name: input.channel.name,
  user_id: input.actor.id,
  user_name: input.actor.name,
  command: input.command,
  text: input.text,
  api_app_id: CONSOLE_BOT.appId,
  is_enterprise_install: 'false',
  response_url: input.responseUrl,
  trigger_id: input.triggerId,
});

/** The element a person clicked or changed, as the page sends it (button, select, overflow...). */
export interface ConsoleAction {
  type: string;
  action_id: string;
  block_id: string;
  value?: string;
  text?: Json;
  selected_option?: Json;
  selected_options?: Json[];
  selected_user?: string;
  selected_channel?: string;
  selected_conversation?: string;
  selected_date?: string;
}

const messageJson = (m: ConsoleMessage): Json => ({
  type: 'message',
  user: m.user,
  ...(m.user === CONSOLE_BOT.userId ? { bot_id: CONSOLE_BOT.botId, app_id: CONSOLE_BOT.appId } : {}),
  team: CONSOLE_TEAM.id,
  ts: m.ts,
  text: m.text,
  blocks: m.blocks ?? [],
  ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
});

export const viewPayloadJson = (v: ConsoleView, values: Json): Json => ({
  ...v.view,
  id: v.id,
  team_id: CONSOLE_TEAM.id,
  type: v.type,
  private_metadata: typeof v.view.private_metadata === 'string' ? v.view.private_metadata : '',
  callback_id: typeof v.view.callback_id === 'string' ? v.view.callback_id : '',
  external_id: typeof v.view.external_id === 'string' ? v.view.external_id : '',
  state: { values },
  hash: v.hash,
  root_view_id: v.rootViewId,
  previous_view_id: v.previousViewId,
  app_id: CONSOLE_BOT.appId,
  app_installed_team_id: CONSOLE_TEAM.id,
  bot_id: CONSOLE_BOT.botId,
});

export const blockActionsPayload = (input: {
  actor: ConsoleActor;
  action: ConsoleAction;
  triggerId: string;
  message?: { message: ConsoleMessage; channelName: string; responseUrl: string };
  view?: { view: ConsoleView; values: Json };
}): Json => {
  const base = {
    type: 'block_actions',
    user: userOf(input.actor),
    api_app_id: CONSOLE_BOT.appId,
    token: 'console',
    trigger_id: input.triggerId,
    team,
    enterprise: null,
    is_enterprise_install: false,
    actions: [{ ...input.action, action_ts: actionTs() }],
  };
  if (input.view) {
    return { ...base, container: { type: 'view', view_id: input.view.view.id }, view: viewPayloadJson(input.view.view, input.view.values) };
  }
  const m = input.message!;
  return {
    ...base,
    container: { type: 'message', message_ts: m.message.ts, channel_id: m.message.channel, is_ephemeral: m.message.ephemeralFor !== null, ...(m.message.threadTs ? { thread_ts: m.message.threadTs } : {}) },
    channel: { id: m.message.channel, name: m.channelName },
    message: messageJson(m.message),
    state: { values: {} },
    response_url: m.responseUrl,
  };
};

export const viewSubmissionPayload = (input: { actor: ConsoleActor; view: ConsoleView; values: Json; triggerId: string }): Json => ({
  type: 'view_submission',
  team,
  user: userOf(input.actor),
  api_app_id: CONSOLE_BOT.appId,
  token: 'console',
  trigger_id: input.triggerId,
  view: viewPayloadJson(input.view, input.values),
  response_urls: [],
  is_enterprise_install: false,
  enterprise: null,
});

export const viewClosedPayload = (input: { actor: ConsoleActor; view: ConsoleView }): Json => ({
  type: 'view_closed',
  team,
  user: userOf(input.actor),
  api_app_id: CONSOLE_BOT.appId,
  token: 'console',
  view: viewPayloadJson(input.view, {}),
  is_cleared: false,
  is_enterprise_install: false,
  enterprise: null,
});

export const appHomeOpenedPayload = (input: { actor: ConsoleActor; dmChannel: string; view: ConsoleView | null }): Json => {
  const ts = actionTs();
  return {
    token: 'console',
    team_id: CONSOLE_TEAM.id,
    api_app_id: CONSOLE_BOT.appId,
    type: 'event_callback',
    event_id: `Ev${ts.replace('.', '')}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user: input.actor.id, channel: input.dmChannel, tab: 'home', event_ts: ts, ...(input.view ? { view: viewPayloadJson(input.view, {}) } : {}) },
    authorizations: [{ enterprise_id: null, team_id: CONSOLE_TEAM.id, user_id: CONSOLE_BOT.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
};
