// Safe redrive end to end (issue 14) on the real app, signed Slack requests and a real SQS DLQ on
// ElasticMQ, with the consumer's CloudWatch alarm on moto: a firing alarm blocks redrive-all with the
// reason; an admin's Override… with a typed reason runs it (every message once) and audits the reason.
// Two-person approval: a batch above the queue's bound waits; the starter's Approve is refused, a
// second admin's starts it (every message once); a request past its expiry says so, can't be approved,
// and the poller's sweep marks it expired in Slack. Time moves on a hand-driven clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PutMetricAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchClient } from '../../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import { JOB_ACTIONS, SAFETY_ACTIONS, VIEW_CALLBACKS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { motoEndpoint, queueDepth, sendMessages, services, sqsEndpoint, TEST_CREDENTIALS, uniqueQueueName } from '../integration/sqs/sqs-test-env.ts';
import { waitFor } from '../support/services.ts';
import { plainTextValue, stateValues } from '../support/slack-payloads.ts';
import { buttonsIn, CHANNEL, shown, startSlackE2e, viewOf, type SlackE2e } from '../support/slack-e2e-app.ts';
import type { RecordedCall } from '../support/slack-api-server.ts';

const MINUTE = 60_000;
const okCall = (call: RecordedCall | undefined) => (call?.response as { ok?: boolean } | undefined)?.ok === true;
const bodies = (n: number, from: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ orderId: from + i, error: 'Lambda timeout after 30000 ms' }));

describe.skipIf(!services)('safe redrive from Slack (SQS DLQ on ElasticMQ, CloudWatch on moto)', () => {
  let e: SlackE2e;
  let cloudwatch: CloudWatchClient;
  const alarm = uniqueQueueName('orders-consumer-errors');
  const clock = fixedClock(new Date());

  const setAlarm = (state: 'OK' | 'ALARM', reason: string) => cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: state, StateReason: reason }));
  const dlqDepth = async () => {
    const d = await queueDepth(e.sqs, e.pair.dlq.url);
    return d.visible + d.inFlight;
  };
  /** Takes every message out of the source queue: what the redrive delivered, once each or not. */
  const drainSource = async (): Promise<string[]> => {
    const seen: string[] = [];
    for (let empty = 0; empty < 2; ) {
      const got = await e.sqs.send(new ReceiveMessageCommand({ QueueUrl: e.pair.source.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 }));
      const messages = got.Messages ?? [];
      if (messages.length === 0) {
        empty += 1;
        continue;
      }
      seen.push(...messages.map((m) => m.Body ?? ''));
      await e.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: e.pair.source.url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
    }
    return seen.sort();
  };
  const posted = () => e.slack.callsTo('chat.postMessage');
  const ephemeralsAfter = async (before: number) => (await e.slack.waitForCalls('chat.postEphemeral', before + 1, 15_000)).slice(before);

  beforeAll(async () => {
    const moto = motoEndpoint();
    cloudwatch = createCloudWatchClient({ endpoint: moto.endpoint, region: moto.region, protocol: 'json', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    await cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: alarm, Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: [{ Name: 'FunctionName', Value: alarm }],
    }));
    const sqs = sqsEndpoint();
    e = await startSlackE2e('safe', {
      server: { clock, slackJobs: { progressEveryMs: 0, pollMs: 200 } },
      config: { aws: { region: sqs.region, sqsEndpoint: sqs.endpoint, cloudwatchEndpoint: moto.endpoint, cloudwatchProtocol: 'json' } },
      queue: { preflight: { alarms: [alarm] }, approval: { above: 5 } },
    });
  });
  afterAll(async () => {
    await e?.close();
    cloudwatch?.destroy();
  });

  it('a firing alarm blocks redrive-all with the reason; an admin override with a reason runs it and audits the reason', async () => {
    await setAlarm('ALARM', 'Threshold Crossed: 7 errors');
    const sent = bodies(5, 0);
    await sendMessages(e.sqs, e.pair.dlq.url, sent);
    const blocked = await e.dlq(`redrive-all ${e.queue}`, 'U_ALICE');
    expect(blocked.args.response_type).toBe('ephemeral');
    expect(shown(blocked)).toContain('Pre-flight blocked');
    expect(shown(blocked)).toContain(`\`${alarm}\`: state ALARM (Threshold Crossed: 7 errors), not OK`);
    expect(await e.app.store.listJobs({ queue: e.queue, limit: 10 })).toEqual([]);
    expect(await dlqDepth()).toBe(5);
    const [block] = await e.app.store.searchAudit({ queue: e.queue, action: 'preflight', limit: 1 });
    expect(block).toMatchObject({ actor: 'U_ALICE', result: 'failure', error: expect.stringContaining(`alarm ${alarm}: state ALARM`) });

    // Override…: a reason modal; an empty reason is refused on the field, a reason starts the job.
    const override = buttonsIn(blocked).find((b) => b.action_id === SAFETY_ACTIONS.override);
    expect(override).toBeDefined();
    const opens = e.slack.callsTo('views.open').length;
    await e.click({ actionId: SAFETY_ACTIONS.override, value: override?.value ?? '', user: 'U_ALICE' });
    const [open] = (await e.slack.waitForCalls('views.open', opens + 1, 10_000)).slice(opens);
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.preflightOverride);
    const empty = await e.submit(view, stateValues(['override_reason', 'override_reason', plainTextValue('  ')]), 'U_ALICE');
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { override_reason: expect.any(String) } });
    expect(await dlqDepth()).toBe(5);
    const before = e.slack.callsTo('chat.postEphemeral').length;
    await e.submit(view, stateValues(['override_reason', 'override_reason', plainTextValue('alarm is stale: consumer fixed in deploy 412')]), 'U_ALICE');
    const [started] = await ephemeralsAfter(before);
    expect(shown(started)).toContain('Started *redrive-all* job');
    await waitFor(async () => (await dlqDepth()) === 0, { timeoutMs: 60_000, description: 'DLQ emptied by the overridden redrive-all' });
    await e.app.slackJobs.idle();
    expect(await drainSource()).toEqual([...sent].sort());
    const [audit] = await e.app.store.searchAudit({ queue: e.queue, action: 'preflight:override', limit: 1 });
    expect(audit).toMatchObject({ actor: 'U_ALICE', result: 'success', details: { reason: 'alarm is stale: consumer fixed in deploy 412', overridden: expect.stringContaining(`alarm ${alarm}: state ALARM`) } });
  });

  it('the bulk replay modal: without an override the firing alarm blocks; its override field starts the batch and audits the reason', async () => {
    await setAlarm('ALARM', 'Threshold Crossed: 2 errors');
    const sent = bodies(3, 50);
    await sendMessages(e.sqs, e.pair.dlq.url, sent);
    const opens = e.slack.callsTo('views.open').length;
    await e.click({ actionId: JOB_ACTIONS.bulkReplay, value: e.queue, user: 'U_BOB' });
    const [open] = (await e.slack.waitForCalls('views.open', opens + 1, 10_000)).slice(opens);
    const view = viewOf(open) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW_CALLBACKS.bulkReplay);
    expect(shown(open)).toContain('Override failing pre-flight checks');
    const before = e.slack.callsTo('chat.postEphemeral').length;
    await e.submit(view, stateValues(['count', 'count', plainTextValue('3')]), 'U_BOB');
    const [blocked] = await ephemeralsAfter(before);
    expect(shown(blocked)).toContain(`\`${alarm}\`: state ALARM (Threshold Crossed: 2 errors), not OK`);
    expect(await dlqDepth()).toBe(3);
    const next = e.slack.callsTo('chat.postEphemeral').length;
    await e.submit(view, stateValues(['count', 'count', plainTextValue('3')], ['preflight_override', 'preflight_override', plainTextValue('known flaky alarm, checked the consumer logs')]), 'U_BOB');
    const [started] = await ephemeralsAfter(next);
    expect(shown(started)).toContain('Started *redrive-batch* job');
    await e.app.slackJobs.idle();
    expect(await dlqDepth()).toBe(0);
    expect(await drainSource()).toEqual([...sent].sort());
    const [audit] = await e.app.store.searchAudit({ queue: e.queue, action: 'preflight:override', limit: 1 });
    expect(audit).toMatchObject({ actor: 'U_BOB', details: { reason: 'known flaky alarm, checked the consumer logs' } });
  });

  it('a batch above the approval bound waits; the starter\'s Approve is refused; a second admin\'s Approve starts it, every message once', async () => {
    await setAlarm('OK', 'recovered');
    const sent = bodies(8, 100);
    await sendMessages(e.sqs, e.pair.dlq.url, sent);
    const postsBefore = posted().length;
    const asked = await e.dlq(`redrive-batch ${e.queue} --count 8`, 'U_ALICE');
    expect(asked.args.response_type).toBe('ephemeral');
    expect(shown(asked)).toContain('8 message(s), above this queue\'s approval bound of 5');
    expect(shown(asked)).toContain('second person\'s approval');
    const request = await waitFor(() => posted().slice(postsBefore).find((c) => buttonsIn(c).some((b) => b.action_id === SAFETY_ACTIONS.approve)), { description: 'approval request posted' });
    expect(okCall(request)).toBe(true);
    expect(request.args.channel).toBe(CHANNEL);
    const requestTs = (request.response as { ts: string }).ts;
    const value = buttonsIn(request).find((b) => b.action_id === SAFETY_ACTIONS.approve)?.value ?? '';
    expect(buttonsIn(request).map((b) => b.action_id)).toEqual([SAFETY_ACTIONS.approve, SAFETY_ACTIONS.reject]);
    const requestId = (JSON.parse(value) as { id: string }).id;
    expect((await e.app.store.getJob(requestId))?.status).toBe('pending');

    const refusedAt = e.slack.mintResponseUrl({ channel: CHANNEL, messageTs: requestTs });
    const responses = e.slack.callsTo('response_url').length;
    await e.click({ actionId: SAFETY_ACTIONS.approve, value, user: 'U_ALICE', messageTs: requestTs, responseUrl: refusedAt });
    const [refused] = (await e.slack.waitForCalls('response_url', responses + 1, 10_000)).slice(responses);
    expect(shown(refused)).toContain('You started this job, so you cannot approve it');
    expect((await e.app.store.getJob(requestId))?.status).toBe('pending');
    expect(await dlqDepth()).toBe(8);

    const again = e.slack.callsTo('response_url').length;
    await e.click({ actionId: SAFETY_ACTIONS.approve, value, user: 'U_BOB', messageTs: requestTs });
    const [startedReply] = (await e.slack.waitForCalls('response_url', again + 1, 10_000)).slice(again);
    expect(shown(startedReply)).toContain('Started *redrive-batch* job');
    await waitFor(async () => (await dlqDepth()) === 0, { timeoutMs: 60_000, description: 'DLQ emptied by the approved job' });
    await e.app.slackJobs.idle();
    expect(await drainSource()).toEqual([...sent].sort());
    // The request message now says who approved, without buttons; the job reports in its thread.
    const edit = e.slack.callsTo('chat.update').find((c) => c.args.ts === requestTs);
    expect(shown(edit)).toContain('Approved* by <@U_BOB>');
    expect(buttonsIn(edit)).toEqual([]);
    expect(posted().some((c) => c.args.thread_ts === requestTs && shown(c).includes('finished: 8 message(s) replayed'))).toBe(true);
    const actions = (await e.app.store.searchAudit({ queue: e.queue, ref: requestId, limit: 20 })).map((r) => `${r.action}:${r.actor}:${r.result}`);
    expect(actions).toEqual(expect.arrayContaining(['approval:request:U_ALICE:success', 'approval:approve:U_ALICE:denied', 'approval:approve:U_BOB:success']));
    // A second approval of the same request changes nothing.
    const late = e.slack.callsTo('response_url').length;
    await e.click({ actionId: SAFETY_ACTIONS.approve, value, user: 'U_BOB', messageTs: requestTs });
    const [decided] = (await e.slack.waitForCalls('response_url', late + 1, 10_000)).slice(late);
    expect(shown(decided)).toContain('already approved');
  });

  it('an unapproved request expires: a click after its time says so and starts nothing; the poller marks it expired in Slack', async () => {
    const sent = bodies(7, 200);
    await sendMessages(e.sqs, e.pair.dlq.url, sent);
    const postsBefore = posted().length;
    await e.dlq(`redrive-all ${e.queue}`, 'U_ALICE');
    const request = await waitFor(() => posted().slice(postsBefore).find((c) => buttonsIn(c).some((b) => b.action_id === SAFETY_ACTIONS.approve)), { description: 'approval request posted' });
    expect(shown(request)).toContain('7 message(s)');
    const requestTs = (request.response as { ts: string }).ts;
    const value = buttonsIn(request).find((b) => b.action_id === SAFETY_ACTIONS.approve)?.value ?? '';
    const requestId = (JSON.parse(value) as { id: string }).id;

    clock.advance(31 * MINUTE);
    const responses = e.slack.callsTo('response_url').length;
    await e.click({ actionId: SAFETY_ACTIONS.approve, value, user: 'U_BOB', messageTs: requestTs });
    const [expired] = (await e.slack.waitForCalls('response_url', responses + 1, 10_000)).slice(responses);
    expect(shown(expired)).toContain('This request expired');
    expect((await e.app.store.getJob(requestId))).toMatchObject({ status: 'cancelled', error: 'approval expired' });
    expect(await dlqDepth()).toBe(7);
    expect((await e.app.store.listJobs({ queue: e.queue, status: ['running', 'succeeded'], limit: 20 })).filter((j) => j.kind !== 'redrive-approval' && j.createdAt >= new Date(clock.now().getTime() - MINUTE))).toEqual([]);

    // A second request, left alone: the poller's sweep expires it and edits its message.
    const second = posted().length;
    await e.dlq(`redrive-all ${e.queue}`, 'U_BOB');
    const other = await waitFor(() => posted().slice(second).find((c) => buttonsIn(c).some((b) => b.action_id === SAFETY_ACTIONS.approve)), { description: 'second request posted' });
    const otherTs = (other.response as { ts: string }).ts;
    const otherId = (JSON.parse(buttonsIn(other)[0]?.value ?? '{}') as { id: string }).id;
    await e.app.poller.pollOnce();
    expect((await e.app.store.getJob(otherId))?.status).toBe('pending');
    clock.advance(30 * MINUTE);
    expect(await e.app.poller.pollOnce()).toBe(true);
    expect(await e.app.store.getJob(otherId)).toMatchObject({ status: 'cancelled', error: 'approval expired' });
    const edit = e.slack.callsTo('chat.update').find((c) => c.args.ts === otherTs);
    expect(shown(edit)).toContain('Expired');
    expect(buttonsIn(edit)).toEqual([]);
    const [record] = await e.app.store.searchAudit({ ref: otherId, action: 'approval:expire', limit: 1 });
    expect(record).toMatchObject({ actor: 'system', result: 'success' });
    expect(await dlqDepth()).toBe(7);
  });
});
