// Several AWS accounts: queues with `assumeRoleArn` sign their SQS calls with credentials from STS
// AssumeRole (moto), one set per role + region, shared by the queues that name the same one. ElasticMQ
// does not check credentials, so a recording proxy in front of it shows which access key signed each
// request, and moto's GetCallerIdentity shows whose key it is.

import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchClient } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQueueBackends, type QueueBackends } from '../../../src/adapters/outbound/queue-backends.ts';
import { createRootLogger } from '../../../src/adapters/outbound/logging/pino-logger.ts';
import { awsAccessFor } from '../../../src/config/aws-credential-sets.ts';
import type { SqsQueueConfig } from '../../../src/config/config.schema.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { runCli } from '../../../src/main.ts';
import { isRedriveError } from '../../../src/errors.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { AwsCredentialIdentityProvider } from '../../../src/adapters/outbound/sqs/sqs-client.ts';
import { runRedrive } from '../../support/run-redrive.ts';
import { startSigV4RecordingProxy, type RecordingProxy } from '../../support/sigv4-recording-proxy.ts';
import { createQueue, deleteQueues, motoEndpoint, services, sqsEndpoint, testSqsClient, TEST_CREDENTIALS, uniqueQueueName, type CreatedQueue } from './sqs-test-env.ts';

const ROLE_A = 'arn:aws:iam::111111111111:role/redrive-orders';
const ROLE_B = 'arn:aws:iam::222222222222:role/redrive-billing';

describe.skipIf(!services)('per-queue AWS credentials from STS AssumeRole (moto) on ElasticMQ', () => {
  let client: SQSClient;
  let proxy: RecordingProxy;
  let queues: CreatedQueue[];
  let built: QueueBackends;
  let configFile: string;
  let rawQueues: Record<string, unknown>[];

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    client = testSqsClient();
    queues = await Promise.all(['orders', 'billing', 'refunds', 'local'].map((prefix) => createQueue(client, uniqueQueueName(`role-${prefix}`))));
    proxy = await startSigV4RecordingProxy(sqsEndpoint().endpoint);
    const [orders, billing, refunds, local] = queues as [CreatedQueue, CreatedQueue, CreatedQueue, CreatedQueue];
    rawQueues = [
      { name: 'orders-dlq', kind: 'sqs', queueUrl: orders.url, assumeRoleArn: ROLE_A },
      { name: 'billing-dlq', kind: 'sqs', queueUrl: billing.url, assumeRoleArn: ROLE_B, externalId: 'billing-ext-7', roleSessionName: 'redrive-billing' },
      { name: 'refunds-dlq', kind: 'sqs', queueUrl: refunds.url, assumeRoleArn: ROLE_A },
      { name: 'local-dlq', kind: 'sqs', queueUrl: local.url },
    ];
    const aws = { region: sqsEndpoint().region, sqsEndpoint: proxy.url, stsEndpoint: motoEndpoint().endpoint };
    const parsed = parseConfig({ aws, queues: rawQueues });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    built = createQueueBackends(parsed.config, { kafkaSasl: {} }, { store: {} as never, clock: systemClock, logger: createRootLogger({ level: 'silent' }) });
    const dir = mkdtempSync(join(tmpdir(), 'redrive-roles-'));
    configFile = join(dir, 'redrive.json');
    writeFileSync(configFile, JSON.stringify({ store: { kind: 'sqlite', path: join(dir, 'r.db') }, aws, queues: rawQueues }));
  });

  afterAll(async () => {
    await built?.close();
    await proxy?.close();
    await deleteQueues(client, ...queues.map((q) => q.url));
    client.destroy();
    vi.unstubAllEnvs();
  });

  const keysFor = (url: string): Set<string | null> => new Set(proxy.requests.filter((r) => r.queueUrl === url).map((r) => r.accessKeyId));

  it('signs each queue with its role, shares one set per role and region, and keeps the default chain elsewhere', async () => {
    for (const backend of built.backends) await backend.dlq.status();
    const [orders, billing, refunds, local] = queues.map((q) => [...keysFor(q.url)]) as [string[], string[], string[], string[]];
    for (const keys of [orders, billing, refunds, local]) expect(keys).toHaveLength(1);
    expect(local).toEqual(['test']);
    expect(orders[0]).not.toBe('test');
    expect(billing[0]).not.toBe('test');
    expect(refunds).toEqual(orders);
    expect(billing).not.toEqual(orders);
    expect(built.aws.sets).toBe(3);

    // Whose keys they are: moto's STS answers with the assumed role of each.
    const whoAmI = async (queue: Record<string, unknown>): Promise<{ arn: string; key: string }> => {
      const access = awsAccessFor({ region: sqsEndpoint().region }, queue as unknown as SqsQueueConfig);
      const credentials = await (built.aws.clientsFor(access).credentials as AwsCredentialIdentityProvider)();
      const sts = new STSClient({ region: sqsEndpoint().region, endpoint: motoEndpoint().endpoint, credentials });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
      return { arn: identity.Arn ?? '', key: credentials.accessKeyId };
    };
    const a = await whoAmI(rawQueues[0] as Record<string, unknown>);
    expect(a.key).toBe(orders[0]);
    expect(a.arn).toBe('arn:aws:sts::111111111111:assumed-role/redrive-orders/redrive');
    const b = await whoAmI(rawQueues[1] as Record<string, unknown>);
    expect(b.key).toBe(billing[0]);
    expect(b.arn).toBe('arn:aws:sts::222222222222:assumed-role/redrive-billing/redrive-billing');
  });

  it('CloudWatch calls for a queue use its role too: its alarm lands in the role\'s account', async () => {
    const moto = motoEndpoint();
    const parsed = parseConfig({
      aws: { region: moto.region, sqsEndpoint: proxy.url, stsEndpoint: moto.endpoint, cloudwatchEndpoint: moto.endpoint, cloudwatchProtocol: 'json' },
      queues: rawQueues,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const withAlarms = createQueueBackends(parsed.config, { kafkaSasl: {} }, { store: {} as never, clock: systemClock, logger: createRootLogger({ level: 'silent' }) });
    try {
      const orders = withAlarms.backends[0];
      const created = await orders?.alarms?.ensureDepthAlarm();
      const name = created?.alarm.name ?? '';
      expect(name).toContain(queues[0]?.name);
      expect((await orders?.alarms?.list())?.map((alarm) => alarm.name)).toEqual([name]);
      // moto keeps alarms per account, and takes the account from the signing key: the alarm is in
      // role A's account (111111111111), not in the one the default credentials reach.
      const describe = async (cloudwatch: CloudWatchClient) => ((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? []).map((a) => a.AlarmName);
      const direct = createCloudWatchClient({ region: moto.region, endpoint: moto.endpoint, protocol: 'json', credentials: TEST_CREDENTIALS });
      expect(await describe(direct)).toEqual([]);
      direct.destroy();
      const roleA = withAlarms.aws.clientsFor(awsAccessFor({ region: moto.region }, rawQueues[2] as unknown as SqsQueueConfig)).cloudwatch();
      expect(await describe(roleA)).toEqual([name]);
    } finally {
      await withAlarms.close();
    }
  });

  it('an STS that cannot be reached is a clear error naming the role, and nothing is sent unsigned', async () => {
    const parsed = parseConfig({ aws: { region: sqsEndpoint().region, sqsEndpoint: proxy.url, stsEndpoint: 'http://127.0.0.1:9' }, queues: [rawQueues[0]] });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const broken = createQueueBackends(parsed.config, { kafkaSasl: {} }, { store: {} as never, clock: systemClock, logger: createRootLogger({ level: 'silent' }) });
    const before = proxy.requests.length;
    try {
      const error = await broken.backends[0]?.dlq.status().catch((e: unknown) => e);
      expect(isRedriveError(error) && error.code).toBe('DLQ_UNREACHABLE');
      expect((error as Error).message).toContain(`AssumeRole ${ROLE_A}`);
      expect(proxy.requests.length).toBe(before);
    } finally {
      await broken.close();
    }
  });

  it('the terminal (`redrive dlq status`) signs a role queue with that role too', async () => {
    const before = proxy.requests.length;
    const result = await runRedrive(['dlq', 'status', 'billing-dlq', '--config', configFile], { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', LOG_LEVEL: 'error' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('billing-dlq');
    const keys = new Set(proxy.requests.slice(before).filter((r) => r.queueUrl === queues[1]?.url).map((r) => r.accessKeyId));
    expect(keys.size).toBe(1);
    expect([...keys][0]).not.toBe('test');
    expect([...keys][0]).toMatch(/^[A-Z0-9]{16,}$/);
  });

  it('check-config says which queues share which credentials, without the external id', async () => {
    const out: string[] = [];
    const code = await runCli(['check-config', '--config', configFile], {}, { out: (line) => out.push(line), err: (line) => out.push(line) });
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`AWS credentials: role ${ROLE_A} (session redrive) in us-east-1: orders-dlq, refunds-dlq`);
    expect(text).toContain(`AWS credentials: role ${ROLE_B} (external id set, session redrive-billing) in us-east-1: billing-dlq`);
    expect(text).toContain('AWS credentials: default AWS credential chain in us-east-1: local-dlq');
    expect(text).not.toContain('billing-ext-7');
  });
});
