// The test Slack workspace as tests see it: the emulator's identities, channels and users
// (src/slack-api-emulator/workspace.ts) plus the app's request-signing values. Test values only.
export {
  DEFAULT_USERS,
  TEST_APP_ID,
  TEST_BOT_ID,
  TEST_BOT_TOKEN,
  TEST_BOT_USER_ID,
  TEST_TEAM_DOMAIN,
  TEST_TEAM_ID,
  dmChannelIdFor,
} from '../../src/slack-api-emulator/workspace.ts';

export const TEST_SIGNING_SECRET = 'redrive-test-signing-secret';
/** The deprecated verification token Slack still puts in payloads; apps must not rely on it. */
export const TEST_VERIFICATION_TOKEN = 'redrive-legacy-verification-token';
