// redrive-all through SQS's own message move task on ElasticMQ (progress from ListMessageMoveTasks,
// cancel), and Step Functions re-execution on moto (runbook input and execution name).

import { afterEach, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { createSfnClient, executionInput, executionName } from '../../../src/adapters/outbound/stepfunctions/sfn-replay-target.ts';
import { createSqsQueueBackend } from '../../../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { refreshMoveTask, startMoveTask } from '../../../src/app/queue/move-task.use-case.ts';
import { peekMessages } from '../../../src/app/queue/read-queue.use-case.ts';
import { replayMessage } from '../../../src/app/queue/change-queue.use-case.ts';
import { createQueueRegistry } from '../../../src/app/queue-registry.ts';
import { renderReplyForTerminal } from '../../../src/adapters/inbound/cli/render-terminal.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { SqsQueueConfig } from '../../../src/config/config.schema.ts';
import { auditOf, cli, makeAppEnv, useSqliteStore, type AppEnv } from './sqs-app-env.ts';
import { motoEndpoint, queueDepth, sendMessages, services, TEST_CREDENTIALS, uniqueQueueName } from './sqs-test-env.ts';
import { waitFor } from '../../support/services.ts';

describe.skipIf(!services)('redrive-all and re-execution', () => {
  const store = useSqliteStore();
  let env: AppEnv;
  afterEach(async () => env?.cleanup());

  it('redrive-all starts a message move task at the given rate; progress comes from ListMessageMoveTasks', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, Array.from({ length: 30 }, (_, i) => `{"n":${i}}`));
    const text = renderReplyForTerminal(await env.router.handleArgs(['redrive-all', env.queue, '--rate', '50'], cli));
    expect(text).toContain('Started message move task');
    const [job] = await env.store.listJobs({ queue: env.queue });
    expect(job?.kind).toBe('redrive-all');
    await waitFor(async () => (await queueDepth(env.client, env.source.url)).visible === 30, { timeoutMs: 20_000, description: '30 messages moved' });
    await waitFor(async () => (await refreshMoveTask(env.deps, job!.id)).job.status === 'succeeded', { timeoutMs: 20_000, description: 'the move task to complete' });
    const view = await refreshMoveTask(env.deps, job!.id);
    expect(view.job.progress.done).toBe(30);
    expect(view.tasks[0]).toMatchObject({ status: 'COMPLETED', ratePerSecond: 50 });
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    expect((await auditOf(env)).find((a) => a.action === 'redrive-all')).toMatchObject({ result: 'success' });
  });

  it('refuses a move rate above 500 a second', async () => {
    env = await makeAppEnv({ store: store() });
    await expect(startMoveTask(env.deps, { queue: env.queue, ratePerSecond: 501, actor: 'cli:test' })).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });

  it('re-executes a message in Step Functions with the runbook input, then deletes it', async () => {
    env = await makeAppEnv({ store: store() });
    const moto = motoEndpoint();
    const sfn = createSfnClient({ endpoint: moto.endpoint, region: moto.region, credentials: TEST_CREDENTIALS });
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: uniqueQueueName('frontier-sm'),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      }),
    );
    const arn = machine.stateMachineArn ?? '';
    const config = { name: env.queue, kind: 'sqs', queueUrl: env.dlq.url, escalation: { preset: 'sqs-runbook' }, alarmNames: [], replayTarget: { kind: 'source' }, stateMachineArn: arn } as SqsQueueConfig;
    const backend = createSqsQueueBackend(config, { sqs: env.client, sfn, cloudwatch: null, clock: systemClock, alarmTopicArn: null });
    const deps = { ...env.deps, registry: createQueueRegistry([backend]) };
    await sendMessages(env.client, env.dlq.url, ['{"job_id":"city/42","url":"https://x"}', 'raw text body']);
    const messages = await peekMessages(deps, env.queue, 2, 'cli:test');
    for (const message of messages) await replayMessage(deps, { queue: env.queue, id: message.messageKey, actor: 'cli:test', via: 'reexecute' });
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions ?? [];
    expect(executions).toHaveLength(2);
    for (const execution of executions) expect(execution.name).toMatch(/^dlq-reprocess-[A-Za-z0-9_-]+-\d{10}$/);
    const inputs = await Promise.all(executions.map(async (e) => JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input ?? '{}')));
    expect(inputs).toContainEqual(expect.objectContaining({ job_id: 'city/42', reprocessed: true, original_failure_time: expect.any(String) }));
    expect(inputs).toContainEqual(expect.objectContaining({ body: 'raw text body', reprocessed: true }));
    expect(executions.map((e) => e.name)).toContainEqual(expect.stringMatching(/^dlq-reprocess-city_42-/));
    sfn.destroy();
  });

  it('execution names are sanitised and at most 80 characters; non-JSON bodies are wrapped', () => {
    const name = executionName(`weird id/with spaces:${'x'.repeat(100)}`, 1_700_000_000);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^dlq-reprocess-[A-Za-z0-9_-]+-1700000000$/);
    expect(JSON.parse(executionInput('[1,2]', new Date(0)))).toEqual({ body: '[1,2]', reprocessed: true, original_failure_time: '1970-01-01T00:00:00.000Z' });
  });
});
