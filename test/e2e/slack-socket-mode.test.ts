// The interactive surface over Socket Mode (no public URL): a button opens a modal, a refused modal
// submission answers its field errors in the websocket acknowledgement, and app_home_opened publishes
// App Home, with the same listeners as HTTP mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { encodeMessageRef, MESSAGE_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { buildAppHomeOpened, buildBlockActions, buildEventCallback, buildViewSubmission, buttonAction, plainTextValue, stateValues } from '../support/slack-payloads.ts';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN } from '../support/slack-workspace.ts';
import { startSocketModeServer, type SocketModeServer } from '../support/socket-mode-server.ts';

describe('interactive surface in Socket Mode', () => {
  const appToken = 'xapp-1-redrive-interactive';
  let slack: SlackApiServer;
  let socket: SocketModeServer;
  let app: Runtime;
  let dir: string;

  beforeAll(async () => {
    socket = await startSocketModeServer();
    slack = await startSlackApiServer({ socketMode: { appToken, url: socket.url } });
    dir = mkdtempSync(join(tmpdir(), 'redrive-socket-e2e-'));
    const parsed = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
      slack: { apiUrl: slack.url, mode: 'socket' },
      roles: { admins: ['U_ALICE'], viewers: 'everyone' },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const logger = silentLogger();
    app = await startServer(parsed.config, resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_APP_TOKEN: appToken }), logger, { slackRetries: 0 });
    await socket.connected();
  });
  afterAll(async () => {
    await app?.stop();
    await socket?.close();
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Resolve button opens the reason form', async () => {
    const ref = { queue: 'orders-dlq', id: 'm-1' };
    const ack = await socket.sendEnvelope('interactive', buildBlockActions({
      actions: [buttonAction({ action_id: MESSAGE_ACTIONS.resolve, value: encodeMessageRef(ref) ?? '' })],
      response_url: slack.mintResponseUrl(),
    }));
    expect(typeof ack.envelope_id).toBe('string');
    const [open] = await slack.waitForCalls('views.open', 1, 10_000);
    expect((open?.response as { ok: boolean }).ok).toBe(true);
    expect((open?.args.view as { callback_id: string }).callback_id).toBe(VIEW_CALLBACKS.resolve);
  });

  it('a refused submission answers its field errors in the acknowledgement', async () => {
    const [open] = slack.callsTo('views.open');
    const view = open?.args.view as { callback_id: string; private_metadata: string };
    const ack = await socket.sendEnvelope('interactive', buildViewSubmission({ callback_id: view.callback_id, private_metadata: view.private_metadata, values: stateValues(['reason', 'reason', plainTextValue('')]) }));
    expect(ack.payload).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
  });

  it('app_home_opened publishes App Home', async () => {
    await socket.sendEnvelope('events_api', buildEventCallback(buildAppHomeOpened({ user: 'U_BOB' })));
    const [publish] = await slack.waitForCalls('views.publish', 1, 10_000);
    expect(publish?.args.user_id).toBe('U_BOB');
    expect((publish?.response as { ok: boolean }).ok).toBe(true);
    expect(JSON.stringify(publish?.args.view)).toContain('No queues are configured.');
  });
});
