// App Home on the real app against a real SQS DLQ on ElasticMQ: app_home_opened (a signed Events API
// request) publishes the tab for that user with every configured queue's depth and level, a permalink
// to the open incident, and the last actions from the audit log; it is read again on every open and on
// the Refresh button. Without the viewer role the tab says so and shows no queue. A second DLQ only
// Erin views (and the admins): Carol's tab leaves it out and says so; Erin, a viewer of that queue
// alone, gets a tab with just it and none of the actions about the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_ACTIONS, MESSAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { createQueuePair, deleteQueues, sendMessages, services, testSqsClient, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { sendEvent } from '../support/signed-slack.ts';
import { buildAppHomeOpened } from '../support/slack-payloads.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { buttonsIn, CHANNEL, shown, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';

describe.skipIf(!services)('App Home end to end (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  const sqs = testSqsClient();
  let other: { source: CreatedQueue; dlq: CreatedQueue } | undefined;
  let hidden = '';
  const note = '1 queue hidden: you have no viewer role on it.';
  const publishes = () => e.slack.callsTo('views.publish');
  const openHome = async (user: string): Promise<RecordedCall> => {
    const before = publishes().length;
    const response = await sendEvent(e.app.url, TEST_SIGNING_SECRET, buildAppHomeOpened({ user }));
    expect(response.status).toBe(200);
    const [call] = (await e.slack.waitForCalls('views.publish', before + 1, 15_000)).slice(before);
    if (!call) throw new Error('no publish');
    return call;
  };

  beforeAll(async () => {
    other = await createQueuePair(sqs, 'home-hidden');
    hidden = other.dlq.name;
    e = await startSlackE2e('home', {
      config: { roles: { admins: ['U_ALICE', 'U_BOB'], viewers: ['U_CAROL'] } },
      extraQueues: [{ name: hidden, kind: 'sqs', queueUrl: other.dlq.url, alertChannel: CHANNEL, roles: { viewers: ['U_ERIN'] } }],
    });
    e.slack.addUser('U_DAVE', { name: 'dave' });
    await sendMessages(e.sqs, e.pair.dlq.url, Array.from({ length: 60 }, (_, i) => JSON.stringify({ orderId: i, error: 'Lambda timeout' })));
    await e.app.poller.pollOnce();
    await e.app.incidents.flush();
    await waitFor(() => e.app.store.findOpenIncident(e.queue).then((i) => i?.slackTs ?? null), { description: 'incident parent posted' });
  });
  afterAll(async () => {
    await e?.close();
    if (other) await deleteQueues(sqs, other.source.url, other.dlq.url);
    sqs.destroy();
  });

  it('shows each queue with its depth, level and a link to the open incident, for the user who opened it', async () => {
    const call = await openHome('U_CAROL');
    expect((call.response as { ok: boolean }).ok).toBe(true);
    expect(call.args.user_id).toBe('U_CAROL');
    const text = shown(call);
    expect(text).toContain(`*${e.queue}* (sqs) · *60* in the DLQ · L1 warning`);
    const incident = await e.app.store.findOpenIncident(e.queue);
    expect(text).toMatch(new RegExp(`<http[^|>]+p${(incident?.slackTs ?? '').replace('.', '')}[^|>]*\\|open incident>`));
    expect(e.slack.callsTo('chat.getPermalink').at(-1)?.args).toMatchObject({ channel: CHANNEL, message_ts: incident?.slackTs });
    expect(text).toContain('No actions yet.');
    expect(text).not.toContain(hidden);
    expect(text).toContain(note);
  });

  it('is read again on every open: a replay shows in the last actions and the depth drops', async () => {
    const peek = await e.dlq(`peek ${e.queue} --count 1`);
    const replay = buttonsIn(peek).find((b) => b.action_id === MESSAGE_ACTIONS.replay);
    const { id } = JSON.parse(replay?.value ?? '{}') as { id: string };
    await e.click({ actionId: MESSAGE_ACTIONS.replay, value: replay?.value ?? '', user: 'U_BOB' });
    await waitFor(async () => (await e.app.store.searchAudit({ queue: e.queue, action: 'replay', limit: 1 }))[0]?.result === 'success', { timeoutMs: 15_000, description: 'replayed' });
    const text = shown(await openHome('U_CAROL'));
    expect(text).toContain('*59* in the DLQ');
    expect(text).toContain(`<@U_BOB> \`replay ${e.queue} ${id}\``);
    expect(text).not.toContain('`peek');
  });

  it('a viewer of one queue alone (its own grants) gets a tab with just it and the note; the admin sees both', async () => {
    const text = shown(await openHome('U_ERIN'));
    expect(text).not.toContain('Not allowed');
    expect(text).toContain(`*${hidden}* (sqs) · *0* in the DLQ`);
    expect(text).not.toContain(e.queue);
    expect(text).toContain(note);
    expect(text).not.toContain('<@U_BOB>'); // the replay was about the other queue
    const admin = shown(await openHome('U_ALICE'));
    expect(admin).toContain(`*${hidden}*`);
    expect(admin).toContain(`*${e.queue}*`);
    expect(admin).not.toContain('hidden:');
  });

  it('someone without the viewer role gets a tab that says so, and no queue', async () => {
    const call = await openHome('U_DAVE');
    expect((call.response as { ok: boolean }).ok).toBe(true);
    const text = shown(call);
    expect(text).not.toContain(e.queue);
    expect(text).not.toContain(hidden);
    expect(text.toLowerCase()).toContain('viewer');
  });

  it('the Refresh button publishes the tab again for the clicker', async () => {
    const before = publishes().length;
    const home = await openHome('U_ALICE');
    expect(buttonsIn(home).map((b) => b.action_id)).toEqual([JOB_ACTIONS.refreshHome]);
    await e.click({ actionId: JOB_ACTIONS.refreshHome, value: 'refresh', user: 'U_ALICE', view: { id: (home.response as { view: { id: string } }).view.id, type: 'home' } });
    const calls = await e.slack.waitForCalls('views.publish', before + 2, 15_000);
    expect(calls.at(-1)?.args.user_id).toBe('U_ALICE');
    expect((calls.at(-1)?.response as { ok: boolean }).ok).toBe(true);
  });
});
