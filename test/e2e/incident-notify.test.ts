// Who an incident reaches, on the real app with a real SQS DLQ (ElasticMQ), signed Slack requests and
// the local Slack API server: a level rise is a thread reply also sent to the channel
// (`reply_broadcast` on the real chat.postMessage), the opening reply stays in the thread, and
// Acknowledge stops re-notifications (and escalation for lack of acknowledgement) but not the
// announcement of a level rise the measurements call for, nor the L3 page. The clock moves by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_ACTIONS } from '../../src/presentation/slack/block-kit/incident-actions.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';
import { CHANNEL, latestIncident, shown, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const MINUTE = 60_000;
const bodies = (n: number, from = 0) => Array.from({ length: n }, (_, i) => JSON.stringify({ orderId: from + i, error: 'Lambda timeout after 30000 ms' }));

describe.skipIf(!services)('incident notifications (SQS DLQ on ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  let e: SlackE2e;
  let parentTs = '';

  beforeAll(async () => {
    e = await startSlackE2e('notify', {
      queue: { escalation: { preset: 'sqs-runbook', l1Depth: 5, l2Depth: 20, l3AfterL2Minutes: 30, renotifyMinutes: { L1: 30, L2: 15, L3: 60 } } },
      server: { clock },
    });
    // The poller's first poll (at start, on the empty queue) may still run on a loaded machine: the first
    // test's pollOnce would join it and see no messages. Let it end first.
    await e.app.poller.pollOnce();
  });
  afterAll(async () => {
    await e?.close();
  });

  const incident = () => latestIncident(e);
  /** Polls after moving the clock; returns the thread replies that poll caused. */
  const poll = async (advanceMs: number): Promise<RecordedCall[]> => {
    const before = e.slack.callsTo('chat.postMessage').length;
    clock.advance(advanceMs);
    expect(await e.app.poller.pollOnce()).toBe(true);
    await e.app.incidents.flush();
    return e.slack.callsTo('chat.postMessage').slice(before).filter((c) => c.args.thread_ts === parentTs);
  };
  const broadcastInChannel = () => e.slack.messagesIn(CHANNEL).filter((m) => m.broadcast === true);

  it('opens at L1 with a thread reply that is not broadcast', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(8));
    const before = e.slack.callsTo('chat.postMessage').length;
    clock.advance(30_000);
    await e.app.poller.pollOnce();
    await e.app.incidents.flush();
    const [parent, opened] = e.slack.callsTo('chat.postMessage').slice(before);
    parentTs = (parent?.response as { ts: string }).ts;
    expect(opened?.args.thread_ts).toBe(parentTs);
    expect(shown(opened)).toContain('Incident opened at');
    expect(opened?.args.reply_broadcast).toBeUndefined();
    expect(broadcastInChannel()).toEqual([]);
  });

  it('L1 → L2 is a thread reply also sent to the channel (reply_broadcast on chat.postMessage)', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(20, 100));
    const replies = await poll(MINUTE);
    const change = replies.find((c) => shown(c).includes('L1 warning → L2 critical'));
    expect(change?.args.reply_broadcast).toBe('true');
    expect((change?.response as { ok: boolean; message: { subtype?: string } }).message.subtype).toBe('thread_broadcast');
    expect(broadcastInChannel().map((m) => m.threadTs)).toEqual([parentTs]);
    expect((await incident()).level).toBe('L2');
  });

  it('Acknowledge says what it stops and what not; no re-notification once the L2 interval passed', async () => {
    const { id } = await incident();
    const clicked = await e.click({ actionId: INCIDENT_ACTIONS.acknowledge, value: id, messageTs: parentTs, user: 'U_ALICE' });
    expect(clicked.status).toBe(200);
    const ackReply = await waitFor(() => e.slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === parentTs && shown(c).includes('Acknowledged by')), { timeoutMs: 10_000, description: 'the acknowledgement reply' });
    expect(shown(ackReply)).toContain('Re-notifications stop, and so does escalation for lack of acknowledgement');
    expect(shown(ackReply)).toContain('a level rise the measurements call for is still announced in the channel');
    expect(ackReply.args.reply_broadcast).toBeUndefined();
    // 20 min at L2 (re-notify interval 15): nothing, since it was acknowledged.
    expect(await poll(10 * MINUTE)).toEqual([]);
    expect(await poll(10 * MINUTE)).toEqual([]);
    expect((await e.app.store.listIncidentEvents(id)).map((x) => x.kind)).not.toContain('renotified');
  });

  it('after Acknowledge, a level rise is still broadcast and L3 still pages', async () => {
    const replies = [...(await poll(10 * MINUTE)), ...(await poll(5 * MINUTE))];
    const change = replies.find((c) => shown(c).includes('L2 critical → L3 page'));
    expect(change?.args.reply_broadcast).toBe('true');
    // No L3 channel configured: the page goes into the thread, as today (not broadcast itself).
    const page = replies.find((c) => shown(c).includes('Count and growth'));
    expect(page).toBeDefined();
    expect(page?.args.reply_broadcast).toBeUndefined();
    expect(broadcastInChannel()).toHaveLength(2);
    expect(await incident()).toMatchObject({ level: 'L3', acknowledgedBy: 'U_ALICE' });
  });
});
