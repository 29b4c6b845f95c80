// Pre-flight checks on the real things (issue 14): CloudWatch alarm states from moto (DescribeAlarms),
// an HTTP health URL on a loopback server, and a Kafka consumer group's lag on the test broker. Each
// through its adapter and runPreflight, which audits what it decided; what cannot be evaluated blocks.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutMetricAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchClient } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-client.ts';
import { createCloudWatchAlarmStates } from '../../../src/adapters/outbound/cloudwatch/cloudwatch-alarm-states.ts';
import { createHttpHealthProbe } from '../../../src/adapters/outbound/http/http-health-probe.ts';
import { KafkaClients } from '../../../src/adapters/outbound/kafka/kafka-client.ts';
import { createKafkaConsumerLag } from '../../../src/adapters/outbound/kafka/kafka-consumer-lag.ts';
import { runPreflight, type PreflightChecks, type PreflightDeps } from '../../../src/app/jobs/safety/preflight.use-case.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { AlarmStates } from '../../../src/ports/preflight-probes.port.ts';
import { motoEndpoint, services, TEST_CREDENTIALS, uniqueQueueName } from '../sqs/sqs-test-env.ts';
import { connectionSettings, KafkaTestBench, quietLogger, tempStore, type TempStore } from '../kafka/kafka-test-env.ts';

const NO_CHECKS: PreflightChecks = { alarms: [], http: [], consumerLag: null };

const depsWith = (store: TempStore['store'], parts: Partial<PreflightDeps> & { checks: PreflightChecks; alarms?: AlarmStates | null }): PreflightDeps => ({
  audit: { store, clock: systemClock, metrics: noopMetrics },
  checksFor: () => parts.checks,
  alarmsFor: () => parts.alarms ?? null,
  http: parts.http ?? createHttpHealthProbe(),
  lagFor: parts.lagFor ?? (() => null),
});

describe.skipIf(!services)('pre-flight checks on real services', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = await tempStore();
  });
  afterAll(async () => {
    await temp?.store.close();
    temp?.remove();
  });

  describe('CloudWatch alarms on moto', () => {
    let client: CloudWatchClient;
    beforeAll(() => {
      const moto = motoEndpoint();
      client = createCloudWatchClient({ endpoint: moto.endpoint, region: moto.region, protocol: 'json', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    });
    afterAll(() => client?.destroy());

    const putAlarm = async (name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason = 'test') => {
      await client.send(new PutMetricAlarmCommand({
        AlarmName: name, Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'FunctionName', Value: name }],
      }));
      await client.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
    };

    it('reads each alarm\'s state; a missing alarm is absent', async () => {
      const ok = uniqueQueueName('pf-ok');
      const firing = uniqueQueueName('pf-alarm');
      await putAlarm(ok, 'OK');
      await putAlarm(firing, 'ALARM', 'Threshold Crossed: 3 errors');
      const states = await createCloudWatchAlarmStates(client).read([ok, firing, `${ok}-missing`]);
      expect(states.get(ok)?.state).toBe('OK');
      expect(states.get(firing)).toEqual({ state: 'ALARM', reason: 'Threshold Crossed: 3 errors' });
      expect(states.has(`${ok}-missing`)).toBe(false);
    });

    it('blocks while an alarm is not OK or is missing, names it and what it saw, and audits the block', async () => {
      const ok = uniqueQueueName('pf-ok');
      const firing = uniqueQueueName('pf-alarm');
      await putAlarm(ok, 'OK');
      await putAlarm(firing, 'ALARM', 'Threshold Crossed');
      const deps = depsWith(temp.store, { checks: { ...NO_CHECKS, alarms: [ok, firing, `${ok}-gone`] }, alarms: createCloudWatchAlarmStates(client) });
      const queue = uniqueQueueName('pf-q');
      const decision = await runPreflight(deps, { queue, actor: 'U_ALICE', override: null, purpose: 'redrive-all' });
      expect(decision).toMatchObject({ verdict: 'blocked', failures: [
        { check: 'alarm', target: firing, saw: 'state ALARM (Threshold Crossed), not OK' },
        { check: 'alarm', target: `${ok}-gone`, saw: 'alarm not found' },
      ], passed: [`alarm ${ok}: OK`] });
      const [record] = await temp.store.searchAudit({ queue, limit: 5 });
      expect(record).toMatchObject({ action: 'preflight', result: 'failure', actor: 'U_ALICE' });
      expect(record?.error).toContain(`alarm ${firing}: state ALARM`);
      // Once the alarm is OK again, the same checks pass.
      await client.send(new SetAlarmStateCommand({ AlarmName: firing, StateValue: 'OK', StateReason: 'recovered' }));
      const again = await runPreflight(depsWith(temp.store, { checks: { ...NO_CHECKS, alarms: [ok, firing] }, alarms: createCloudWatchAlarmStates(client) }), { queue, actor: 'U_ALICE', override: null, purpose: 'redrive-all' });
      expect(again.verdict).toBe('pass');
    });

    it('an admin override passes with the reason audited; CloudWatch unreachable blocks', async () => {
      const firing = uniqueQueueName('pf-alarm');
      await putAlarm(firing, 'ALARM');
      const queue = uniqueQueueName('pf-q');
      const overridden = await runPreflight(depsWith(temp.store, { checks: { ...NO_CHECKS, alarms: [firing] }, alarms: createCloudWatchAlarmStates(client) }), { queue, actor: 'U_ALICE', override: 'alarm is stale', purpose: 'redrive-all' });
      expect(overridden).toMatchObject({ verdict: 'overridden', reason: 'alarm is stale' });
      const [record] = await temp.store.searchAudit({ queue, limit: 1 });
      expect(record).toMatchObject({ action: 'preflight:override', result: 'success', details: { reason: 'alarm is stale' } });
      const dead = createCloudWatchClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', protocol: 'json', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      const unreachable = await runPreflight(depsWith(temp.store, { checks: { ...NO_CHECKS, alarms: [firing] }, alarms: createCloudWatchAlarmStates(dead) }), { queue, actor: 'U_ALICE', override: null, purpose: 'redrive-all' });
      dead.destroy();
      expect(unreachable).toMatchObject({ verdict: 'blocked', failures: [{ check: 'alarm', saw: expect.stringContaining('could not be checked: CloudWatch DescribeAlarms failed') }] });
    });
  });

  describe('HTTP health URL on loopback', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/ok') return void res.writeHead(200).end('ok');
        if (req.url === '/down') return void res.writeHead(503).end('down');
        if (req.url === '/moved') return void res.writeHead(302, { location: '/ok' }).end();
        // /slow never answers within the test's timeout.
        setTimeout(() => res.writeHead(200).end('late'), 2_000).unref();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('passes on 2xx and blocks on 503, a redirect, a timeout and a closed port, each with what it saw', async () => {
      const check = (url: string) => runPreflight(depsWith(temp.store, { checks: { ...NO_CHECKS, http: [{ url, timeoutMs: 300 }] } }), { queue: 'pf-http', actor: 'U_ALICE', override: null, purpose: 'redrive-batch' });
      expect(await check(`${base}/ok`)).toMatchObject({ verdict: 'pass', passed: [expect.stringMatching(new RegExp(`^${base}/ok: HTTP 200 in \\d+ ms$`))] });
      expect(await check(`${base}/down`)).toMatchObject({ verdict: 'blocked', failures: [{ check: 'http', target: `${base}/down`, saw: 'answered HTTP 503, not 2xx' }] });
      expect(await check(`${base}/moved`)).toMatchObject({ verdict: 'blocked', failures: [{ saw: 'answered HTTP 302, not 2xx' }] });
      expect(await check(`${base}/slow`)).toMatchObject({ verdict: 'blocked', failures: [{ saw: 'no answer within 300 ms' }] });
      // A port nothing listens on any more.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      expect(await check(`http://127.0.0.1:${port}/health`)).toMatchObject({ verdict: 'blocked', failures: [{ saw: 'could not be checked: unreachable (ECONNREFUSED)' }] });
    });
  });

  describe('Kafka consumer group lag on the test broker', () => {
    let bench: KafkaTestBench;
    let clients: KafkaClients;
    beforeAll(async () => {
      bench = await new KafkaTestBench().connect();
      clients = new KafkaClients(connectionSettings(), quietLogger());
    });
    afterAll(async () => {
      await clients?.close();
      await bench?.close();
    });

    it('measures high watermark minus committed offset over partitions; above the bound blocks, within passes', async () => {
      const topic = await bench.createTopic('pf-replay', 2);
      const group = `${topic}-workers`;
      await bench.produce(topic, Array.from({ length: 30 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })));
      await bench.setCommitted(group, topic, { 0: 5, 1: 15 });
      const lag = createKafkaConsumerLag(clients.wire);
      expect(await lag.lag(group, topic)).toBe(10 + 0);
      const check = (max: number) => runPreflight(depsWith(temp.store, { checks: { ...NO_CHECKS, consumerLag: { group, topic, max } }, lagFor: () => lag }), { queue: 'pf-kafka', actor: 'U_ALICE', override: null, purpose: 'redrive-all' });
      expect(await check(5)).toMatchObject({ verdict: 'blocked', failures: [{ check: 'consumer-lag', target: `${group} on ${topic}`, saw: 'lag 10 messages, above the bound of 5' }] });
      expect(await check(10)).toMatchObject({ verdict: 'pass' });
    });

    it('a group with no committed offset, or a missing topic, cannot be evaluated and blocks', async () => {
      const topic = await bench.createTopic('pf-replay');
      await bench.produce(topic, [{ value: 'a' }]);
      const lag = createKafkaConsumerLag(clients.wire);
      const check = (t: string) => runPreflight(depsWith(temp.store, { checks: { ...NO_CHECKS, consumerLag: { group: `${topic}-never`, topic: t, max: 1_000 } }, lagFor: () => lag }), { queue: 'pf-kafka', actor: 'U_ALICE', override: null, purpose: 'redrive-all' });
      expect(await check(topic)).toMatchObject({ verdict: 'blocked', failures: [{ saw: expect.stringContaining('has no committed offset') }] });
      expect(await check(`${topic}-missing`)).toMatchObject({ verdict: 'blocked', failures: [{ saw: expect.stringContaining('could not be checked') }] });
    });
  });
});
