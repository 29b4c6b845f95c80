// `redrive dlq analyze` on ElasticMQ through the router: runbook-shaped download bodies, SQS/Lambda
// error bodies and a non-JSON body are grouped by error signature with the runbook pattern and its
// action; the verdict is isolated for a mix and systematic for one error from one domain; the
// queue's fieldMapping is honoured; and the DLQ is unchanged afterwards (same depth, nothing consumed).

import { afterEach, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { replayMessage } from '../../../src/app/messages/replay-message.use-case.ts';
import { peekMessages } from '../../../src/app/messages/read-queue.use-case.ts';
import { waitFor } from '../../support/services.ts';
import { downloadDlqBodyJson, RUNBOOK_EXAMPLES, type RunbookExampleName } from '../../fixtures/download-dlq-body.ts';
import { auditOf, cli, makeAppEnv, useSqliteStore, type AppEnv } from './sqs-app-env.ts';
import { queueDepth, sendMessages, services } from './sqs-test-env.ts';

const minutesAgo = (minutes: number): Date => new Date(Date.now() - minutes * 60_000);

const runbookBodies = (name: RunbookExampleName, count: number, ageMinutes: number): string[] =>
  Array.from({ length: count }, (_, i) => downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES[name], traceId: `evt-${name}-${i}`, failedAt: minutesAgo(ageMinutes + i) }));

/** What a Lambda on-failure destination or a Step Functions catch leaves in the runbook's SQS DLQ. */
const lambdaBodies = [
  JSON.stringify({ job_id: 'city-1', errorType: 'KeyError', errorMessage: "'city'" }),
  JSON.stringify({ job_id: 'city-2', errorType: 'KeyError', errorMessage: "'city'" }),
  JSON.stringify({ job_id: 'city-3', responsePayload: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 900.10 seconds' } }),
];
const RAW_BODY = 'Traceback (most recent call last): worker crashed <!channel> password=hunter2-secret';

describe.skipIf(!services)('analyze on ElasticMQ', () => {
  const store = useSqliteStore();
  let env: AppEnv;
  afterEach(async () => env?.cleanup());

  it('groups a mixed DLQ by signature with the runbook pattern, says isolated, and consumes nothing', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, [
      ...runbookBodies('expiredUrl', 3, 30),
      ...runbookBodies('fileType', 2, 120),
      ...runbookBodies('timeout', 2, 30 * 60),
      ...runbookBodies('oneLakeAuth', 1, 8 * 24 * 60),
      ...lambdaBodies,
      RAW_BODY,
    ]);
    const before = await queueDepth(env.client, env.dlq.url);
    expect(before).toEqual({ visible: 12, inFlight: 0 });

    const reply = await env.router.handleArgs(['analyze', env.queue], cli);
    const text = renderReplyForTerminal(reply);

    expect(text).toContain(`Analysis of ${env.queue}: 12 messages`);
    expect(text).toContain('Verdict: Isolated: no single error or domain covers 80% of 12 messages.');
    // Groups by error signature, each with its runbook pattern and category.
    expect(text).toMatch(/1\s+3\s+25%\s+expired-url\s+permanent\s+HTTP 404: Not Found - URL no longer available/);
    expect(text).toMatch(/\d\s+2\s+17%\s+transient-exhausted\s+transient\s+Connection timeout after <n>s - retries exhausted/);
    expect(text).toMatch(/\d\s+2\s+17%\s+file-type-not-allowed\s+permanent\s+File type validation failed/);
    expect(text).toMatch(/\d\s+2\s+17%\s+data-format\s+-\s+KeyError: '<v>'/);
    expect(text).toMatch(/\d\s+1\s+8%\s+timeout\s+-\s+Sandbox\.Timedout: Task timed out after <n> seconds/);
    expect(text).toMatch(/\d\s+1\s+8%\s+upload-auth\s+transient\s+OneLake upload failed/);
    expect(text).toMatch(/\d\s+1\s+8%\s+no-error-info\s+-\s+\(unparsed body\)/);
    // The top group's pattern, its runbook reference and the action it suggests.
    expect(text).toContain('Pattern: Presigned URL expired or file deleted (404/410) — Kafka DLQ runbook, Pattern 1');
    expect(text).toContain('Suggested action (resolve): Presigned URL expired or file deleted: resolve, or replay with a new URL');
    expect(text).toMatch(/Samples: evt-expiredUrl-\d, evt-expiredUrl-\d, evt-expiredUrl-\d/);
    // Category, job type, retry count (0 permanent, 4 exhausted, SQS receive count), age, domain, shape.
    expect(text).toMatch(/permanent\s+5\s+42%/);
    expect(text).toMatch(/claim\s+8\s+67%/);
    expect(text).toMatch(/0\s+direct to DLQ \(permanent error\)\s+5/);
    expect(text).toMatch(/4\s+retries exhausted \(4\)\s+3/);
    expect(text).toMatch(/\d+\s+received \d+ times? \(SQS receive count, peeks included\)\s+4/);
    expect(text).toMatch(/<1h\s+7\s+58%/);
    expect(text).toMatch(/1-24h\s+2\s+17%/);
    expect(text).toMatch(/1-7d\s+2\s+17%/);
    expect(text).toMatch(/>7d\s+1\s+8%/);
    expect(text).toMatch(/example\.com\s+3\s+25%\s+HTTP 404/);
    expect(text).toMatch(/\{errorMessage:string,errorType:string,job_id:string\}\s+2/);
    expect(text).toMatch(/raw\s+1\s+8%/);
    // Findings, most severe first: the warnings (raw body, > 7 days) before the pattern notes.
    expect(text.indexOf('not a JSON object')).toBeLessThan(text.indexOf('× Presigned URL expired'));
    expect(text).toContain('older than 7 days');
    // Queue text is redacted and escaped before it reaches Slack.
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).not.toContain('hunter2-secret');
    expect(blocks).not.toContain('abc123def456');
    // Nothing consumed: same depth, nothing left in flight, every message still readable.
    expect(await queueDepth(env.client, env.dlq.url)).toEqual(before);
    expect(text).toContain('Nothing was consumed');
    const [audit] = (await auditOf(env)).filter((a) => a.action === 'analyze');
    expect(audit).toMatchObject({ result: 'success', actor: 'cli:test' });
    expect(audit?.details).toMatchObject({
      scanned: 12,
      limited: false,
      systematic: false,
      patterns: { 'expired-url': 3, 'file-type-not-allowed': 2, 'transient-exhausted': 2, 'data-format': 2, timeout: 1, 'upload-auth': 1, 'no-error-info': 1 },
    });
    expect(JSON.stringify(audit)).not.toContain('hunter2');
  });

  it('one error from one domain is systematic, read through the queue’s own field mapping', async () => {
    env = await makeAppEnv({ store: store(), queueConfig: { fieldMapping: { errorText: 'failure.detail', url: 'source.link', traceId: 'ref' } } });
    await sendMessages(
      env.client,
      env.dlq.url,
      Array.from({ length: 12 }, (_, i) =>
        JSON.stringify({ ref: `doc-${i}`, failure: { detail: `SSL certificate verification failed for request ${1000 + i}` }, source: { link: `https://bad-cert.example/files/${i}.pdf` } }),
      ),
    );
    const text = renderReplyForTerminal(await env.router.handleArgs(['analyze', env.queue], cli));
    expect(text).toContain('Verdict: Systematic: of 12 messages, 100% share the error “SSL certificate verification failed for request <n>” and 100% come from bad-cert.example.');
    expect(text).toContain('Action: Pause the consumer and escalate');
    expect(text).toMatch(/1\s+12\s+100%\s+ssl-certificate\s+-\s+SSL certificate verification failed for request <n>/);
    expect(text).toContain('Pattern: TLS certificate verification failed at the source');
    expect(text).toMatch(/Samples: doc-\d+, doc-\d+, doc-\d+/);
    const findings = text.slice(text.indexOf('Findings'));
    expect(findings.split('\n')[1]).toMatch(/^Systematic/);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 12, inFlight: 0 });
  });

  it('a replayed message that fails again and comes back is reported as a replay failure', async () => {
    env = await makeAppEnv({ store: store() });
    const body = downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.timeout, traceId: 'evt-comes-back', failedAt: minutesAgo(5) });
    await sendMessages(env.client, env.dlq.url, [body, downloadDlqBodyJson({ ...RUNBOOK_EXAMPLES.fileType, traceId: 'evt-stays', failedAt: minutesAgo(5) })]);
    const [first] = (await peekMessages(env.deps, env.queue, 2, 'cli:test')).filter((m) => m.body === body);
    await replayMessage(env.deps, { queue: env.queue, id: first!.messageKey, actor: 'U0REPLAYER' });
    // The consumer fails it again: SQS's own redrive policy (maxReceiveCount 5) moves it back to the DLQ.
    await waitFor(
      async () => {
        await env.client.send(new ReceiveMessageCommand({ QueueUrl: env.source.url, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }));
        return (await queueDepth(env.client, env.dlq.url)).visible === 2;
      },
      { timeoutMs: 20_000, description: 'the replayed message to come back to the DLQ' },
    );
    const text = renderReplyForTerminal(await env.router.handleArgs(['analyze', env.queue], cli));
    expect(text).toContain('Replay failures: 1 message came back to the DLQ after being replayed: the cause is not fixed.');
    expect(text).toMatch(/was replayed by U0REPLAYER at \d{4}-\d\d-\d\d \d\d:\d\dZ to sqs:app-/);
    const [audit] = (await auditOf(env)).filter((a) => a.action === 'analyze');
    expect(audit?.details).toMatchObject({ scanned: 2, returnedAfterReplay: 1 });
  });

  it('an empty DLQ gets a short answer and an audit record', async () => {
    env = await makeAppEnv({ store: store() });
    const text = renderReplyForTerminal(await env.router.handleArgs(['analyze', env.queue], cli));
    expect(text).toContain('holds no messages');
    expect((await auditOf(env)).map((a) => [a.action, a.result])).toContainEqual(['analyze', 'success']);
  });
});
