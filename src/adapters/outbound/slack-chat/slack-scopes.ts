// The bot scope each Slack Web API method Redrive calls needs (null: none beyond the bot token).
// The manifest test (test/integration/manifest.test.ts) finds every method the code calls, fails on one
// missing here, and checks manifest.yml asks for exactly the scopes these methods use. Add a line
// when you call a new method. https://api.slack.com/methods
export const SLACK_METHOD_SCOPES: Readonly<Record<string, string | null>> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.getPermalink': null,
  'files.uploadV2': 'files:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'usergroups.users.list': 'usergroups:read',
  'usergroups.list': 'usergroups:read',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'conversations.info': 'channels:read',
  'views.open': null,
  'views.push': null,
  'views.update': null,
  'views.publish': null,
  'auth.test': null,
};

/** Scopes that come with a feature rather than a method: slash commands need `commands`. */
export const SLASH_COMMAND_SCOPE = 'commands';
