// Who the emulated workspace is: the team, the bot's identities and token, and how its links look.
// The one thing that legitimately differs between the tests' emulator (over HTTP) and the local
// console's (in process); data and pure functions only, it holds no state and answers no request.

export interface EmulatorProfile {
  team: { id: string; name: string; domain: string };
  bot: { userId: string; botId: string; appId: string; name: string; token: string };
  /** What auth.test answers as `url`. */
  workspaceUrl: string;
  /** chat.getPermalink's link to a message (`threadTs` when it is a thread reply); `base` is the caller's own origin, if any. */
  permalink(link: { channel: string; ts: string; threadTs: string | null; base: string }): string;
  /** Whether an ephemeral response_url post is kept as a message for the user (the console shows it; the tests' workspace records only in_channel ones). */
  postEphemeralResponses: boolean;
  /** Whether a response_url post is checked as a whole message (`no_text`, `msg_too_long`) or only its blocks. */
  responseUrlNeedsText: boolean;
  /** Whether views.open/push take only trigger_ids the workspace handed out (the console mints them; the tests make them up). */
  mintedTriggersOnly: boolean;
}

export const TEST_PROFILE: EmulatorProfile = {
  team: { id: 'T_REDRIVE', name: 'Redrive Test', domain: 'redrive-test' },
  bot: { userId: 'U_REDRIVE', botId: 'B_REDRIVE', appId: 'A_REDRIVE', name: 'Redrive', token: 'xoxb-redrive-test-token' },
  workspaceUrl: 'https://redrive-test.slack.com/',
  permalink: ({ channel, ts, threadTs }) => {
    const base = `https://redrive-test.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
    return threadTs !== null ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
  },
  postEphemeralResponses: false,
  responseUrlNeedsText: true,
  mintedTriggersOnly: false,
};

/** Base of the console's Web API; `.invalid` never resolves, so a mistake cannot reach a network. */
export const CONSOLE_API_ORIGIN = 'http://redrive-console.invalid';

export const CONSOLE_PROFILE: EmulatorProfile = {
  team: { id: 'T0CONSOLE', name: 'Redrive local console', domain: 'redrive-console' },
  bot: { userId: 'U0REDRIVE', botId: 'B0REDRIVE', appId: 'A0REDRIVE', name: 'Redrive', token: 'xoxb-redrive-local-console' },
  workspaceUrl: `${CONSOLE_API_ORIGIN}/`,
  // The console's page opens a thread from its hash: every link names the thread's root.
  permalink: ({ channel, ts, threadTs, base }) => `${base}/console#thread=${channel}:${threadTs ?? ts}`,
  postEphemeralResponses: true,
  responseUrlNeedsText: false,
  mintedTriggersOnly: true,
};

/** auth.test's answer for a workspace: the bot as the caller. */
export const authTestAnswer = (profile: EmulatorProfile): Record<string, unknown> & { ok: true } => ({
  ok: true,
  url: profile.workspaceUrl,
  team: profile.team.name,
  user: 'redrive',
  team_id: profile.team.id,
  user_id: profile.bot.userId,
  bot_id: profile.bot.botId,
  is_enterprise_install: false,
});
