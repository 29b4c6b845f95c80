// Builders for the payloads Slack sends to an app: slash commands, block_actions, view_submission,
// view_closed and Events API envelopes (app_home_opened, app_mention), shaped like the samples on
// docs.slack.dev/reference/interaction-payloads. Defaults match the local Slack API server's
// workspace (team, users, channels). Test support only.
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_USERS,
  TEST_APP_ID,
  TEST_BOT_ID,
  TEST_BOT_USER_ID,
  TEST_TEAM_DOMAIN,
  TEST_TEAM_ID,
  TEST_VERIFICATION_TOKEN,
  dmChannelIdFor,
} from './slack-workspace.ts';

export const DEFAULT_USER_ID = 'U_ALICE';
export const DEFAULT_CHANNEL_ID = 'C_ALERTS';

let sequence = 0;
const next = (): number => (sequence += 1);
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A fresh trigger_id in Slack's `<digits>.<digits>.<hex>` shape (each works once on our server). */
export const newTriggerId = (): string => `${13_000_000_000 + next()}.738474920.${randomUUID().replaceAll('-', '').slice(0, 21)}`;
/** A fresh `seconds.micro` timestamp, e.g. for action_ts or message ts. */
export const newSlackTs = (): string => `${nowSeconds()}.${String(next()).padStart(6, '0')}`;

const userName = (id: string): string => DEFAULT_USERS.find((u) => u.id === id)?.name ?? id.toLowerCase();
const team = { id: TEST_TEAM_ID, domain: TEST_TEAM_DOMAIN };

export interface SlashCommandFields {
  command: string;
  text: string;
  user_id: string;
  user_name: string;
  channel_id: string;
  channel_name: string;
  team_id: string;
  team_domain: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
  token: string;
  [field: string]: string;
}

/** Form fields of a slash command; pass a minted `response_url` from the Slack API server. */
export function buildSlashCommand(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  const user = fields.user_id ?? DEFAULT_USER_ID;
  return {
    token: TEST_VERIFICATION_TOKEN,
    team_id: TEST_TEAM_ID,
    team_domain: TEST_TEAM_DOMAIN,
    channel_id: DEFAULT_CHANNEL_ID,
    channel_name: 'alerts',
    user_id: user,
    user_name: userName(user),
    command: '/dlq',
    text: '',
    api_app_id: TEST_APP_ID,
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T_REDRIVE/1/unset',
    trigger_id: newTriggerId(),
    ...fields,
  } as SlashCommandFields;
}

export type BlockAction = Record<string, unknown> & { action_id: string; block_id: string; type: string; action_ts: string };

export function buttonAction(a: { action_id: string; value?: string; block_id?: string; text?: string }): BlockAction {
  return {
    type: 'button',
    action_id: a.action_id,
    block_id: a.block_id ?? `b${next()}`,
    text: { type: 'plain_text', text: a.text ?? a.action_id, emoji: true },
    ...(a.value !== undefined ? { value: a.value } : {}),
    action_ts: newSlackTs(),
  };
}

/** `view.state.values`: block_id → action_id → element state. */
export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

export const plainTextValue = (value: string | null): Record<string, unknown> => ({ type: 'plain_text_input', value });

/** Builds state values from `[block_id, action_id, elementState]` triples. */
export function stateValues(...entries: Array<[string, string, Record<string, unknown>]>): StateValues {
  const values: StateValues = {};
  for (const [blockId, actionId, state] of entries) values[blockId] = { ...values[blockId], [actionId]: state };
  return values;
}

export interface ViewInput {
  id?: string;
  type?: 'modal' | 'home';
  callback_id?: string;
  private_metadata?: string;
  external_id?: string;
  blocks?: unknown[];
  values?: StateValues;
  title?: string;
  hash?: string;
}

/** A view as Slack includes it in interaction payloads (with `state.values`). */
export function buildView(v: ViewInput = {}): Record<string, unknown> {
  const id = v.id ?? `V${String(next()).padStart(8, '0')}`;
  const type = v.type ?? 'modal';
  return {
    id,
    team_id: TEST_TEAM_ID,
    type,
    blocks: v.blocks ?? [],
    private_metadata: v.private_metadata ?? '',
    callback_id: v.callback_id ?? '',
    state: { values: v.values ?? {} },
    hash: v.hash ?? newSlackTs(),
    ...(type === 'modal' ? { title: { type: 'plain_text', text: v.title ?? 'Redrive', emoji: true } } : {}),
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: type === 'modal' ? { type: 'plain_text', text: 'Submit', emoji: true } : null,
    previous_view_id: null,
    root_view_id: id,
    app_id: TEST_APP_ID,
    external_id: v.external_id ?? '',
    app_installed_team_id: TEST_TEAM_ID,
    bot_id: TEST_BOT_ID,
  };
}

export interface BlockActionsInput {
  actions: BlockAction[];
  user_id?: string;
  channel_id?: string;
  /** The bot message the buttons were on (container type `message`). */
  message?: { ts: string; text?: string; blocks?: unknown[]; thread_ts?: string };
  is_ephemeral?: boolean;
  /** A modal or App Home view the action came from (container type `view`). */
  view?: Record<string, unknown>;
  response_url?: string;
  trigger_id?: string;
  state_values?: StateValues;
}

export function buildBlockActions(input: BlockActionsInput): Record<string, unknown> {
  const userId = input.user_id ?? DEFAULT_USER_ID;
  const channelId = input.channel_id ?? DEFAULT_CHANNEL_ID;
  const base = {
    type: 'block_actions',
    user: { id: userId, username: userName(userId), name: userName(userId), team_id: TEST_TEAM_ID },
    api_app_id: TEST_APP_ID,
    token: TEST_VERIFICATION_TOKEN,
    trigger_id: input.trigger_id ?? newTriggerId(),
    team,
    enterprise: null,
    is_enterprise_install: false,
    actions: input.actions,
  };
  if (input.view !== undefined) {
    return { ...base, container: { type: 'view', view_id: input.view.id }, view: input.view };
  }
  const ts = input.message?.ts ?? newSlackTs();
  return {
    ...base,
    container: { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: input.is_ephemeral ?? false },
    channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase() },
    message: {
      type: 'message',
      user: TEST_BOT_USER_ID,
      bot_id: TEST_BOT_ID,
      app_id: TEST_APP_ID,
      team: TEST_TEAM_ID,
      ts,
      text: input.message?.text ?? '',
      blocks: input.message?.blocks ?? [],
      ...(input.message?.thread_ts !== undefined ? { thread_ts: input.message.thread_ts } : {}),
    },
    state: { values: input.state_values ?? {} },
    response_url: input.response_url ?? 'https://hooks.slack.com/actions/T_REDRIVE/1/unset',
  };
}

export interface ViewSubmissionInput extends ViewInput {
  user_id?: string;
  /** Only present when the modal asked for `response_url_enabled` inputs. */
  response_urls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
}

export function buildViewSubmission(input: ViewSubmissionInput = {}): Record<string, unknown> {
  const userId = input.user_id ?? DEFAULT_USER_ID;
  return {
    type: 'view_submission',
    team,
    user: { id: userId, username: userName(userId), name: userName(userId), team_id: TEST_TEAM_ID },
    api_app_id: TEST_APP_ID,
    token: TEST_VERIFICATION_TOKEN,
    trigger_id: newTriggerId(),
    view: buildView(input),
    response_urls: input.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An Events API envelope around one event, authorized for the bot user. */
export function buildEventCallback(event: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: TEST_VERIFICATION_TOKEN,
    team_id: TEST_TEAM_ID,
    context_team_id: TEST_TEAM_ID,
    context_enterprise_id: null,
    api_app_id: TEST_APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev${String(next()).padStart(10, '0')}`,
    event_time: nowSeconds(),
    authorizations: [{ enterprise_id: null, team_id: TEST_TEAM_ID, user_id: TEST_BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    ...overrides,
  };
}

export function buildAppHomeOpened(input: { user?: string; tab?: 'home' | 'messages'; view?: Record<string, unknown> } = {}): Record<string, unknown> {
  const user = input.user ?? DEFAULT_USER_ID;
  return {
    type: 'app_home_opened',
    user,
    channel: dmChannelIdFor(user),
    tab: input.tab ?? 'home',
    event_ts: newSlackTs(),
    ...(input.view !== undefined ? { view: input.view } : {}),
  };
}
