// Smoke test: moto from scripts/services.sh serves Step Functions — a state machine is created, an
// execution started and described. (moto leaves executions RUNNING unless SF_EXECUTION_HISTORY_TYPE
// says otherwise; the assertion accepts the states moto may report.)
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dummyAwsCredentials, requireServices, uniqueName } from '../../support/services.ts';

const services = inject('services');

describe.skipIf(!services)('Step Functions on moto (real server)', () => {
  let sfn: SFNClient;
  const machines: string[] = [];

  beforeAll(() => {
    const { endpoint, region } = requireServices(services).moto;
    sfn = new SFNClient({ endpoint, region, credentials: dummyAwsCredentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    for (const arn of machines) await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    sfn?.destroy();
  });

  it('creates a state machine and starts an execution', async () => {
    const name = uniqueName('smoke-redrive');
    const definition = {
      Comment: 'Redrive smoke test',
      StartAt: 'Done',
      States: { Done: { Type: 'Pass', End: true } },
    };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name,
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/redrive-smoke',
      }),
    );
    machines.push(stateMachineArn!);
    expect(stateMachineArn).toContain(`:stateMachine:${name}`);

    const input = JSON.stringify({ orderId: 42 });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: uniqueName('exec'), input }),
    );
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ executionArn, stateMachineArn, input });
    expect(['RUNNING', 'SUCCEEDED']).toContain(execution.status);

    if (execution.status === 'RUNNING') {
      await sfn.send(new StopExecutionCommand({ executionArn, cause: 'smoke test done' }));
      const stopped = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(stopped.status).toBe('ABORTED');
    }
  });
});
