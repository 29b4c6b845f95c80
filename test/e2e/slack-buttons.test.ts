// The buttons under peeked messages and the modals they open, on the real app against a real SQS DLQ
// on ElasticMQ: signed clicks and view submissions in, Web API and response_url calls out to the
// local Slack API server (which refuses invalid Block Kit, so every call asserted ok was valid).
// A hostile body renders as text everywhere; a double click and a Slack retry replay once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { INCIDENT_ACTIONS } from '../../src/presentation/slack/block-kit/incident-actions.ts';
import { queueDepth, sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { buildBlockActions, buttonAction, newSlackTs, plainTextValue, stateValues } from '../support/slack-payloads.ts';
import { sendBlockActions } from '../support/signed-slack.ts';
import { TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { buttonsIn, CHANNEL, openedView, shown, startSlackE2e, viewOf, type SlackE2e } from '../support/slack-e2e-app.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';

const HOSTILE = 'boom <!channel> <!here> <@U123> <https://evil.example|click>';

describe.skipIf(!services)('message buttons and modals end to end (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  let peekTs = '';
  /** Message id → its button value, from the peek reply. */
  const refs = new Map<string, string>();
  const idsByBody = new Map<string, string>();

  const ok = (call: RecordedCall | undefined) => expect((call?.response as { ok?: boolean } | undefined)?.ok ?? call?.status === 200).toBe(true);
  const callsSince = (method: string, n: number) => e.slack.callsTo(method).slice(n);
  const threadReplies = () => e.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === peekTs);
  /** Clicks View under message `id` in the peek reply; the filled modal, and the views.update count before the click. */
  const viewModal = async (id: string) => {
    const opens = e.slack.callsTo('views.open').length;
    const updates = e.slack.callsTo('views.update').length;
    await e.click({ actionId: MESSAGE_ACTIONS.view, value: refs.get(id) ?? '', messageTs: peekTs });
    const [open] = (await e.slack.waitForCalls('views.open', opens + 1, 10_000)).slice(opens);
    const [filled] = (await e.slack.waitForCalls('views.update', updates + 1, 15_000)).slice(updates);
    return { modal: openedView({ ...filled, response: open?.response } as RecordedCall), updates };
  };
  const replayedIds = async () => (await e.app.store.searchAudit({ queue: e.queue, action: 'replay', limit: 50 })).filter((r) => r.result === 'success').map((r) => r.messageId);

  beforeAll(async () => {
    e = await startSlackE2e('buttons');
    await sendMessages(e.sqs, e.pair.dlq.url, [
      JSON.stringify({ orderId: 0, error: HOSTILE }),
      JSON.stringify({ orderId: 1, error: 'Lambda timeout' }),
      JSON.stringify({ orderId: 2, error: 'Lambda timeout' }),
      JSON.stringify({ orderId: 3, error: 'Lambda timeout' }),
      JSON.stringify({ orderId: 4, error: 'HTTP 404 Not Found' }),
      JSON.stringify({ orderId: 5, error: 'HTTP 404 Not Found' }),
    ]);
  });
  afterAll(async () => {
    await e?.close();
  });

  it('peek lists each message with View / Replay (with a confirm dialog) / Resolve, hostile text escaped', async () => {
    const reply = await e.dlq(`peek ${e.queue} --count 10`);
    expect(reply.status).toBe(200);
    expect(reply.args.response_type).toBe('in_channel');
    const buttons = buttonsIn(reply);
    const views = buttons.filter((b) => b.action_id === MESSAGE_ACTIONS.view);
    expect(views).toHaveLength(6);
    expect(buttons.filter((b) => b.action_id === MESSAGE_ACTIONS.replay).every((b) => JSON.stringify(b.confirm).includes('It is sent to the replay target, then deleted from the DLQ once the send is accepted.'))).toBe(true);
    expect(buttons.filter((b) => b.action_id === MESSAGE_ACTIONS.resolve)).toHaveLength(6);
    for (const b of views) {
      const { q, id } = JSON.parse(b.value) as { q: string; id: string };
      expect(q).toBe(e.queue);
      refs.set(id, b.value);
    }
    const text = shown(reply);
    expect(text).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    // The reply was posted in the channel: the buttons sit on that message.
    peekTs = e.slack.messagesIn(CHANNEL).at(-1)?.ts ?? newSlackTs();
    // Which id carries which order, from the message store the app indexed while peeking.
    for (const id of refs.keys()) {
      const entry = await e.app.store.findIndexedMessage(e.queue, id);
      expect(entry).not.toBeNull();
    }
    const depth = await queueDepth(e.sqs, e.pair.dlq.url);
    expect(depth.visible).toBe(6);
  });

  it('View opens a modal at once and fills it with the whole message, hostile text as text', async () => {
    const opens = e.slack.callsTo('views.open').length;
    const updates = e.slack.callsTo('views.update').length;
    // Find the hostile message: View each until its modal shows the hostile error.
    let hostileId = '';
    for (const [id, value] of refs) {
      const response = await e.click({ actionId: MESSAGE_ACTIONS.view, value, messageTs: peekTs });
      expect(response.status).toBe(200);
      const done = await e.slack.waitForCalls('views.update', updates + idsByBody.size + 1, 15_000);
      const update = done.at(-1);
      ok(update);
      const body = /"orderId": (\d)/.exec(shown(update))?.[1] ?? '?';
      idsByBody.set(body, id);
      if (body === '0') hostileId = id;
    }
    const opened = callsSince('views.open', opens);
    expect(opened).toHaveLength(refs.size);
    for (const call of opened) ok(call);
    expect(shown(opened[0])).toContain('Reading');
    const hostile = e.slack.callsTo('views.update').find((c) => shown(c).includes('"orderId": 0'));
    const text = shown(hostile);
    expect(text).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    expect(viewOf(hostile).callback_id).toBe(VIEW_CALLBACKS.message);
    expect(buttonsIn(hostile).map((b) => b.action_id)).toEqual([MESSAGE_ACTIONS.replay, MESSAGE_ACTIONS.editReplay, MESSAGE_ACTIONS.resolve]);
    expect(hostileId).not.toBe('');
    expect((await e.app.store.searchAudit({ queue: e.queue, action: 'view', limit: 20 })).length).toBeGreaterThanOrEqual(6);
  });

  it('Replay sends the message to its source, deletes it from the DLQ and answers in the thread', async () => {
    const id = idsByBody.get('1') ?? '';
    const response = await e.click({ actionId: MESSAGE_ACTIONS.replay, value: refs.get(id) ?? '', messageTs: peekTs });
    expect(response.status).toBe(200);
    const reply = await waitFor(() => threadReplies().find((c) => shown(c).includes(`Replayed ${id}`)), { timeoutMs: 15_000, description: 'replay answer in the thread' });
    ok(reply);
    expect(await e.sourceBodies()).toContainEqual(expect.stringContaining('"orderId":1'));
    expect(await replayedIds()).toEqual([id]);
  });

  it('a double click replays once; the second click is told who replayed it and when', async () => {
    const id = idsByBody.get('2') ?? '';
    const value = refs.get(id) ?? '';
    const urls = [e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs }), e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs })];
    const [a, b] = await Promise.all(urls.map((responseUrl) => e.click({ actionId: MESSAGE_ACTIONS.replay, value, messageTs: peekTs, responseUrl })));
    expect([a?.status, b?.status]).toEqual([200, 200]);
    const answer = await waitFor(() => e.slack.callsTo('response_url').find((c) => urls.some((u) => c.url === u) && shown(c).includes('Already replayed')), { timeoutMs: 15_000, description: 'second click answered' });
    expect(answer.args.response_type).toBe('ephemeral');
    expect(shown(answer)).toContain('Already replayed by <@U_ALICE>');
    await waitFor(() => threadReplies().some((c) => shown(c).includes(`Replayed ${id}`)), { timeoutMs: 15_000, description: 'first click replayed' });
    expect((await replayedIds()).filter((x) => x === id)).toHaveLength(1);
    expect((await e.sourceBodies()).filter((body) => body.includes('"orderId":2'))).toHaveLength(1);
  });

  it('a Slack retry of the same click (X-Slack-Retry-Num) replays once', async () => {
    const id = idsByBody.get('3') ?? '';
    const responseUrl = e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs });
    // One payload, delivered twice: the second time as Slack's retry.
    const payload = buildBlockActions({
      user_id: 'U_BOB',
      channel_id: CHANNEL,
      message: { ts: peekTs },
      actions: [buttonAction({ action_id: MESSAGE_ACTIONS.replay, value: refs.get(id) ?? '' })],
      response_url: responseUrl,
    });
    expect((await sendBlockActions(e.app.url, TEST_SIGNING_SECRET, payload)).status).toBe(200);
    await waitFor(() => threadReplies().some((c) => shown(c).includes(`Replayed ${id}`)), { timeoutMs: 15_000, description: 'first delivery replayed' });
    const retried = await sendBlockActions(e.app.url, TEST_SIGNING_SECRET, payload, { headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' } });
    expect(retried.status).toBe(200);
    const answer = await waitFor(() => e.slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 15_000, description: 'retry answered' });
    expect(shown(answer)).toContain('Already replayed by <@U_BOB>');
    expect((await replayedIds()).filter((x) => x === id)).toHaveLength(1);
    expect(threadReplies().filter((c) => shown(c).includes(`Replayed ${id}`))).toHaveLength(1);
  });

  it('Resolve opens a modal asking why; no reason is refused on the field, a reason resolves and archives', async () => {
    const id = idsByBody.get('4') ?? '';
    const opens = e.slack.callsTo('views.open').length;
    await e.click({ actionId: MESSAGE_ACTIONS.resolve, value: refs.get(id) ?? '', messageTs: peekTs });
    const [open] = (await e.slack.waitForCalls('views.open', opens + 1, 10_000)).slice(opens);
    ok(open);
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.resolve);
    expect(shown(open)).toContain("Its body and attributes are archived in Redrive's store, then it is deleted from the DLQ.");
    const refused = await e.submit(view, stateValues(['reason', 'reason', plainTextValue('')]));
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    expect(await e.app.store.getResolution(e.queue, id)).toBeNull();
    const accepted = await e.submit(view, stateValues(['reason', 'reason', plainTextValue('presigned URL expired')]));
    expect(accepted.status).toBe(200);
    expect(accepted.text).toBe('');
    const resolution = await waitFor(() => e.app.store.getResolution(e.queue, id), { timeoutMs: 15_000, description: 'resolution stored' });
    expect(resolution).toMatchObject({ reason: 'presigned URL expired', resolvedBy: 'U_ALICE' });
    const reply = await waitFor(() => threadReplies().find((c) => shown(c).includes(`Resolved ${id}`)), { timeoutMs: 15_000, description: 'resolve answer' });
    ok(reply);
  });

  it('someone who may not resolve gets no form, only an explanation', async () => {
    const id = idsByBody.get('0') ?? '';
    const opens = e.slack.callsTo('views.open').length;
    const responseUrl = e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs });
    await e.click({ actionId: MESSAGE_ACTIONS.resolve, value: refs.get(id) ?? '', messageTs: peekTs, user: 'U_CAROL', responseUrl });
    const answer = await waitFor(() => e.slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 10_000, description: 'denial' });
    expect(answer.args.response_type).toBe('ephemeral');
    expect(shown(answer).toLowerCase()).toContain('operator');
    expect(e.slack.callsTo('views.open')).toHaveLength(opens);
    expect(await e.app.store.getResolution(e.queue, id)).toBeNull();
  });

  it('Edit and replay (from the View modal): invalid JSON is refused on the field and nothing is sent; valid JSON is replayed edited', async () => {
    const id = idsByBody.get('5') ?? '';
    const { modal, updates } = await viewModal(id);
    const pushes = e.slack.callsTo('views.push').length;
    await e.click({ actionId: MESSAGE_ACTIONS.editReplay, value: refs.get(id) ?? '', view: modal });
    const [pushed] = (await e.slack.waitForCalls('views.push', pushes + 1, 10_000)).slice(pushes);
    ok(pushed);
    const form = await waitFor(() => callsSince('views.update', updates + 1).find((c) => viewOf(c).callback_id === VIEW_CALLBACKS.editReplay), { timeoutMs: 15_000, description: 'edit form' });
    ok(form);
    expect(shown(form)).toContain('Body (JSON)');
    const formView = viewOf(form) as { callback_id: string; private_metadata: string };
    const before = await e.sourceBodies();
    const refused = await e.submit(formView, stateValues(['body', 'body', plainTextValue('{"orderId": 5, ')]));
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { body: expect.stringContaining('Not valid JSON') } });
    expect((await e.sourceBodies()).sort()).toEqual(before.sort());
    const edited = JSON.stringify({ orderId: 5, error: 'HTTP 404 Not Found', url: 'https://files.example.com/fresh.pdf' });
    const accepted = await e.submit(formView, stateValues(['body', 'body', plainTextValue(edited)]));
    expect(accepted.status).toBe(200);
    await waitFor(async () => (await e.sourceBodies()).includes(edited), { timeoutMs: 15_000, description: 'edited body in the source queue' });
    const audit = (await e.app.store.searchAudit({ queue: e.queue, ref: id, action: 'replay', limit: 5 }))[0];
    expect(audit).toMatchObject({ result: 'success', actor: 'U_ALICE', details: expect.objectContaining({ edited: true }) });
  });

  it('in a thread (the incident Peek button) the hostile body is text too, with the same buttons', async () => {
    const parentTs = newSlackTs();
    const posts = e.slack.callsTo('chat.postMessage').length;
    await e.click({ actionId: INCIDENT_ACTIONS.peek, value: e.queue, messageTs: parentTs });
    const [reply] = (await e.slack.waitForCalls('chat.postMessage', posts + 1, 15_000)).slice(posts);
    expect(reply?.args).toMatchObject({ channel: CHANNEL, thread_ts: parentTs });
    expect((reply?.response as { ok: boolean }).ok).toBe(true);
    const text = shown(reply);
    expect(text).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    expect(buttonsIn(reply).map((b) => b.action_id)).toContain(MESSAGE_ACTIONS.view);
  });

  it('a failure comes back only to the clicker', async () => {
    const gone = JSON.stringify({ q: e.queue, id: 'no-such-message' });
    const responseUrl = e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs });
    const posts = e.slack.callsTo('chat.postMessage').length;
    await e.click({ actionId: MESSAGE_ACTIONS.replay, value: gone, messageTs: peekTs, responseUrl });
    const answer = await waitFor(() => e.slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs: 20_000, description: 'failure answer' });
    expect(answer.args.response_type).toBe('ephemeral');
    expect(shown(answer)).toContain(':x:');
    expect(e.slack.callsTo('chat.postMessage')).toHaveLength(posts);
    // A failed attempt does not hold the button: the next click tries again.
    const again = e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: peekTs });
    await e.click({ actionId: MESSAGE_ACTIONS.replay, value: gone, messageTs: peekTs, responseUrl: again });
    const second = await waitFor(() => e.slack.callsTo('response_url').find((c) => c.url === again), { timeoutMs: 20_000, description: 'second attempt answered' });
    expect(shown(second)).not.toContain('Already');
    expect((await e.app.store.searchAudit({ queue: e.queue, ref: 'no-such-message', action: 'replay', limit: 5 })).filter((r) => r.result === 'failure')).toHaveLength(2);
  });

  it('Replay inside the View modal answers in the modal and in the thread of the message it came from', async () => {
    const id = idsByBody.get('0') ?? '';
    const { modal, updates } = await viewModal(id);
    await e.click({ actionId: MESSAGE_ACTIONS.replay, value: refs.get(id) ?? '', view: modal });
    const [result] = (await e.slack.waitForCalls('views.update', updates + 2, 15_000)).slice(updates + 1);
    expect((result?.response as { ok: boolean }).ok).toBe(true);
    expect(result?.args.view_id).toBe(modal.id);
    expect(shown(result)).toContain(`Replayed ${id}`);
    await waitFor(() => threadReplies().some((c) => shown(c).includes(`Replayed ${id}`)), { timeoutMs: 10_000, description: 'thread reply' });
    expect(await replayedIds()).toContain(id);
  });
});
