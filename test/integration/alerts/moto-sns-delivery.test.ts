// End to end through moto's SNS: a topic with an HTTP subscription to our server on 127.0.0.1, a
// CloudWatch-alarm-shaped message published, and the alert recorded. moto signs its deliveries for real
// (SignatureVersion 2, SHA256withRSA, a fresh self-signed certificate per message) and names the
// certificate https://sns.<region>.amazonaws.com/SimpleNotificationService-<id>.pem, which it serves
// itself. So this test keeps real verification on: the only test-specific piece is the certificate
// source, which fetches that path from moto instead of AWS.

import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCapped, type CertificateFetcher } from '../../../src/adapters/inbound/sns/sns-certificate.ts';
import { cloudWatchAlarm } from '../../fixtures/alerts/alert-builders.ts';
import { motoEndpoint, requireMoto, startAlertServer, testConfig, waitUntil, type AlertTestServer } from './alert-test-server.ts';

/**
 * Test-only certificate source: moto's SigningCertURL points at AWS's host, and moto serves the same
 * path itself. moto routes a request by the SigV4 scope of its Authorization header, hence the header.
 */
const motoCertificates = (endpoint: string, region: string): CertificateFetcher & { fetched: string[] } => {
  const fetched: string[] = [];
  const fetcher = async (url: URL) => {
    fetched.push(url.href);
    const local = new URL(url.pathname, endpoint);
    const scoped: typeof fetch = (input, init) =>
      fetch(input, { ...init, headers: { authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/sns/aws4_request, SignedHeaders=host, Signature=0` } });
    return getCapped(local, { timeoutMs: 5_000, maxBytes: 65_536, fetch: scoped });
  };
  return Object.assign(fetcher, { fetched });
};

const moto = motoEndpoint();

// Without services (and outside CI) the global setup provides none and this block is skipped; in CI
// a missing moto fails the run.
describe.skipIf(moto === null && process.env.CI !== 'true')('SNS delivery from moto', () => {
  let sns: SNSClient;
  let certificates: ReturnType<typeof motoCertificates>;
  let region = '';
  let topicArn = '';
  let server: AlertTestServer;

  beforeAll(async () => {
    const found = requireMoto(moto);
    region = found.region;
    sns = new SNSClient({ endpoint: found.endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 2 });
    certificates = motoCertificates(found.endpoint, region);
    const topic = await sns.send(new CreateTopicCommand({ Name: `redrive-alarms-${randomUUID().slice(0, 8)}` }));
    topicArn = topic.TopicArn ?? '';
    server = await startAlertServer({ certificateFetcher: certificates, config: testConfig({ topicArns: [topicArn] }) });
    // moto confirms HTTP subscriptions itself: no SubscriptionConfirmation is posted.
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${server.url}/alerts/sns` }));
  });

  afterAll(async () => {
    if (topicArn) await sns.send(new DeleteTopicCommand({ TopicArn: topicArn })).catch(() => undefined);
    await server?.close();
    sns?.destroy();
  });

  it('records a published CloudWatch alarm after verifying moto’s signature with its certificate', async () => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(cloudWatchAlarm({ AlarmName: 'moto-orders-dlq', queueName: 'orders-processing-dlq' })) }));
    const stored = await waitUntil(async () => (await server.store.listAlerts({ queue: 'orders-dlq' })).find((a) => a.name === 'moto-orders-dlq'));
    expect(stored).toMatchObject({ source: 'sns', state: 'firing', details: { topicArn, newState: 'ALARM' } });
    expect(stored.dedupKey).toMatch(/^sns:[0-9a-f-]{36}$/);
    expect(certificates.fetched[0]).toMatch(new RegExp(`^https://sns\\.${region}\\.amazonaws\\.com/SimpleNotificationService-[0-9a-f]+\\.pem$`));
    expect(server.events.map((e) => e.name)).toContain('moto-orders-dlq');
  });

  it('records the OK transition as state ok', async () => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(cloudWatchAlarm({ AlarmName: 'moto-orders-dlq', NewStateValue: 'OK', OldStateValue: 'ALARM' })) }));
    const ok = await waitUntil(async () => (await server.store.listAlerts({ queue: 'orders-dlq' })).find((a) => a.state === 'ok'));
    expect(ok.name).toBe('moto-orders-dlq');
  });

  it('refuses moto’s delivery when it carries a Subject (moto 5.2 leaves Subject out of the string it signs)', async () => {
    const before = (await server.store.listAlerts({})).length;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'ALARM: "moto-subject"', Message: JSON.stringify(cloudWatchAlarm({ AlarmName: 'moto-subject' })) }));
    await waitUntil(async () => (server.logLines.some((l) => l.reason === 'signature-invalid') ? true : undefined));
    expect(await server.store.listAlerts({})).toHaveLength(before);
  });
});
