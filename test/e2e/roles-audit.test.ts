// Roles, audit and the weekly report on the real app: a real SQS DLQ on ElasticMQ, signed Slack
// requests, and the local Slack API server answering usergroups.users.list (S_ONCALL = Alice, Bob).
// Carol (and Bob) are global viewers; the on-call group are operators; the terminal is trusted. A
// second DLQ (`hidden`) lets only Dave view it (and the global admin): commands about no single queue
// hide it from the others and say so, and let Dave (a viewer of that queue alone) in to see just it.
// An unknown queue name is answered with the queues the user may view. `/dlq audit @name` is resolved through the server's users.list.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRootLogger } from '../../src/adapters/outbound/logging/pino-logger.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { fixedClock } from '../../src/ports/clock.port.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { INCIDENT_ACTIONS } from '../../src/presentation/slack/block-kit/incident-actions.ts';
import { downloadDlqBodyJson } from '../fixtures/download-dlq-body.ts';
import { createQueuePair, deleteQueues, queueDepth, sendMessages, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { sendBlockActions, sendSlashCommand } from '../support/signed-slack.ts';
import { buildBlockActions, buttonAction } from '../support/slack-payloads.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';
import { requireServices, waitFor } from '../support/services.ts';
import { runRedrive } from '../support/run-redrive.ts';

describe.skipIf(!services)('roles, audit and report end to end (SQS DLQ on ElasticMQ)', () => {
  const clock = fixedClock(new Date());
  /** Slack requests are dated on the app's clock: the app refuses one more than 5 minutes off it. */
  const signedOnAppClock = { now: () => clock.now().getTime() };
  const sqs = testSqsClient();
  const logLines: Record<string, unknown>[] = [];
  let slack: SlackApiServer;
  let app: Runtime;
  let pair: { source: CreatedQueue; dlq: CreatedQueue };
  let hiddenPair: { source: CreatedQueue; dlq: CreatedQueue };
  let hidden: string;
  let dir: string;
  let queue: string;
  let rawConfig: Record<string, unknown> = {};
  let expiredId = '';
  let timeoutId = '';
  const expiredTrace = `evt-expired-${Date.now()}`;

  /** Sends `/dlq <text>` as `user` and returns what Slack got back on the response_url. */
  const dlq = async (user: string, text: string, prepare?: () => void): Promise<RecordedCall> => {
    slack.clear();
    prepare?.();
    const responseUrl = slack.mintResponseUrl();
    const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: user, channel_id: 'C_ALERTS', response_url: responseUrl }, signedOnAppClock);
    expect(sent.status).toBe(200);
    const [reply] = await slack.waitForCalls('response_url', 1, 15_000);
    if (!reply) throw new Error('no reply');
    return reply;
  };
  const textOf = (call: RecordedCall): string => JSON.stringify(call.args.blocks ?? call.args.text ?? '');
  const dlqDepth = async () => (await queueDepth(sqs, pair.dlq.url)).visible + (await queueDepth(sqs, pair.dlq.url)).inFlight;

  beforeAll(async () => {
    const endpoints = requireServices(services);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    pair = await createQueuePair(sqs, 'roles');
    queue = pair.dlq.name;
    hiddenPair = await createQueuePair(sqs, 'roles-hidden');
    hidden = hiddenPair.dlq.name;
    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-roles-e2e-'));
    rawConfig = {
      server: { host: '127.0.0.1', port: 0 },
      store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
      slack: { apiUrl: slack.url, mode: 'http' },
      aws: { region: endpoints.sqs.region, sqsEndpoint: endpoints.sqs.endpoint },
      roles: { admins: ['U_ADMIN'], viewers: ['U_CAROL', 'U_BOB'], userGroups: { S_ONCALL: 'operator' } },
      queues: [
        { name: queue, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: 'C_ALERTS', escalation: { preset: 'sqs-runbook', l1Depth: 1 } },
        // Viewers replaced and no user group inherited: only U_DAVE views it, U_ADMIN (inherited) administers it.
        { name: hidden, kind: 'sqs', queueUrl: hiddenPair.dlq.url, alertChannel: 'C_ALERTS', roles: { viewers: ['U_DAVE'], userGroups: {} } },
      ],
    };
    const parsed = parseConfig(rawConfig);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const logger = createRootLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _enc, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      }),
    });
    const secrets = resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
    app = await startServer(parsed.config, secrets, logger, { slackRetries: 0, clock, timers: manualTimers(), replicaId: 'roles-e2e' });
    await slack.waitForCalls('auth.test', 1);
    await app.poller.pollOnce();
    await sendMessages(sqs, pair.dlq.url, [
      downloadDlqBodyJson({ traceId: expiredTrace, url: 'https://files.example.com/claims/a.pdf?X-Amz-Signature=abc123', finalError: 'HTTP 404: Not Found', errorCategory: 'permanent', retryCount: 0, failedAt: new Date() }),
      downloadDlqBodyJson({ traceId: `evt-timeout-${Date.now()}`, url: 'https://files.example.com/claims/b.pdf', finalError: 'Timeout after 30s', errorCategory: 'transient', retryCount: 4, failedAt: new Date() }),
    ]);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.dlq.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    for (const m of received.Messages ?? []) {
      if (m.Body?.includes(expiredTrace)) expiredId = m.MessageId ?? '';
      else timeoutId = m.MessageId ?? '';
    }
    expect(expiredId).not.toBe('');
    expect(timeoutId).not.toBe('');
    clock.advance(30_000);
    await app.poller.pollOnce();
    await app.incidents.flush();
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    if (pair) await deleteQueues(sqs, pair.source.url, pair.dlq.url);
    if (hiddenPair) await deleteQueues(sqs, hiddenPair.source.url, hiddenPair.dlq.url);
    sqs.destroy();
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a viewer may peek, which indexes the messages', async () => {
    const reply = await dlq('U_CAROL', `peek ${queue} --count 10`);
    expect(textOf(reply)).toContain(expiredTrace);
    expect(slack.callsTo('usergroups.users.list')).toEqual([]); // her user-id grant suffices
    expect(await app.store.findIndexedMessage(queue, expiredTrace)).toMatchObject({ messageKey: expiredId });
  });

  it('when Slack cannot list the user group, its members fall back to their user-id roles (denied) and it is logged', async () => {
    const reply = await dlq('U_BOB', `resolve ${queue} ${timeoutId}`, () => slack.failNext('usergroups.users.list', { error: 'missing_scope' }));
    expect(textOf(reply)).toContain('needs the operator role; you are a viewer');
    expect(slack.callsTo('usergroups.users.list')[0]?.args).toMatchObject({ usergroup: 'S_ONCALL' });
    expect(logLines.find((l) => l.component === 'roles' && l.code === 'missing_scope')).toBeDefined();
    expect(await dlqDepth()).toBe(2);
    clock.advance(31_000); // the failure is remembered 30 s, then Slack is asked again
  });

  it("a viewer's /dlq replay is denied: an ephemeral explanation naming the role, a `denied` audit row, the message still in the DLQ", async () => {
    const reply = await dlq('U_CAROL', `replay ${queue} ${expiredId}`);
    expect(reply.args.response_type).toBe('ephemeral');
    const shown = textOf(reply);
    expect(shown).toContain('Not allowed');
    expect(shown).toContain(`replay on ${queue} needs the operator role; you are a viewer on ${queue}.`);
    expect(shown).toContain('roles.operators');
    expect(shown).toContain('<!subteam^S_ONCALL>');
    expect(shown).toContain('<@U_ADMIN>');
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(1);
    const [row] = await app.store.searchAudit({ ref: expiredId, actor: 'U_CAROL' });
    expect(row).toMatchObject({ action: 'replay', queue, actor: 'U_CAROL', result: 'denied', messageId: expiredId });
    expect(row?.error).toContain('needs the operator role');
    expect(await dlqDepth()).toBe(2);
    expect(await queueDepth(sqs, pair.source.url)).toEqual({ visible: 0, inFlight: 0 });
    // One pino line per audit record, component audit.
    expect(logLines.find((l) => l.component === 'audit' && l.result === 'denied' && l.messageId === expiredId)).toMatchObject({ action: 'replay', actor: 'U_CAROL', queue });
  });

  it('an operator through the on-call user group may replay: the copy reaches the source, the DLQ loses it', async () => {
    const reply = await dlq('U_ALICE', `replay ${queue} ${expiredId}`);
    expect(textOf(reply)).toContain(`Replayed ${expiredId}`);
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(0); // cached when Carol was refused
    expect(await dlqDepth()).toBe(1);
    expect((await queueDepth(sqs, pair.source.url)).visible).toBe(1);
    // Cached: a second check asks Slack nothing.
    await dlq('U_ALICE', `resolve ${queue} ${timeoutId} --reason "timeout, source fixed elsewhere"`);
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(0);
    expect(await dlqDepth()).toBe(0);
  });

  it('the Acknowledge button needs the operator role: Carol is refused, Alice (on-call group) acknowledges', async () => {
    const [incident] = await app.store.listIncidents({ queue, limit: 1 });
    expect(incident?.status).toBe('open');
    const click = async (user: string) => {
      slack.clear();
      const response = await sendBlockActions(app.url, TEST_SIGNING_SECRET, buildBlockActions({
        user_id: user,
        channel_id: 'C_ALERTS',
        message: { ts: incident?.slackTs ?? '' },
        actions: [buttonAction({ action_id: INCIDENT_ACTIONS.acknowledge, value: incident?.id ?? '' })],
        response_url: slack.mintResponseUrl({ channel: 'C_ALERTS', messageTs: incident?.slackTs ?? '' }),
      }), signedOnAppClock);
      expect(response.status).toBe(200);
    };
    await click('U_CAROL');
    const [refusal] = await slack.waitForCalls('response_url', 1, 15_000);
    expect(refusal?.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(refusal?.args.blocks)).toContain('acknowledge on');
    const denied = await app.store.searchAudit({ ref: incident?.id ?? '', actor: 'U_CAROL' });
    expect(denied[0]).toMatchObject({ action: 'acknowledge', result: 'denied', incidentId: incident?.id, queue });
    expect((await app.store.getIncident(incident?.id ?? ''))?.acknowledgedBy).toBeNull();
    await click('U_ALICE');
    await waitFor(async () => ((await app.store.getIncident(incident?.id ?? ''))?.acknowledgedBy === 'U_ALICE' ? true : null));
    expect(logLines.find((l) => l.component === 'audit' && l.action === 'acknowledge' && l.result === 'success')).toMatchObject({ actor: 'U_ALICE', incidentId: incident?.id, queue });
  });

  it('/dlq audit <message id> shows the replay and the denial before it, newest first', async () => {
    const reply = await dlq('U_CAROL', `audit ${expiredId}`);
    expect(reply.args.response_type).toBe('ephemeral');
    const blocks = reply.args.blocks as { type: string; text?: { text: string } }[];
    const rows = blocks.filter((b) => b.type === 'section').map((b) => b.text?.text ?? '');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/:white_check_mark: \*success\* · `replay` by <@U_ALICE>/);
    expect(rows[0]).toContain(`trace \`${expiredTrace}\``);
    expect(rows[1]).toMatch(/:no_entry: \*denied\* · `replay` by <@U_CAROL>/);
    expect(rows[1]).toContain('needs the operator role');
    for (const row of rows) expect(row).toContain(`message \`${expiredId}\``);
    // By user (Slack's escaped mention form) and by audit id.
    const carol = JSON.stringify((await dlq('U_CAROL', 'audit <@U_CAROL|carol>')).args.blocks);
    for (const action of ['`peek`', '`replay`', '`acknowledge`', '`audit`']) expect(carol).toContain(action);
    expect(carol).not.toContain('<@U_ALICE>');
    const [denial] = await app.store.searchAudit({ actor: 'U_BOB', action: 'resolve' });
    const byId = (await dlq('U_CAROL', `audit ${denial?.id}`)).args.blocks as { type: string; text?: { text: string } }[];
    expect(byId.filter((b) => b.type === 'section')).toHaveLength(1);
    expect(JSON.stringify(byId)).toContain(`#${denial?.id}`);
  });

  it('`redrive dlq audit <message id>` in a terminal prints the same records as a table (the terminal is trusted)', async () => {
    const file = join(dir, 'redrive.yml');
    writeFileSync(file, JSON.stringify({ ...rawConfig, slack: { mode: 'http' } }));
    const result = await runRedrive(['dlq', 'audit', expiredId, '--config', file], { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } });
    expect(result.code).toBe(0);
    // Log lines (JSON, pino) go to stderr, the table alone to stdout; the audit search logs its own record too.
    expect(result.stderr).toMatch(/"component":"audit".*"action":"audit"/);
    expect(result.stdout).not.toMatch(/^\{/m);
    const lines = result.stdout.trim().split('\n');
    const head = lines.findIndex((line) => /^ID\s+TIME\s+ACTION\s+RESULT\s+USER/.test(line));
    expect(lines[head - 1]).toBe(`Audit log: ${expiredId} — 2 record(s), newest first`);
    expect(lines.slice(head + 2).map((line) => line.split(/\s{2,}/).slice(2, 5))).toEqual([['replay', 'success', 'U_ALICE'], ['replay', 'denied', 'U_CAROL']]);
    expect((await app.store.searchAudit({ action: 'audit' })).filter((r) => r.actor.startsWith('cli:'))).toEqual([expect.objectContaining({ result: 'success', details: { ref: expiredId, found: 2 } })]);
  });

  it('a failure before the use case starts (an unknown queue) is audited too; the answer lists only the queues Carol may view, the record none', async () => {
    const reply = await dlq('U_CAROL', 'peek no-such-queue');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain(`No queue named \\"no-such-queue\\" is configured (known: ${queue}).`);
    expect(textOf(reply)).not.toContain(hidden);
    const [row] = await app.store.searchAudit({ queue: 'no-such-queue' });
    expect(row).toMatchObject({ action: 'peek', actor: 'U_CAROL', result: 'failure' });
    expect(row?.error).toBe('QUEUE_UNKNOWN: No queue named "no-such-queue" is configured.');
    const line = logLines.find((l) => l.component === 'audit' && l.queue === 'no-such-queue');
    expect(JSON.stringify(line)).not.toContain(hidden);
  });

  it('/dlq report: the numbers match what happened (2 in, 1 permanent, 1 transient, 1 replayed, 1 resolved, one L1 incident, 1 failure, 3 denials)', async () => {
    clock.advance(30_000);
    await app.poller.pollOnce(); // the DLQ is empty now: the latest sample says 0
    const reply = await dlq('U_CAROL', 'report --days 7');
    expect(reply.args.response_type).toBe('in_channel');
    const shown = JSON.stringify(reply.args.blocks);
    expect(shown).toContain('DLQ report — last 7 days');
    expect(shown).toContain('Messages into the DLQs (best estimate): 2');
    expect(shown).toContain('Error distribution: 1 permanent, 1 transient (1 with retries exhausted), 0 unknown');
    expect(shown).toContain('Actions taken: 1 replayed, 1 resolved');
    expect(shown).toContain('Incidents: 1 L1, 0 L2, 0 L3 (by peak level), 1 still open');
    expect(shown).toMatch(/Audit: \d+ actions, 1 failed, 3 denied/);
    expect(shown).toContain('files.example.com');
    expect(shown).toContain('https://files.example.com/claims/a.pdf');
    expect(shown).not.toContain('X-Amz-Signature');
    const row = (reply.args.blocks as { text?: { text: string } }[]).map((b) => b.text?.text ?? '').find((t) => t.includes('IN (EST.)')) ?? '';
    expect(row.split('\n').find((line) => line.startsWith(queue))?.replace(/```$/, '').split(/\s{2,}/)).toEqual([queue, '2', '0', expect.any(String), '1', '1', '0', '1', '1', '1/0/0']);
    expect((await app.store.searchAudit({ action: 'report' }))[0]).toMatchObject({ actor: 'U_CAROL', result: 'success' });
  });

  it('status, jobs, report and audit of all queues leave out the queue Carol may not view, and say so; Dave and the admin see it', async () => {
    const note = '1 queue hidden: you have no viewer role on it.';
    const carolStatus = textOf(await dlq('U_CAROL', 'status'));
    expect(carolStatus).toContain(queue);
    expect(carolStatus).not.toContain(hidden);
    expect(carolStatus).toContain(note);
    const adminStatus = textOf(await dlq('U_ADMIN', 'status'));
    expect(adminStatus).toContain(hidden);
    expect(adminStatus).not.toContain('hidden:');
    // The admin peeks the hidden queue; Carol tries and is refused: both records are about it.
    expect(textOf(await dlq('U_ADMIN', `peek ${hidden}`))).not.toContain('Not allowed');
    expect(textOf(await dlq('U_CAROL', `peek ${hidden}`))).toContain(`peek on ${hidden} needs the viewer role; you have no Redrive role`);
    const carolAudit = await dlq('U_CAROL', 'audit');
    expect(textOf(carolAudit)).not.toContain(`queue \`${hidden}\``);
    expect(textOf(carolAudit)).toContain('2 records left out: about queues you have no viewer role on.');
    const byQueue = textOf(await dlq('U_CAROL', `audit ${hidden}`));
    expect(byQueue).toContain('2 records left out');
    expect(byQueue).not.toContain('`peek`');
    const adminAudit = textOf(await dlq('U_ADMIN', `audit ${hidden}`));
    expect(adminAudit).toContain('`peek` by <@U_ADMIN>');
    expect(adminAudit).toContain('`peek` by <@U_CAROL>');
    expect(adminAudit).not.toContain('left out');
    const jobs = textOf(await dlq('U_CAROL', 'jobs'));
    expect(jobs).toContain(note);
    const carolReport = textOf(await dlq('U_CAROL', 'report'));
    expect(carolReport).not.toContain(hidden);
    expect(carolReport).toContain(note);
    expect(carolReport).toMatch(/Audit: \d+ actions, 1 failed, 3 denied/); // Carol's refusal on the hidden queue is not counted for her
    const adminReport = textOf(await dlq('U_ADMIN', 'report'));
    expect(adminReport).toContain(hidden);
    expect(adminReport).toMatch(/Audit: \d+ actions, 1 failed, 4 denied/);
  });

  it('/dlq audit @alice: the plain name Slack sends is resolved with users.list (cached), an unknown name is answered clearly', async () => {
    const alice = await dlq('U_CAROL', 'audit @alice');
    expect(slack.callsTo('users.list')).toHaveLength(1);
    const shown = textOf(alice);
    expect(shown).toContain('`replay` by <@U_ALICE>');
    expect(shown).not.toContain('<@U_CAROL>');
    expect(shown).toContain("matching user `@alice`");
    // Real name (quoted: it has a space), any case, from the cache.
    expect(textOf(await dlq('U_CAROL', 'audit "@alice ADAMS"'))).toContain('`acknowledge` by <@U_ALICE>');
    expect(slack.callsTo('users.list')).toHaveLength(0);
    const unknown = await dlq('U_CAROL', 'audit @nobody');
    expect(unknown.args.response_type).toBe('ephemeral');
    expect(textOf(unknown)).toContain('No Slack member has the name, display name or real name \\"@nobody\\"');
    expect(textOf(unknown)).toContain('member id');
    expect((await app.store.searchAudit({ action: 'audit', actor: 'U_CAROL', limit: 1 }))[0]).toMatchObject({ result: 'success', details: { ref: '@nobody', found: 0, unresolved: 'not-found' } });
  });

  it('Dave views only the hidden queue (its own grants): status, jobs, report and audit let him in and show just it; who views no queue is refused', async () => {
    const note = '1 queue hidden: you have no viewer role on it.';
    const status = textOf(await dlq('U_DAVE', 'status'));
    expect(status).not.toContain('Not allowed');
    expect(status).toContain(hidden);
    expect(status).not.toContain(queue);
    expect(status).toContain(note);
    const jobs = textOf(await dlq('U_DAVE', 'jobs'));
    expect(jobs).not.toContain('Not allowed');
    expect(jobs).toContain(note);
    const report = textOf(await dlq('U_DAVE', 'report'));
    expect(report).toContain(hidden);
    expect(report).not.toContain(queue);
    expect(report).toContain(note);
    const audit = textOf(await dlq('U_DAVE', 'audit'));
    expect(audit).not.toContain('Not allowed');
    expect(audit).toContain('`peek` by <@U_ADMIN>');
    expect(audit).not.toContain(queue);
    expect(audit).toMatch(/\d+ records? left out/);
    // A queue of his own, not the global grants: a single other queue stays closed to him.
    expect(textOf(await dlq('U_DAVE', `peek ${queue}`))).toContain(`peek on ${queue} needs the viewer role`);
    // Eve views no queue at all: refused with the usual explanation, and audited.
    const eve = await dlq('U_EVE', 'status');
    expect(eve.args.response_type).toBe('ephemeral');
    expect(textOf(eve)).toContain('status needs the viewer role; you have no Redrive role.');
    expect(textOf(eve)).not.toContain(hidden);
    expect((await app.store.searchAudit({ actor: 'U_EVE', limit: 1 }))[0]).toMatchObject({ action: 'status', result: 'denied' });
  });

  it('an unknown queue: the admin is told every queue; Dave, judged on the global grants there, is refused naming none', async () => {
    expect(textOf(await dlq('U_ADMIN', 'peek no-such-queue'))).toMatch(new RegExp(`known: (${queue}, ${hidden}|${hidden}, ${queue})\\)`));
    const dave = textOf(await dlq('U_DAVE', 'history no-such-queue'));
    expect(dave).toContain('history on no-such-queue needs the viewer role');
    expect(dave).not.toContain(queue);
    expect(dave).not.toContain(hidden);
  });
});
