// `redrive iam-policy` against the code and against parliament: every AWS SDK command the adapters
// send has its IAM action in the policy, scoped to exactly the configured queues, alarms and state
// machines, and parliament (the AWS IAM linter, community auditors included) finds nothing.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIamPolicy, GRANTS } from '../../src/adapters/outbound/aws-iam/iam-policy.ts';
import type { Config } from '../../src/config/config.schema.ts';
import { parseConfigText } from '../../src/config/load-config.ts';
import { runRedrive } from '../support/run-redrive.ts';
import { ROOT, runDeployCheck, sourceFiles } from '../support/deploy-tools.ts';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}
interface Policy {
  Version: string;
  Statement: Statement[];
}
interface Finding {
  issue: string;
  detail: unknown;
}

const ACCOUNT = '123456789012';
const sqsUrl = (region: string, name: string) => `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${name}`;
const sqsArn = (region: string, name: string) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
const machine = (region: string, name: string) => `arn:aws:states:${region}:${ACCOUNT}:stateMachine:${name}`;

// Every kind of queue the schema allows: replay to the source (named, and looked up), to another
// queue (FIFO), to a state machine in another region, and a Kafka topic that needs no AWS permission.
const CONFIG = `
server: {host: 127.0.0.1, port: 0}
store: {kind: postgres}
aws: {region: us-east-1}
kafka: {default: {brokers: ['kafka:9092']}}
queues:
  - name: frontier-dlq
    kind: sqs
    queueUrl: ${sqsUrl('us-east-1', 'frontier-dlq')}
    sourceQueueUrl: ${sqsUrl('us-east-1', 'frontier')}
    stateMachineArn: ${machine('us-east-1', 'orchestration')}
    alarmNames: [jaunt-dlq-depth-alarm]
    preflight: {alarms: [data-scout-consumer-errors]}
  - name: orders-dlq
    kind: sqs
    queueUrl: ${sqsUrl('us-east-1', 'orders-dlq.fifo')}
    replayTarget: {kind: sqs, queueUrl: ${sqsUrl('us-east-1', 'orders-retry.fifo')}}
  - name: billing-dlq
    kind: sqs
    queueUrl: ${sqsUrl('eu-west-1', 'billing-dlq')}
    replayTarget: {kind: stepfunctions, stateMachineArn: ${machine('eu-west-1', 'billing')}}
    sourceQueueUrl: ${sqsUrl('eu-west-1', 'billing')}
  - name: lookup-dlq
    kind: sqs
    queueUrl: ${sqsUrl('us-east-1', 'lookup-dlq')}
  - name: downloads-dlq
    kind: kafka
    topic: xact.downloads.dlq
    consumerGroup: xact-dlq-cli
    replayTopic: downloads.pending
    preflight: {alarms: [downloads-worker-errors]}
`;

const writeConfig = (text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'redrive-iam-')), 'redrive.yml');
  writeFileSync(path, text);
  return path;
};

// No Slack token, no DATABASE_URL: the policy is read from the config alone.
const noSecrets = { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '', DATABASE_URL: '' };

const iamPolicy = async (configText: string) => {
  const result = await runRedrive(['iam-policy', '--config', writeConfig(configText)], { env: noSecrets });
  return { ...result, policy: result.code === 0 ? (JSON.parse(result.stdout) as Policy) : null };
};

const resourcesOf = (policy: Policy, action: string): string[] =>
  policy.Statement.filter((s) => s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .sort();

/** `new XCommand(` in every adapter file that imports an AWS SDK client. */
const sdkCommandsSent = (): Set<string> => {
  const commands = new Set<string>();
  for (const file of sourceFiles('src')) {
    const source = readFileSync(file, 'utf8');
    if (!/from '@aws-sdk\/client-(sqs|cloudwatch|sfn)'/.test(source)) continue;
    for (const match of source.matchAll(/new (\w+)Command\(/g)) commands.add(match[1] ?? '');
  }
  return commands;
};

describe('redrive iam-policy', () => {
  it('grants exactly the SDK commands the adapters send: none missing, none stale', () => {
    const sent = sdkCommandsSent();
    expect(sent.size).toBeGreaterThan(10);
    expect(new Set(GRANTS.map((g) => g.command))).toEqual(sent);
  });

  it('prints a policy with every grant, scoped to the configured queues, alarms and state machines', async () => {
    const { code, stderr, policy } = await iamPolicy(CONFIG);
    expect(code, stderr).toBe(0);
    if (!policy) throw new Error('no policy');
    expect(policy.Version).toBe('2012-10-17');
    const actions = policy.Statement.flatMap((s) => s.Action);
    for (const grant of GRANTS) expect(actions).toContain(grant.action);
    for (const action of actions) expect(action).toMatch(/^(sqs|cloudwatch|states):[A-Z][A-Za-z]+$/);
    expect(new Set(policy.Statement.map((s) => s.Sid)).size).toBe(policy.Statement.length);

    const dlqs = [sqsArn('eu-west-1', 'billing-dlq'), sqsArn('us-east-1', 'frontier-dlq'), sqsArn('us-east-1', 'lookup-dlq'), sqsArn('us-east-1', 'orders-dlq.fifo')];
    expect(resourcesOf(policy, 'sqs:ReceiveMessage')).toEqual(dlqs);
    expect(resourcesOf(policy, 'sqs:DeleteMessage')).toEqual(dlqs);
    expect(resourcesOf(policy, 'sqs:ChangeMessageVisibility')).toEqual(dlqs);
    // Replays go to the named source or target queues; move tasks to the source of the billing queue
    // (its replays go to Step Functions), never to a queue the config does not name.
    expect(resourcesOf(policy, 'sqs:SendMessage')).toEqual([sqsArn('eu-west-1', 'billing'), sqsArn('us-east-1', 'frontier'), sqsArn('us-east-1', 'orders-retry.fifo')]);
    // FIFO queues take the manual path: no move task on orders-dlq.fifo.
    const movable = [sqsArn('eu-west-1', 'billing-dlq'), sqsArn('us-east-1', 'frontier-dlq'), sqsArn('us-east-1', 'lookup-dlq')];
    for (const action of ['sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:CancelMessageMoveTask']) expect(resourcesOf(policy, action)).toEqual(movable);
    expect(resourcesOf(policy, 'sqs:ListDeadLetterSourceQueues')).toEqual([sqsArn('us-east-1', 'lookup-dlq')]);
    expect(resourcesOf(policy, 'cloudwatch:PutMetricAlarm')).toEqual([
      `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:billing-dlq-depth-alarm`,
      `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:frontier-dlq-depth-alarm`,
      `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:lookup-dlq-depth-alarm`,
      `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:orders-dlq.fifo-depth-alarm`,
    ]);
    expect(resourcesOf(policy, 'cloudwatch:DescribeAlarms')).toContain(`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:jaunt-dlq-depth-alarm`);
    // Pre-flight reads its alarms before a bulk replay: the SQS queue's in its account; the Kafka
    // queue's account is not in the config, so stderr says what to grant.
    expect(resourcesOf(policy, 'cloudwatch:DescribeAlarms')).toContain(`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:data-scout-consumer-errors`);
    expect(stderr).toMatch(/downloads-dlq: pre-flight reads the alarms downloads-worker-errors .*cloudwatch:DescribeAlarms/);
    expect(resourcesOf(policy, 'states:StartExecution')).toEqual([machine('eu-west-1', 'billing'), machine('us-east-1', 'orchestration')]);
    expect(resourcesOf(policy, 'states:DescribeExecution')).toContain(`arn:aws:states:eu-west-1:${ACCOUNT}:execution:billing:*`);
    // '*' only where IAM has no resource to scope to (parliament below flags any other).
    const star = policy.Statement.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action);
    expect(star.sort()).toEqual(['cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:GetMetricData']);
    // The queue whose replay destination is looked up at run time is named on stderr.
    expect(stderr).toMatch(/lookup-dlq: .*sourceQueueUrl/);
  });

  it('passes parliament with no finding, for the test config and examples/sqs-runbook.yml', async () => {
    const { policy } = await iamPolicy(CONFIG);
    expect(runDeployCheck<Finding[]>(['iam'], JSON.stringify(policy))).toEqual([]);
    const example = await runRedrive(['iam-policy', '--config', join(ROOT, 'examples/sqs-runbook.yml')], { env: noSecrets });
    expect(example.code, example.stderr).toBe(0);
    expect(runDeployCheck<Finding[]>(['iam'], example.stdout)).toEqual([]);
    // The linter is live: an unknown action, or '*' for an action IAM can scope, is a finding.
    const loose = {
      ...policy,
      Statement: [...(policy?.Statement ?? []), { Effect: 'Allow', Action: ['sqs:ReceiveMessages'], Resource: [sqsArn('us-east-1', 'frontier-dlq')] }, { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['*'] }],
    };
    expect(runDeployCheck<Finding[]>(['iam'], JSON.stringify(loose)).map((f) => f.issue)).toEqual(expect.arrayContaining(['UNKNOWN_ACTION', 'RESOURCE_STAR']));
  });

  it('says that a config without SQS queues needs no AWS permission', async () => {
    const { code, stderr, stdout } = await iamPolicy(`queues: [{name: d, kind: kafka, topic: t, consumerGroup: g, replayTopic: r}]\nkafka: {default: {brokers: ['k:9092']}}\n`);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no SQS queue is configured/);
  });

  it('refuses --role for a role no queue assumes, naming the roles there are', async () => {
    const result = await runRedrive(['iam-policy', '--config', writeConfig(CONFIG), '--role', 'arn:aws:iam::210987654321:role/nobody'], { env: noSecrets });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no queue assumes arn:aws:iam::210987654321:role\/nobody \(no queue sets assumeRoleArn\)/);
  });
});

// queues[].region and queues[].assumeRoleArn (per-queue accounts and regions): read where the schema
// has them, so these build the config object directly rather than through the YAML schema.
describe('iam policy per queue region and role', () => {
  const ROLE = 'arn:aws:iam::210987654321:role/redrive-billing';
  const config = (): Pick<Config, 'aws' | 'queues'> => {
    const parsed = parseConfigText(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const queues = parsed.config.queues.map((q) => {
      if (q.name === 'billing-dlq') {
        const withRole = { ...q, assumeRoleArn: ROLE };
        return withRole;
      }
      if (q.name === 'lookup-dlq' && q.kind === 'sqs') {
        // An emulator-style URL names no region: the queue's own region field decides.
        const withRegion = { ...q, queueUrl: `http://localhost:9324/${ACCOUNT}/lookup-dlq`, region: 'ap-southeast-2' };
        return withRegion;
      }
      return q;
    });
    return { aws: parsed.config.aws, queues };
  };

  it("gives Redrive's own credentials sts:AssumeRole on the role and none of that role's queue resources", () => {
    const outcome = buildIamPolicy(config());
    if (outcome.kind !== 'policy') throw new Error(outcome.kind);
    const all = outcome.policy.Statement.filter((s) => !s.Action.includes('sts:AssumeRole')).flatMap((s) => s.Resource).join('\n');
    expect(all).not.toMatch(/billing/);
    expect(resourcesOf(outcome.policy, 'sts:AssumeRole')).toEqual([ROLE]);
    expect(outcome.notes.join('\n')).toContain(`billing-dlq runs under ${ROLE}: attach \`redrive iam-policy --role ${ROLE}\``);
    expect(resourcesOf(outcome.policy, 'sqs:ReceiveMessage')).toContain(sqsArn('ap-southeast-2', 'lookup-dlq'));
    expect(resourcesOf(outcome.policy, 'cloudwatch:PutMetricAlarm')).toContain(`arn:aws:cloudwatch:ap-southeast-2:${ACCOUNT}:alarm:lookup-dlq-depth-alarm`);
    // The one finding is the one the design needs: sts:AssumeRole returns credentials (a community auditor's note).
    const findings = runDeployCheck<(Finding & { location: { actions?: string[] } })[]>(['iam'], JSON.stringify(outcome.policy));
    expect(findings.map((f) => `${f.issue} ${f.location.actions?.join(',') ?? ''}`)).toEqual(['CREDENTIALS_EXPOSURE sts:assumerole']);
  });

  it("gives the role exactly its queues' resources, its alarms in the role's account", () => {
    const outcome = buildIamPolicy(config(), ROLE);
    if (outcome.kind !== 'policy') throw new Error(outcome.kind);
    expect(resourcesOf(outcome.policy, 'sqs:ReceiveMessage')).toEqual([sqsArn('eu-west-1', 'billing-dlq')]);
    expect(resourcesOf(outcome.policy, 'states:StartExecution')).toEqual([machine('eu-west-1', 'billing')]);
    expect(resourcesOf(outcome.policy, 'cloudwatch:PutMetricAlarm')).toEqual(['arn:aws:cloudwatch:eu-west-1:210987654321:alarm:billing-dlq-depth-alarm']);
    expect(resourcesOf(outcome.policy, 'sts:AssumeRole')).toEqual([]);
    expect(runDeployCheck<Finding[]>(['iam'], JSON.stringify(outcome.policy))).toEqual([]);
  });
});

