// POST /alerts/sns on a real HTTP server with a real SqliteStore: signed CloudWatch alarms (SignatureVersion
// 1 and 2) are recorded once, subscriptions are confirmed, unknown queues are counted and not stored.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsConfirmation } from '../../../src/adapters/inbound/sns/sns-message.schema.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import { cloudWatchAlarm } from '../../fixtures/alerts/alert-builders.ts';
import { confirmationEnvelope, makeTestCertificate, notificationEnvelope, signEnvelope, TEST_TOPIC_ARN } from '../../fixtures/alerts/sns-signer.ts';
import { openTempSqliteStore, post, servingCertificate, snsHeaders, startAlertServer, type AlertTestServer } from './alert-test-server.ts';

const certificate = makeTestCertificate();
const signed = (message: Parameters<typeof notificationEnvelope>[0], version: '1' | '2' = '2') =>
  JSON.stringify(signEnvelope(notificationEnvelope(message), { key: certificate.privateKey, version }));

describe('POST /alerts/sns', () => {
  let server: AlertTestServer;
  const fetcher = servingCertificate(certificate.certificatePem);

  beforeAll(async () => {
    server = await startAlertServer({ certificateFetcher: fetcher });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['1', '2'] as const)('records a CloudWatch ALARM signed with SignatureVersion %s', async (version) => {
    const messageId = `alarm-v${version}-${Date.now()}`;
    const response = await post(server.url, '/alerts/sns', { headers: snsHeaders(), body: signed({ message: cloudWatchAlarm(), messageId, subject: 'ALARM: "orders"' }, version) });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'accepted',
      alerts: [{ queue: 'orders-dlq', state: 'firing', level: 'L1', name: 'SQS-DLQ-orders-processing-dlq-visible', dedupKey: `sns:${messageId}`, outcome: 'recorded' }],
      skipped: [],
    });
    const stored = await server.store.listAlerts({ queue: 'orders-dlq' });
    expect(stored.find((a) => a.dedupKey === `sns:${messageId}`)).toMatchObject({ source: 'sns', state: 'firing', details: { newState: 'ALARM', threshold: 10 } });
    expect(server.events.find((e) => e.dedupKey === `sns:${messageId}`)).toMatchObject({ outcome: 'recorded', level: 'L1' });
  });

  it('records an SNS retry (same MessageId) once, even when both copies arrive together', async () => {
    const body = signed({ message: cloudWatchAlarm({ NewStateValue: 'OK' }), messageId: 'retry-1' });
    const responses = await Promise.all([1, 2, 3].map(() => post(server.url, '/alerts/sns', { headers: snsHeaders(), body })));
    const outcomes = responses.map((r) => (r.json?.alerts as { outcome: string }[])[0]?.outcome).sort();
    expect(outcomes).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect((await server.store.listAlerts({})).filter((a) => a.dedupKey === 'sns:retry-1')).toHaveLength(1);
    expect(server.events.filter((e) => e.dedupKey === 'sns:retry-1')).toHaveLength(1);
    expect(await server.metricsText()).toMatch(/redrive_alerts_total\{source="sns",result="duplicate"\} 2/);
  });

  it('fetches the signing certificate once for many messages', async () => {
    const before = fetcher.fetches.length;
    for (let i = 0; i < 5; i++) {
      await post(server.url, '/alerts/sns', { headers: snsHeaders(), body: signed({ message: cloudWatchAlarm(), messageId: `cache-${i}` }) });
    }
    expect(fetcher.fetches.length).toBe(before);
  });

  it('answers 202 and stores nothing for an alarm of no configured queue, and counts it', async () => {
    const before = (await server.store.listAlerts({})).length;
    const response = await post(server.url, '/alerts/sns', {
      headers: snsHeaders(),
      body: signed({ message: cloudWatchAlarm({ AlarmName: 'stray', queueName: 'stray-dlq' }), messageId: 'stray-1' }),
    });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ alerts: [], skipped: [{ reason: 'unknown-queue', detail: 'No configured queue matches alarm name "stray" or QueueName "stray-dlq".' }] });
    expect(await server.store.listAlerts({})).toHaveLength(before);
    expect(await server.metricsText()).toMatch(/redrive_alerts_total\{source="sns",result="unknown-queue"\} 1/);
    expect(server.logLines.some((l) => l.level === 40 && l.lookedFor === 'alarm name "stray" or QueueName "stray-dlq"')).toBe(true);
  });

  it('answers 202 for INSUFFICIENT_DATA and stores nothing', async () => {
    const response = await post(server.url, '/alerts/sns', {
      headers: snsHeaders(),
      body: signed({ message: cloudWatchAlarm({ NewStateValue: 'INSUFFICIENT_DATA' }), messageId: 'insufficient-1' }),
    });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ skipped: [{ reason: 'ignored' }] });
    expect((await server.store.listAlerts({})).some((a) => a.dedupKey === 'sns:insufficient-1')).toBe(false);
  });

  it('confirms a SubscriptionConfirmation for an allowed topic by visiting SubscribeURL', async () => {
    const envelope = signEnvelope(confirmationEnvelope({}), { key: certificate.privateKey, version: '1' });
    const response = await post(server.url, '/alerts/sns', { headers: snsHeaders('SubscriptionConfirmation'), body: JSON.stringify(envelope) });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'confirmed', topicArn: TEST_TOPIC_ARN });
    expect(server.confirmations).toEqual([new URL((envelope as SnsConfirmation).SubscribeURL).href]);
  });

  it('acknowledges an UnsubscribeConfirmation without visiting anything', async () => {
    const before = server.confirmations.length;
    const envelope = signEnvelope(confirmationEnvelope({ type: 'UnsubscribeConfirmation' }), { key: certificate.privateKey });
    const response = await post(server.url, '/alerts/sns', { headers: snsHeaders('UnsubscribeConfirmation'), body: JSON.stringify(envelope) });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ignored', type: 'UnsubscribeConfirmation' });
    expect(server.confirmations).toHaveLength(before);
  });

  it('answers 502 when the confirmation GET fails, so SNS resends it', async () => {
    const failing = await startAlertServer({
      certificateFetcher: servingCertificate(certificate.certificatePem),
      confirmSubscription: async () => {
        throw new Error('connection refused');
      },
    });
    try {
      const envelope = signEnvelope(confirmationEnvelope({}), { key: certificate.privateKey });
      const response = await post(failing.url, '/alerts/sns', { headers: snsHeaders('SubscriptionConfirmation'), body: JSON.stringify(envelope) });
      expect(response.status).toBe(502);
      expect(response.json).toMatchObject({ error: 'INTERNAL_ERROR', reason: 'confirmation-failed' });
    } finally {
      await failing.close();
    }
  });

  it('accepts application/json too (proxies that rewrite the content type)', async () => {
    const response = await post(server.url, '/alerts/sns', {
      headers: { 'content-type': 'application/json' },
      body: signed({ message: cloudWatchAlarm(), messageId: 'json-ct-1' }),
    });
    expect(response.status).toBe(200);
  });
});

describe('two replicas sharing one database', () => {
  it('record the same SNS message once between them', async () => {
    const shared = await openTempSqliteStore();
    const otherConnection = SqliteStore.open(shared.path, { clock: systemClock });
    const a = await startAlertServer({ certificateFetcher: servingCertificate(certificate.certificatePem), store: shared.store });
    const b = await startAlertServer({ certificateFetcher: servingCertificate(certificate.certificatePem), store: otherConnection });
    try {
      const body = signed({ message: cloudWatchAlarm(), messageId: 'replicas-1' });
      const responses = await Promise.all([a.url, b.url, a.url, b.url].map((url) => post(url, '/alerts/sns', { headers: snsHeaders(), body })));
      const outcomes = responses.map((r) => (r.json?.alerts as { outcome: string }[])[0]?.outcome).sort();
      expect(outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'recorded']);
      expect(a.events.length + b.events.length).toBe(1);
      expect(await shared.store.listAlerts({})).toHaveLength(1);
      expect(await otherConnection.listAlerts({})).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await otherConnection.close();
      await shared.store.close();
      shared.cleanup();
    }
  });
});
