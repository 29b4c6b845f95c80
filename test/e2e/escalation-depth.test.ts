// An incident must never calm down because Redrive itself hid messages: on a real SQS DLQ (ElasticMQ),
// a long filtered bulk replay started from Slack holds every message it skips (in flight), so the
// visible depth falls to almost nothing; escalation counts visible + in flight, keeps the level, and
// the parent message says what it counts. The clock moves by hand past the hold time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { queueDepth, sendMessages, services } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { latestIncident, shown, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const MINUTE = 60_000;
const body = (i: number, category: string) => JSON.stringify({ job_id: `job-${category}-${i}`, error_category: category, error: `HTTP 503 from upstream (${category})` });

describe.skipIf(!services)('escalation during a filtered bulk replay (SQS DLQ on ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  let e: SlackE2e;

  beforeAll(async () => {
    e = await startSlackE2e('escdepth', {
      queue: { escalation: { preset: 'sqs-runbook', l1Depth: 5, l2Depth: 10, holdMinutes: 1 } },
      server: { clock, slackJobs: { progressEveryMs: 0 } },
    });
  });
  afterAll(async () => {
    await e?.close();
  });

  const incident = () => latestIncident(e);
  const poll = async (advanceMs: number) => {
    clock.advance(advanceMs);
    expect(await e.app.poller.pollOnce()).toBe(true);
    await e.app.incidents.flush();
  };

  it('a long filtered job on a full DLQ keeps the incident at L2: no step-down, no resolve; the parent counts visible + in flight', async () => {
    // 12 that the filter skips first, then 12 it replays at 1 a second: about 12 s of holding.
    await sendMessages(e.sqs, e.pair.dlq.url, [...Array.from({ length: 12 }, (_, i) => body(i, 'permanent')), ...Array.from({ length: 12 }, (_, i) => body(i, 'transient'))]);
    await poll(30_000);
    const opened = await incident();
    expect(opened).toMatchObject({ status: 'open', level: 'L2' });

    const started = await e.dlq(`redrive-batch ${e.queue} --category transient --rate 1`, 'U_BOB');
    expect(shown(started)).toContain('redrive-batch');
    // The job holds what it skipped: visible has fallen below the L1 bound, most of the DLQ is in flight.
    await waitFor(async () => {
      const d = await queueDepth(e.sqs, e.pair.dlq.url);
      return d.visible < 5 && d.inFlight > 10;
    }, { timeoutMs: 20_000, intervalMs: 100, description: 'the job holding the skipped messages' });
    const updates = e.slack.callsTo('chat.update').length;
    await poll(30_000);
    await poll(2 * MINUTE);
    // Both polls measured while the job held the DLQ (so visible alone would have resolved the incident).
    const samples = await e.app.store.listDepthSamples(e.queue, { since: new Date(clock.now().getTime() - 3 * MINUTE), until: new Date(clock.now().getTime() + 1) });
    const held = samples.slice(-2);
    expect(held.map((s) => s.depth < 5 && (s.inFlight ?? 0) > 10)).toEqual([true, true]);
    expect(await incident()).toMatchObject({ id: opened.id, status: 'open', level: 'L2' });
    const kinds = (await e.app.store.listIncidentEvents(opened.id)).map((x) => x.kind);
    expect(kinds).not.toContain('level-changed');
    expect(kinds).not.toContain('resolved');
    // The parent says what the depth counts while messages are hidden.
    const parentEdits = e.slack.callsTo('chat.update').slice(updates).filter((c) => c.args.ts === opened.slackTs);
    expect(parentEdits.length).toBeGreaterThan(0);
    expect(shown(parentEdits.at(-1))).toMatch(/\d+ \(\d visible \+ \d+ in flight\)/);

    // The job ends: the skipped ones are visible again, the level is still L2 (12 left > 10).
    await e.app.slackJobs.idle();
    await poll(2 * MINUTE);
    expect(await queueDepth(e.sqs, e.pair.dlq.url)).toEqual({ visible: 12, inFlight: 0 });
    expect(await incident()).toMatchObject({ status: 'open', level: 'L2' });
  });
});
