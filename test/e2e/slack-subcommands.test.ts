// Every /dlq subcommand the other e2e files leave out, on the real app through signed slash commands
// and the local Slack API server: status (one queue and all), view, analyze, monitor / stop-monitor
// (readings in a thread on hand-driven timers), alarms (CloudWatch on moto, idempotent), history
// (GetMetricData on moto beside stored samples), re-execute (Step Functions on moto), jobs, cancel,
// and usage help for unknown input. Two real SQS DLQs on ElasticMQ. Every reply passes the server's
// Block Kit referee, and nothing from a queue body pings a channel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/log-capture.ts';
import { createCloudWatchClient } from '../../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import { DEPTH_METRIC } from '../../src/adapters/outbound/cloudwatch/cloudwatch-queue-alarms.ts';
import { createSfnClient } from '../../src/adapters/outbound/stepfunctions/sfn-replay-target.ts';
import { parseConfig, resolveSecrets } from '../../src/config/load-config.ts';
import { startServer, type Runtime } from '../../src/main.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES } from '../fixtures/download-dlq-body.ts';
import { createQueuePair, deleteQueues, queueDepth, sendMessages, services, testSqsClient, TEST_CREDENTIALS, uniqueQueueName, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { requireServices, waitFor } from '../support/services.ts';
import { sendSlashCommand } from '../support/signed-slack.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from '../support/slack-api-server.ts';
import { jobIdIn, shown } from '../support/slack-e2e-app.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../support/slack-workspace.ts';

const CHANNEL = 'C_ALERTS';
const quietLogger = () => silentLogger();
/** What a queue body may hold to ping everyone or fake a link; none of it may reach Slack raw. */
const HOSTILE = ['<!channel>', '<!here>', '<!everyone>', '<https://evil.example|'];
const minutesAgo = (n: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - n * 60_000);

describe.skipIf(!services)('every /dlq subcommand end to end (SQS DLQs on ElasticMQ, CloudWatch and Step Functions on moto)', () => {
  const timers = manualTimers();
  const sqs = testSqsClient();
  let slack: SlackApiServer;
  let app: Runtime;
  let cloudwatch: CloudWatchClient;
  let sfn: SFNClient;
  let stateMachineArn = '';
  let a: { source: CreatedQueue; dlq: CreatedQueue };
  let b: { source: CreatedQueue; dlq: CreatedQueue };
  let queueA = '';
  let queueB = '';
  let dir = '';
  const ids = new Map<string, string>();

  /** `/dlq <text>` from `user` in C_ALERTS: the response_url answer (the referee answers 400 to invalid blocks). */
  const dlq = async (text: string, user = 'U_ALICE'): Promise<RecordedCall> => {
    const before = slack.callsTo('response_url').length;
    const sent = await sendSlashCommand(app.url, TEST_SIGNING_SECRET, { text, user_id: user, channel_id: CHANNEL, response_url: slack.mintResponseUrl({ channel: CHANNEL }) });
    expect(sent.status).toBe(200);
    const reply = (await slack.waitForCalls('response_url', before + 1, 20_000))[before];
    if (!reply) throw new Error(`no reply to /dlq ${text}`);
    expect(reply.status, `Slack refused the reply to /dlq ${text}: ${JSON.stringify(reply.response)}`).toBe(200);
    return reply;
  };
  /** The row of a fixed-width table (in a code block) that starts with `first`, split into cells. */
  const rowOf = (call: RecordedCall, first: string): string[] | undefined =>
    shown(call).split('\n').map((line) => line.replace(/```/g, '')).find((line) => line.startsWith(`${first} `))?.split(/\s{2,}/);
  const depthOf = async (queue: CreatedQueue) => queueDepth(sqs, queue.url);
  const audits = (action: string, queue?: string) => app.store.searchAudit({ action, ...(queue ? { queue } : {}), limit: 50 });
  /** Message ids by a marker in the body (received with visibility 0: nothing is hidden). */
  const messageIds = async (queue: CreatedQueue): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    for (let i = 0; i < 3; i += 1) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
      for (const m of received.Messages ?? []) found.set(m.MessageId ?? '', m.Body ?? '');
    }
    return found;
  };
  const postsIn = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

  beforeAll(async () => {
    const endpoints = requireServices(services);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    const region = endpoints.moto.region;
    cloudwatch = createCloudWatchClient({ endpoint: endpoints.moto.endpoint, region, protocol: 'json', credentials: TEST_CREDENTIALS, maxAttempts: 2 });
    sfn = createSfnClient({ endpoint: endpoints.moto.endpoint, region, credentials: TEST_CREDENTIALS });
    const machine = await sfn.send(new CreateStateMachineCommand({
      name: uniqueQueueName('subcmd-sm'),
      roleArn: 'arn:aws:iam::123456789012:role/sfn',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }));
    stateMachineArn = machine.stateMachineArn ?? '';
    a = await createQueuePair(sqs, 'subcmd-a');
    b = await createQueuePair(sqs, 'subcmd-b');
    queueA = a.dlq.name;
    queueB = b.dlq.name;
    // A: a hostile body with message attributes, three expired presigned URLs (runbook pattern 1), one Step Functions job.
    await sendMessages(sqs, a.dlq.url, [
      {
        body: JSON.stringify({ job_id: 'hostile-1', errorMessage: 'Lambda failed <!channel> <!here> wake up, see <https://evil.example|the dashboard> & retry' }),
        attributes: { source: { DataType: 'String', StringValue: 'claims-api' }, attempt: { DataType: 'Number', StringValue: '3' } },
      },
      ...[0, 1, 2].map((i) => downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.expiredUrl, traceId: `evt-expired-${i}`, failedAt: new Date() })),
      JSON.stringify({ job_id: 'claim 9/b', errorMessage: 'Task timed out', failed_at: '2026-01-05T10:00:00Z' }),
    ]);
    for (const [id, body] of await messageIds(a.dlq)) {
      if (body.includes('hostile-1')) ids.set('hostile', id);
      if (body.includes('claim 9/b')) ids.set('reexecute', id);
    }
    expect([...ids.keys()].sort()).toEqual(['hostile', 'reexecute']);
    await sendMessages(sqs, b.dlq.url, Array.from({ length: 40 }, (_, i) => JSON.stringify({ orderId: i, error: 'Lambda timeout after 30000 ms' })));

    slack = await startSlackApiServer();
    dir = mkdtempSync(join(tmpdir(), 'redrive-subcommands-e2e-'));
    const parsed = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
      slack: { apiUrl: slack.url, mode: 'http' },
      aws: {
        region: endpoints.sqs.region,
        sqsEndpoint: endpoints.sqs.endpoint,
        cloudwatchEndpoint: endpoints.moto.endpoint,
        cloudwatchProtocol: 'json',
        stepFunctionsEndpoint: endpoints.moto.endpoint,
        alarmTopicArn: `arn:aws:sns:${region}:123456789012:redrive-alerts`,
      },
      roles: { admins: ['U_ALICE'], viewers: 'everyone' },
      queues: [
        { name: queueA, kind: 'sqs', queueUrl: a.dlq.url, alertChannel: CHANNEL, stateMachineArn, escalation: { preset: 'sqs-runbook' } },
        { name: queueB, kind: 'sqs', queueUrl: b.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' } },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const secrets = resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
    app = await startServer(parsed.config, secrets, quietLogger(), { slackRetries: 0, timers, replicaId: 'subcommands-e2e', slackJobs: { progressEveryMs: 0, pollMs: 200 } });
    await slack.waitForCalls('auth.test', 1);
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    if (a) await deleteQueues(sqs, a.source.url, a.dlq.url);
    if (b) await deleteQueues(sqs, b.source.url, b.dlq.url);
    if (queueA) await cloudwatch?.send(new DeleteAlarmsCommand({ AlarmNames: [`${queueA}-depth-alarm`] })).catch(() => undefined);
    if (stateMachineArn) await sfn?.send(new DeleteStateMachineCommand({ stateMachineArn })).catch(() => undefined);
    cloudwatch?.destroy();
    sfn?.destroy();
    sqs.destroy();
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('unknown input gets usage help: an unknown subcommand lists every subcommand, a bad flag names the flag and its usage', async () => {
    const unknown = await dlq('frobnicate now');
    expect(unknown.args.response_type).toBe('ephemeral');
    const help = shown(unknown);
    expect(help).toContain('Unknown subcommand "frobnicate".');
    for (const usage of ['status [queue]', 'view &lt;queue&gt; &lt;id&gt;', 'analyze &lt;queue&gt;', 'monitor &lt;queue&gt; [--interval S]', 'stop-monitor &lt;queue&gt;', 'alarms &lt;queue&gt;', 'history &lt;queue&gt; [--hours N]', 're-execute &lt;queue&gt; &lt;id&gt;', 'jobs [queue]', 'cancel &lt;job-id&gt;']) {
      expect(help).toContain(`/dlq ${usage}`);
    }
    const cases: [string, string, string][] = [
      [`peek ${queueA} --count lots`, '--count must be a positive whole number, got "lots".', 'Usage: /dlq peek &lt;queue&gt; [--count N]'],
      [`monitor ${queueA} --every 5`, 'Unknown option --every for monitor.', 'Usage: /dlq monitor &lt;queue&gt; [--interval S]'],
      [`monitor ${queueA} --interval 0`, '--interval must be a positive whole number, got "0".', 'Usage: /dlq monitor'],
      [`history ${queueA} --hours 1000`, '--hours is at most 360 (15 days).', 'Usage: /dlq history &lt;queue&gt; [--hours N]'],
      [`redrive-all ${queueA} --rate 9000`, '--rate is at most 500 messages a second.', 'Usage: /dlq redrive-all'],
      [`view ${queueA}`, 'Missing &lt;id&gt;.', 'Usage: /dlq view &lt;queue&gt; &lt;id&gt;'],
      ['cancel', 'Missing &lt;job-id&gt;.', 'Usage: /dlq cancel &lt;job-id&gt;'],
      [`alarms ${queueA} extra`, 'Too many arguments for alarms.', 'Usage: /dlq alarms &lt;queue&gt;'],
    ];
    for (const [text, error, usage] of cases) {
      const reply = await dlq(text);
      expect(reply.args.response_type, text).toBe('ephemeral');
      expect(shown(reply), text).toContain(error);
      expect(shown(reply), text).toContain(usage);
    }
    // Nothing ran: no monitor reading, the queue untouched.
    expect(postsIn(CHANNEL)).toEqual([]);
    expect(await depthOf(a.dlq)).toEqual({ visible: 5, inFlight: 0 });
  });

  it('status <queue>: the numbers are the queue\'s real depth, audited', async () => {
    const real = await depthOf(a.dlq);
    const reply = await dlq(`status ${queueA}`, 'U_CAROL');
    expect(reply.args.response_type).toBe('in_channel');
    expect(shown(reply)).toContain('DLQ status');
    expect(rowOf(reply, 'QUEUE')).toEqual(['QUEUE', 'KIND', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'OLDEST', 'GROWTH/MIN', 'LEVEL']);
    const row = rowOf(reply, queueA);
    expect(row?.slice(0, 5)).toEqual([queueA, 'sqs', String(real.visible), String(real.inFlight), '0']);
    expect(row?.[7]).toBe('OK');
    expect(real.visible).toBe(5);
    expect(rowOf(reply, queueB)).toBeUndefined();
    const [audit] = await audits('status', queueA);
    expect(audit).toMatchObject({ actor: 'U_CAROL', result: 'success', details: { depths: { [queueA]: 5 } } });
  });

  it('status with no queue: every configured queue with its real depth', async () => {
    const reply = await dlq('status', 'U_CAROL');
    expect(rowOf(reply, queueA)?.slice(0, 3)).toEqual([queueA, 'sqs', String((await depthOf(a.dlq)).visible)]);
    expect(rowOf(reply, queueB)?.slice(0, 3)).toEqual([queueB, 'sqs', String((await depthOf(b.dlq)).visible)]);
    expect(rowOf(reply, queueB)?.[2]).toBe('40');
    expect(reply.args.text).toContain(`${queueA}: 5 visible, ${queueB}: 40 visible`);
    const [audit] = (await audits('status')).filter((r) => r.queue === null);
    expect(audit).toMatchObject({ actor: 'U_CAROL', result: 'success', details: { depths: { [queueA]: 5, [queueB]: 40 } } });
  });

  it('view <queue> <message id>: the body and its attributes, escaped (no channel ping, no fake link), audited', async () => {
    const id = ids.get('hostile') ?? '';
    const reply = await dlq(`view ${queueA} ${id}`, 'U_CAROL');
    const text = shown(reply);
    expect(text).toContain(`Message in ${queueA}`);
    expect(rowOf(reply, 'message id')).toEqual(['message id', id]);
    expect(rowOf(reply, 'receive count')?.[1]).toMatch(/^\d+$/);
    // Message attributes, each on its own row.
    expect(text).toMatch(/attribute\s+source.*claims-api/);
    expect(text).toMatch(/attribute\s+attempt.*3/);
    // The body, pretty-printed and escaped: Slack renders the characters, it pings nobody.
    expect(text).toContain('"job_id": "hostile-1"');
    expect(text).toContain('Lambda failed &lt;!channel&gt; &lt;!here&gt; wake up, see &lt;https://evil.example|the dashboard&gt; &amp; retry');
    for (const raw of HOSTILE) expect(JSON.stringify(reply.args)).not.toContain(raw);
    // Viewing hides nothing and consumes nothing.
    expect((await depthOf(a.dlq)).visible).toBe(5);
    const [audit] = await audits('view', queueA);
    expect(audit).toMatchObject({ actor: 'U_CAROL', result: 'success', messageId: id });
  });

  it('analyze <queue>: names the runbook pattern of the expired presigned URLs and its action, audited', async () => {
    const reply = await dlq(`analyze ${queueA}`, 'U_CAROL');
    const text = shown(reply);
    expect(text).toContain(`Analysis of ${queueA}: 5 messages`);
    expect(reply.args.text).toContain('top pattern: Presigned URL expired or file deleted (404/410) (3)');
    expect(text).toContain('*Pattern:* Presigned URL expired or file deleted (404/410)');
    expect(text).toContain('resolve, or replay with a new URL');
    expect(text).toMatch(/expired-url\s+permanent\s+HTTP 404: Not Found - URL no longer available/);
    expect(text).toMatch(/Samples: `evt-expired-\d`/);
    // The presigned URL's signature never reaches Slack.
    expect(JSON.stringify(reply.args)).not.toContain('abc123def456');
    for (const raw of HOSTILE) expect(JSON.stringify(reply.args)).not.toContain(raw);
    expect((await depthOf(a.dlq)).visible).toBe(5);
    const [audit] = await audits('analyze', queueA);
    expect(audit).toMatchObject({ actor: 'U_CAROL', result: 'success' });
  });

  it('monitor <queue> posts a reading now and one every interval in its thread; stop-monitor stops them; both audited', async () => {
    const readings = () => postsIn(CHANNEL).filter((c) => shown(c).includes(`:bar_chart: *${queueA}*`));
    const reply = await dlq(`monitor ${queueA} --interval 60`);
    expect(shown(reply)).toContain(`Monitoring ${queueA} every 60s`);
    expect(rowOf(reply, 'visible now')).toEqual(['visible now', '5']);
    // The first reading opens a thread in the channel the command came from (no incident is open).
    const [first] = await waitFor(() => (readings().length === 1 ? readings() : null), { description: 'first monitor reading' });
    expect(first?.args.thread_ts).toBeUndefined();
    expect((first?.response as { ok: boolean }).ok).toBe(true);
    expect(shown(first)).toContain(`*${queueA}*: 5 visible, 0 in flight`);
    const threadTs = (first?.response as { ts: string }).ts;
    // Nothing more until the interval passes (the timers are driven by hand).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readings()).toHaveLength(1);
    await sendMessages(sqs, a.dlq.url, ['{"job_id":"late-1","errorMessage":"late failure"}', '{"job_id":"late-2","errorMessage":"late failure"}']);
    const next = await waitFor(() => {
      timers.runAll();
      return readings().find((c) => c.args.thread_ts === threadTs && shown(c).includes(': 7 visible'));
    }, { description: 'a reading of 7 in the thread' });
    expect(next.args.channel).toBe(CHANNEL);
    expect((next.response as { ok: boolean }).ok).toBe(true);
    expect(readings().slice(1).every((c) => c.args.thread_ts === threadTs)).toBe(true);
    // A second monitor on the same queue is refused while the first runs.
    expect(shown(await dlq(`monitor ${queueA}`))).toContain('already monitored');

    const stop = await dlq(`stop-monitor ${queueA}`);
    expect(shown(stop)).toContain(`Stopped monitoring ${queueA}`);
    const count = readings().length;
    for (let i = 0; i < 3; i += 1) {
      timers.runAll();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(readings()).toHaveLength(count);
    const again = await dlq(`stop-monitor ${queueA}`);
    expect(shown(again)).toContain(`${queueA} was not being monitored`);
    expect((await audits('monitor', queueA)).map((r) => r.result)).toEqual(['failure', 'success']);
    expect((await audits('monitor', queueA))[1]).toMatchObject({ actor: 'U_ALICE', details: { intervalSeconds: 60 } });
    expect((await audits('stop-monitor', queueA)).map((r) => [r.actor, r.result])).toEqual([['U_ALICE', 'success'], ['U_ALICE', 'success']]);
  });

  it('alarms <queue> creates the runbook depth alarm in CloudWatch (moto) pointing at the bot\'s topic; a second run leaves it unchanged', async () => {
    const name = `${queueA}-depth-alarm`;
    const created = await dlq(`alarms ${queueA}`);
    expect(shown(created)).toContain(`CloudWatch alarms for ${queueA}`);
    expect(shown(created)).toContain('Depth alarm created.');
    const row = rowOf(created, name);
    expect(row?.slice(0, 4)).toEqual([name, DEPTH_METRIC, '&gt; 10 (300s)', '2']);
    const [alarm] = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];
    expect(alarm).toMatchObject({
      AlarmName: name,
      Namespace: 'AWS/SQS',
      MetricName: DEPTH_METRIC,
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 2,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: queueA }],
      AlarmActions: [expect.stringMatching(/:redrive-alerts$/)],
    });
    const second = await dlq(`alarms ${queueA}`);
    expect(shown(second)).toContain('Depth alarm unchanged.');
    expect(rowOf(second, name)?.[0]).toBe(name);
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: queueA }))).MetricAlarms?.map((m) => m.AlarmName)).toEqual([name]);
    expect((await audits('alarms', queueA)).map((r) => [r.actor, r.result])).toEqual([['U_ALICE', 'success'], ['U_ALICE', 'success']]);
    // Only admins create alarms.
    expect(shown(await dlq(`alarms ${queueA}`, 'U_CAROL'))).toContain('needs the admin role');
    expect((await audits('alarms', queueA))[0]).toMatchObject({ actor: 'U_CAROL', result: 'denied' });
  });

  it('history <queue>: CloudWatch GetMetricData (moto) beside the samples Redrive stored, audited', async () => {
    await cloudwatch.send(new PutMetricDataCommand({
      Namespace: 'AWS/SQS',
      MetricData: ([[30, 5], [20, 12], [10, 40]] as const).map(([ago, value]) => ({ MetricName: DEPTH_METRIC, Dimensions: [{ Name: 'QueueName', Value: queueA }], Timestamp: minutesAgo(ago), Value: value })),
    }));
    await app.store.addDepthSample({ queue: queueA, at: minutesAgo(25), depth: 6 });
    await app.store.addDepthSample({ queue: queueA, at: minutesAgo(15), depth: 42 });
    await app.store.addDepthSample({ queue: queueA, at: minutesAgo(300), depth: 99 }); // outside the 2 hours
    const reply = await dlq(`history ${queueA} --hours 2`, 'U_CAROL');
    const samples = await app.store.listDepthSamples(queueA, { since: new Date(Date.now() - 2 * 3_600_000) });
    const text = shown(reply);
    expect(text).toContain(`Depth history of ${queueA}: last 2 h`);
    expect(text).toMatch(/CloudWatch visible \(max per 1 min\): \S+ {2}min 5, max 40, latest 40 at .* \(3 points\)/);
    // Status and monitor stored the readings above (5 and 7 visible); the poller some more.
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(new RegExp(`Stored samples: \\S+ {2}min 5, max 42, latest ${samples.at(-1)?.depth} at .* \\(${samples.length} points\\)`));
    // The 99 from 5 hours ago is in no row and no figure (the random queue name may hold "99").
    expect(text.replaceAll(queueA, '')).not.toMatch(/\b99\b/);
    expect(text).toMatch(/TIME \(UTC\)\s+CLOUDWATCH\s+STORED/);
    const [audit] = await audits('history', queueA);
    expect(audit).toMatchObject({ actor: 'U_CAROL', result: 'success', details: { hours: 2, cloudwatchPoints: 3, samples: samples.length } });
  });

  it('re-execute <queue> <id>: starts the state machine on moto with reprocessed: true, then the message leaves the DLQ; audited', async () => {
    const id = ids.get('reexecute') ?? '';
    const before = (await depthOf(a.dlq)).visible;
    const reply = await dlq(`re-execute ${queueA} ${id}`);
    const text = shown(reply);
    expect(text).toContain(`Re-executed ${id} in sfn:`);
    expect(rowOf(reply, 'removed from DLQ')).toEqual(['removed from DLQ', 'yes']);
    const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
    expect(executions).toHaveLength(1);
    const [execution] = executions;
    expect(execution?.name).toMatch(/^dlq-reprocess-claim_9_b-\d{13}-[0-9a-f]{8}$/);
    expect(rowOf(reply, 'execution')?.[1]).toContain(execution?.name ?? '-');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution?.executionArn }));
    expect(JSON.parse(described.input ?? '{}')).toEqual({
      job_id: 'claim 9/b',
      errorMessage: 'Task timed out',
      failed_at: '2026-01-05T10:00:00Z',
      reprocessed: true,
      original_failure_time: '2026-01-05T10:00:00.000Z',
    });
    expect((await depthOf(a.dlq)).visible).toBe(before - 1);
    expect((await messageIds(a.dlq)).has(id)).toBe(false);
    const [audit] = (await app.store.searchAudit({ queue: queueA, ref: id, limit: 10 })).filter((r) => r.action === 'reexecute');
    expect(audit).toMatchObject({ actor: 'U_ALICE', result: 'success', messageId: id });
  });

  it('jobs lists a running redrive job with its counts; cancel stops it after its batch; both audited', async () => {
    const started = await dlq(`redrive-batch ${queueB} --count 40 --rate 2`);
    const jobId = jobIdIn(started);
    expect(jobId).not.toBe('');
    await waitFor(async () => ((await app.store.getJob(jobId))?.progress.done ?? 0) > 0, { timeoutMs: 15_000, description: 'the job replayed something' });

    const listed = await dlq(`jobs ${queueB}`, 'U_CAROL');
    const text = shown(listed);
    expect(text).toContain(`Jobs on ${queueB}: 1 running, 1 shown`);
    const row = rowOf(listed, jobId);
    expect(row?.slice(0, 4)).toEqual([jobId, 'redrive-batch', queueB, 'running']);
    const [done, failed, total] = (row ?? []).slice(4, 7).map(Number);
    expect(done).toBeGreaterThan(0);
    expect(failed).toBe(0);
    expect(total).toBe(40);
    expect(text).toContain(`\`${jobId}\` redrive-batch on ${queueB}: *${done}/40* done, 0 failed`);
    expect((await audits('jobs', queueB))[0]).toMatchObject({ actor: 'U_CAROL', result: 'success' });

    const cancel = await dlq(`cancel ${jobId}`);
    expect(shown(cancel)).toContain(`Cancel requested for redrive-batch job ${jobId} on ${queueB}`);
    await app.slackJobs.idle();
    const job = await app.store.getJob(jobId);
    expect(job?.status).toBe('cancelled');
    const moved = job?.progress.done ?? 0;
    expect(moved).toBeLessThan(40);
    expect(await depthOf(b.dlq)).toEqual({ visible: 40 - moved, inFlight: 0 });
    expect((await depthOf(b.source)).visible).toBe(moved);
    const [audit] = await app.store.searchAudit({ ref: jobId, action: 'cancel', limit: 5 });
    expect(audit).toMatchObject({ actor: 'U_ALICE', result: 'success' });

    // jobs over all queues shows it cancelled with its final count; a second cancel changes nothing.
    const all = await dlq('jobs', 'U_CAROL');
    expect(shown(all)).toContain('Jobs on all queues: 0 running');
    expect(rowOf(all, jobId)?.slice(0, 5)).toEqual([jobId, 'redrive-batch', queueB, 'cancelled', String(moved)]);
    expect(shown(await dlq(`cancel ${jobId}`))).toContain(`Job ${jobId} had already ended (cancelled)`);
    expect(await depthOf(b.dlq)).toEqual({ visible: 40 - moved, inFlight: 0 });
  });

  it('cancel stops a running message move task (redrive-all): CancelMessageMoveTask, the unmoved messages stay in the DLQ', async () => {
    const inDlq = (await depthOf(b.dlq)).visible;
    const inSource = (await depthOf(b.source)).visible;
    expect(inDlq).toBeGreaterThan(10);
    const started = await dlq(`redrive-all ${queueB} --rate 2`);
    expect(shown(started)).toContain('message move task');
    const jobId = jobIdIn(started);
    expect(jobId).not.toBe('');
    await waitFor(async () => (await depthOf(b.source)).visible > inSource, { timeoutMs: 20_000, description: 'the first moved message' });

    const listed = await dlq(`jobs ${queueB}`, 'U_CAROL');
    expect(rowOf(listed, jobId)?.slice(0, 4)).toEqual([jobId, 'redrive-all', queueB, 'running (RUNNING)']);
    expect(rowOf(listed, jobId)?.[6]).toBe(String(inDlq));
    expect(rowOf(listed, jobId)?.[8]).toMatch(/\(cap 2\)$/);

    const cancel = await dlq(`cancel ${jobId}`);
    expect(shown(cancel)).toMatch(new RegExp(`Cancelled redrive-all job ${jobId} on ${queueB}: \\d+ message\\(s\\) had moved`));
    expect(shown(cancel)).toContain('CancelMessageMoveTask sent');
    await app.slackJobs.idle();
    expect((await app.store.getJob(jobId))?.status).toBe('cancelled');
    const moved = (await depthOf(b.source)).visible - inSource;
    // Nothing more moves: a pause longer than the task's interval (2/s), as there is no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await depthOf(b.source)).visible - inSource).toBe(moved);
    expect(moved).toBeLessThan(inDlq);
    expect(await depthOf(b.dlq)).toEqual({ visible: inDlq - moved, inFlight: 0 });
    expect((await app.store.searchAudit({ ref: jobId, action: 'cancel', limit: 5 }))[0]).toMatchObject({ actor: 'U_ALICE', result: 'success' });
  });

  it('monitor on a queue with an open incident posts its readings in the incident\'s thread', async () => {
    const inDlq = (await depthOf(b.dlq)).visible;
    await sendMessages(sqs, b.dlq.url, Array.from({ length: 60 - inDlq }, (_, i) => JSON.stringify({ orderId: 100 + i, error: 'Lambda timeout after 30000 ms' })));
    await app.poller.pollOnce();
    await app.incidents.flush();
    const [incident] = await app.store.listIncidents({ queue: queueB, limit: 1 });
    expect(incident).toMatchObject({ status: 'open', level: 'L1', slackChannel: CHANNEL });
    const before = slack.callsTo('chat.postMessage').length;
    const reply = await dlq(`monitor ${queueB} --interval 30`);
    expect(rowOf(reply, 'visible now')).toEqual(['visible now', '60']);
    const reading = await waitFor(() => slack.callsTo('chat.postMessage').slice(before).find((c) => shown(c).includes(`:bar_chart: *${queueB}*`)), { description: 'a reading in the incident thread' });
    expect(reading.args).toMatchObject({ channel: CHANNEL, thread_ts: incident?.slackTs });
    expect(shown(reading)).toContain(`*${queueB}*: 60 visible, 0 in flight`);
    expect(shown(reading)).toContain('level L1');
    expect(shown(await dlq(`stop-monitor ${queueB}`))).toContain(`Stopped monitoring ${queueB}`);
  });

  it('every reply and thread message passed the Block Kit checks, and no queue text pinged anyone', () => {
    const replies = slack.calls.filter((c) => c.method === 'response_url' || c.method.startsWith('chat.'));
    expect(replies.length).toBeGreaterThan(20);
    for (const call of replies) {
      expect(call.status, `${call.method}: ${JSON.stringify(call.response)}`).toBe(200);
      expect((call.response as { ok?: boolean }).ok, `${call.method}: ${JSON.stringify(call.response)}`).toBe(true);
      for (const raw of HOSTILE) expect(JSON.stringify(call.args)).not.toContain(raw);
    }
  });
});
