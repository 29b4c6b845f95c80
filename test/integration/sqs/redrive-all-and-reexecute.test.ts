// redrive-all through SQS's own message move task on ElasticMQ (progress from ListMessageMoveTasks,
// cancel), and Step Functions re-execution on moto (runbook input and execution name).

import { afterEach, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createSfnClient, executionInput, executionName, messageTag, SfnReplayTarget } from '../../../src/adapters/outbound/stepfunctions/sfn-replay-target.ts';
import { createSqsQueueBackend } from '../../../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { refreshMoveTask, startMoveTask } from '../../../src/app/jobs/move-task.use-case.ts';
import { peekMessages } from '../../../src/app/messages/read-queue.use-case.ts';
import { replayMessage } from '../../../src/app/messages/replay-message.use-case.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { fixedClock, systemClock, type Clock } from '../../../src/ports/clock.port.ts';
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
    for (const execution of executions) expect(execution.name).toMatch(/^dlq-reprocess-[A-Za-z0-9_-]+-\d{13}-[0-9a-f]{8}$/);
    const inputs = await Promise.all(executions.map(async (e) => JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input ?? '{}')));
    expect(inputs).toContainEqual(expect.objectContaining({ job_id: 'city/42', reprocessed: true, original_failure_time: expect.any(String) }));
    expect(inputs).toContainEqual(expect.objectContaining({ body: 'raw text body', reprocessed: true }));
    expect(executions.map((e) => e.name)).toContainEqual(expect.stringMatching(/^dlq-reprocess-city_42-/));
    sfn.destroy();
  });

  /** A state machine on moto and the env's queue re-executing into it, on the given clock. */
  const withStateMachine = async (clock: Clock) => {
    const moto = motoEndpoint();
    const sfn = createSfnClient({ endpoint: moto.endpoint, region: moto.region, credentials: TEST_CREDENTIALS });
    const machine = await sfn.send(
      new CreateStateMachineCommand({
        name: uniqueQueueName('reexec-sm'),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      }),
    );
    const arn = machine.stateMachineArn ?? '';
    const config = { name: env.queue, kind: 'sqs', queueUrl: env.dlq.url, escalation: { preset: 'sqs-runbook' }, alarmNames: [], replayTarget: { kind: 'source' }, stateMachineArn: arn } as SqsQueueConfig;
    const backend = createSqsQueueBackend(config, { sqs: env.client, sfn, cloudwatch: null, clock, alarmTopicArn: null });
    return { sfn, arn, deps: { ...env.deps, registry: createQueueRegistry([backend]) } };
  };
  const executionsOf = async (sfn: SFNClient, arn: string) => (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions ?? [];

  it('two messages with the same job id re-executed at the same instant both start and both leave the DLQ', async () => {
    env = await makeAppEnv({ store: store() });
    // A clock that does not move: the runbook's `<job id>-<epoch>` alone would give both the same name.
    const { sfn, arn, deps } = await withStateMachine(fixedClock(new Date()));
    await sendMessages(env.client, env.dlq.url, ['{"job_id":"job-7","attempt":1}', '{"job_id":"job-7","attempt":2}']);
    const messages = await peekMessages(deps, env.queue, 2, 'cli:test');
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      const outcome = await replayMessage(deps, { queue: env.queue, id: message.messageKey, actor: 'cli:test', via: 'reexecute' });
      expect(outcome.removed).toBe(true);
    }
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const executions = await executionsOf(sfn, arn);
    expect(executions).toHaveLength(2);
    const names = executions.map((e) => e.name ?? '');
    expect(new Set(names).size).toBe(2);
    for (const message of messages) expect(names).toContainEqual(expect.stringMatching(new RegExp(`^dlq-reprocess-job-7-\\d{13}-${messageTag(message.messageKey)}$`)));
    const inputs = await Promise.all(executions.map(async (e) => JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input ?? '{}')));
    expect(inputs.map((input) => input.attempt).sort()).toEqual([1, 2]);
    expect((await auditOf(env)).filter((a) => a.action === 'reexecute').map((a) => a.result)).toEqual(['success', 'success']);
    sfn.destroy();
  });

  it('a start repeated with the same name and input is the same execution, even once it closed; another input under that name fails, retriable', async () => {
    env = await makeAppEnv({ store: store() });
    const clock = fixedClock(new Date());
    const { sfn, arn, deps } = await withStateMachine(clock);
    await sendMessages(env.client, env.dlq.url, ['{"job_id":"job-8"}']);
    const [source] = await peekMessages(deps, env.queue, 1, 'cli:test');
    const target = new SfnReplayTarget({ client: sfn, stateMachineArn: arn, clock });
    const outgoing = { source: source!, body: source!.body, actor: 'cli:test', jobId: null };
    const first = await target.send([outgoing]);
    expect(first.failed).toEqual([]);
    const executionArn = first.accepted[0]?.destinationId ?? '';
    expect(executionArn).toMatch(/:execution:.*:dlq-reprocess-job-8-\d{13}-[0-9a-f]{8}$/);
    // Still running: Step Functions (and moto) answer with the same execution.
    expect(await target.send([outgoing])).toEqual(first);
    // Closed: Step Functions answers ExecutionAlreadyExists; the same input makes it the same start.
    await sfn.send(new StopExecutionCommand({ executionArn }));
    expect(await target.send([outgoing])).toEqual(first);
    // Another input under the same name is a real collision: refused, retriable (the next try has another epoch).
    const other = await target.send([{ ...outgoing, body: '{"job_id":"job-8","edited":true}' }]);
    expect(other.accepted).toEqual([]);
    expect(other.failed).toEqual([{ messageKey: source!.messageKey, error: expect.stringContaining('ExecutionAlreadyExists'), retriable: true }]);
    clock.advance(1);
    expect((await target.send([{ ...outgoing, body: '{"job_id":"job-8","edited":true}' }])).accepted).toHaveLength(1);
    expect(await executionsOf(sfn, arn)).toHaveLength(2);
    sfn.destroy();
  });

  it('execution names are sanitised and at most 80 characters; non-JSON bodies are wrapped', () => {
    const name = executionName(`weird id/with spaces:${'x'.repeat(100)}`, 1_700_000_000_123, 'a1b2c3d4-0000-4000-8000-000000000000');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^dlq-reprocess-weird_id_with_spaces_x+-1700000000123-[0-9a-f]{8}$/);
    expect(executionName('job', 1_700_000_000_123, 'm-1')).not.toBe(executionName('job', 1_700_000_000_123, 'm-2'));
    expect(executionName('job', 1_700_000_000_123, 'm-1')).toBe(executionName('job', 1_700_000_000_123, 'm-1'));
    expect(executionName('', 0, 'm')).toMatch(/^dlq-reprocess-message-0-[0-9a-f]{8}$/);
    expect(JSON.parse(executionInput('[1,2]', new Date(0)))).toEqual({ body: '[1,2]', reprocessed: true, original_failure_time: '1970-01-01T00:00:00.000Z' });
  });
});
