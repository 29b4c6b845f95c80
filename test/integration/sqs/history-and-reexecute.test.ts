// `/dlq history` on ElasticMQ + moto (CloudWatch GetMetricData next to the depth samples Redrive
// stored, and the samples alone when CloudWatch fails) and `/dlq re-execute` on moto's Step Functions
// (the runbook's input and execution name, the DLQ delete only after StartExecution succeeded).

import { afterEach, describe, expect, it } from 'vitest';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createCloudWatchClient } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import { DEPTH_METRIC } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-queue-alarms.ts';
import { createSfnClient } from '../../../src/adapters/outbound/stepfunctions/sfn-replay-target.ts';
import { createSqsQueueBackend } from '../../../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { createDlqCommandRouter } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import type { SqsQueueConfig } from '../../../src/config/config.schema.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { auditOf, cli, makeAppEnv, useSqliteStore, type AppEnv } from './sqs-app-env.ts';
import { motoEndpoint, queueDepth, sendMessages, services, TEST_CREDENTIALS, uniqueQueueName } from './sqs-test-env.ts';

describe.skipIf(!services)('history and re-execute', () => {
  const store = useSqliteStore();
  let env: AppEnv;
  let sfn: SFNClient | null = null;
  afterEach(async () => {
    sfn?.destroy();
    sfn = null;
    await env?.cleanup();
  });

  /** The env's queue rebuilt with CloudWatch and/or Step Functions clients, behind a fresh router. */
  const withClients = (clients: { cloudwatchEndpoint?: string; stateMachineArn?: string }) => {
    const moto = motoEndpoint();
    const cloudwatch = clients.cloudwatchEndpoint
      ? createCloudWatchClient({ endpoint: clients.cloudwatchEndpoint, region: moto.region, protocol: 'json', credentials: TEST_CREDENTIALS, maxAttempts: 1 })
      : null;
    sfn = createSfnClient({ endpoint: moto.endpoint, region: moto.region, credentials: TEST_CREDENTIALS });
    const config = {
      name: env.queue,
      kind: 'sqs',
      queueUrl: env.dlq.url,
      escalation: { preset: 'sqs-runbook' },
      alarmNames: [],
      replayTarget: { kind: 'source' },
      ...(clients.stateMachineArn ? { stateMachineArn: clients.stateMachineArn } : {}),
    } as SqsQueueConfig;
    const backend = createSqsQueueBackend(config, { sqs: env.client, sfn, cloudwatch, clock: systemClock, alarmTopicArn: null });
    const deps = { ...env.deps, registry: createQueueRegistry([backend]) };
    return createDlqCommandRouter(createQueueOperations(deps));
  };

  const minutesAgo = (n: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - n * 60_000);
  const storeSamples = async (points: [number, number][]) => {
    for (const [ago, depth] of points) await env.store.addDepthSample({ queue: env.queue, at: minutesAgo(ago), depth });
  };

  it('history shows CloudWatch ApproximateNumberOfMessagesVisible beside the stored samples, and is audited', async () => {
    env = await makeAppEnv({ store: store() });
    const moto = motoEndpoint();
    const cloudwatch = createCloudWatchClient({ endpoint: moto.endpoint, region: moto.region, protocol: 'json', credentials: TEST_CREDENTIALS });
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/SQS',
        MetricData: ([[30, 5], [20, 12], [10, 40]] as const).map(([ago, value]) => ({
          MetricName: DEPTH_METRIC,
          Dimensions: [{ Name: 'QueueName', Value: env.dlq.name }],
          Timestamp: minutesAgo(ago),
          Value: value,
        })),
      }),
    );
    cloudwatch.destroy();
    await storeSamples([[25, 6], [15, 14], [5, 38], [200, 99]]);
    const router = withClients({ cloudwatchEndpoint: moto.endpoint });
    const text = renderReplyForTerminal(await router.handleArgs(['history', env.queue, '--hours', '2'], cli));
    expect(text).toContain(`Depth history of ${env.queue}: last 2 h`);
    expect(text).toMatch(/CloudWatch visible \(max per 1 min\): \S+ {2}min 5, max 40, latest 40 at .* \(3 points\)/);
    // The sample from 200 minutes ago is outside the 2 hours asked for.
    expect(text).toMatch(/Stored samples: \S+ {2}min 6, max 38, latest 38 at .* \(3 points\)/);
    expect(text).toMatch(/TIME \(UTC\)\s+CLOUDWATCH\s+STORED/);
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d\s+40\s+-/);
    const [audit] = await auditOf(env);
    expect(audit).toMatchObject({ action: 'history', result: 'success', details: { hours: 2, cloudwatchPoints: 3, samples: 3 } });
  });

  it('history falls back to the stored samples when CloudWatch does not answer, and says so', async () => {
    env = await makeAppEnv({ store: store() });
    await storeSamples([[50, 3], [40, 7]]);
    const router = withClients({ cloudwatchEndpoint: 'http://127.0.0.1:9' });
    const text = renderReplyForTerminal(await router.handleArgs(['history', env.queue], cli));
    expect(text).toContain('last 24 h');
    expect(text).toMatch(/Stored samples: .* max 7, latest 7/);
    expect(text).toMatch(/CloudWatch could not be read \(DLQ_UNREACHABLE: .*\); stored samples only/);
    const usage = renderReplyForTerminal(await router.handleArgs(['history', env.queue, '--hours', 'x'], cli));
    expect(usage).toMatch(/--hours must be a positive whole number, got "x"[\s\S]*Usage: \/dlq history <queue> \[--hours N\]/);
  });

  it('re-execute starts the state machine with the runbook input and deletes the message only after the start', async () => {
    env = await makeAppEnv({ store: store() });
    const moto = motoEndpoint();
    const client = createSfnClient({ endpoint: moto.endpoint, region: moto.region, credentials: TEST_CREDENTIALS });
    const machine = await client.send(
      new CreateStateMachineCommand({
        name: uniqueQueueName('reexec-sm'),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      }),
    );
    const arn = machine.stateMachineArn ?? '';
    await sendMessages(env.client, env.dlq.url, ['{"job_id":"claim 7/a","errorMessage":"Task timed out","failed_at":"2026-01-05T10:00:00Z"}']);
    const router = withClients({ stateMachineArn: arn });
    const text = renderReplyForTerminal(await router.handleArgs(['re-execute', env.queue, 'claim 7/a'], cli));
    expect(text).toMatch(/Re-executed \S+ in sfn:/);
    expect(text).toMatch(/removed from DLQ\s+yes/);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const [execution] = (await client.send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions ?? [];
    expect(execution?.name).toMatch(/^dlq-reprocess-claim_7_a-\d{13}-[0-9a-f]{8}$/);
    expect(execution?.name?.length).toBeLessThanOrEqual(80);
    const input = JSON.parse((await client.send(new DescribeExecutionCommand({ executionArn: execution?.executionArn }))).input ?? '{}');
    expect(input).toMatchObject({ job_id: 'claim 7/a', errorMessage: 'Task timed out', reprocessed: true });
    // The failure time the body carries (through the field mapping), not the time of the re-execution.
    expect(input.original_failure_time).toBe('2026-01-05T10:00:00.000Z');
    expect((await auditOf(env)).find((a) => a.action === 'reexecute')).toMatchObject({ result: 'success', messageId: expect.any(String) });
    client.destroy();
  });

  it('a refused StartExecution leaves the message in the DLQ, visible; no state machine is a clear error', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, ['{"job_id":"j-1"}']);
    const missing = `arn:aws:states:${motoEndpoint().region}:123456789012:stateMachine:${uniqueQueueName('nowhere')}`;
    const router = withClients({ stateMachineArn: missing });
    await expect(router.handleArgs(['re-execute', env.queue, 'j-1'], cli)).rejects.toMatchObject({ code: 'DLQ_QUEUE_MISSING', message: expect.stringContaining('StartExecution on sfn:') });
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 1, inFlight: 0 });
    expect((await auditOf(env)).find((a) => a.action === 'reexecute')).toMatchObject({ result: 'failure' });
    await expect(env.router.handleArgs(['re-execute', env.queue, 'j-1'], cli)).rejects.toMatchObject({
      code: 'DLQ_OPERATION_UNSUPPORTED',
      message: expect.stringContaining('has no Step Functions state machine configured'),
    });
    const usage = renderReplyForTerminal(await env.router.handleArgs(['re-execute', env.queue], cli));
    expect(usage).toMatch(/Missing <id>[\s\S]*Usage: \/dlq re-execute <queue> <id>/);
  });
});
