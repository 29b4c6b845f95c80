// POST /alerts/alertmanager on a real HTTP server with a real SqliteStore: bearer and basic auth, grouped
// alerts recorded once each, repeats collapsed, resolve recorded, unknown queues counted and not stored.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerAlert, alertmanagerWebhook } from '../../fixtures/alerts/alert-builders.ts';
import { makeTestCertificate } from '../../fixtures/alerts/sns-signer.ts';
import { amHeaders, BASIC_PASSWORD, BASIC_USER, post, servingCertificate, startAlertServer, testConfig, type AlertTestServer } from './alert-test-server.ts';

const basic = `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}`;

describe('POST /alerts/alertmanager', () => {
  let server: AlertTestServer;

  beforeAll(async () => {
    server = await startAlertServer({
      certificateFetcher: servingCertificate(makeTestCertificate().certificatePem),
      config: testConfig({ alertLevels: { OrdersStuck: 'L3', KafkaDLQSizeHigh: 'L2' } }),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('records each alert of a group with its level, with a bearer token', async () => {
    const payload = alertmanagerWebhook([
      alertmanagerAlert({ fingerprint: 'g1-a' }),
      alertmanagerAlert({ fingerprint: 'g1-b', labels: { alertname: 'KafkaDLQGrowthWarning' } }),
      alertmanagerAlert({ fingerprint: 'g1-c', labels: { alertname: 'KafkaDLQSizeHigh' } }),
      alertmanagerAlert({ fingerprint: 'g1-d', labels: { alertname: 'OrdersStuck', topic: 'billing' } }),
    ]);
    const response = await post(server.url, '/alerts/alertmanager', { headers: amHeaders(), body: JSON.stringify(payload) });
    expect(response.status).toBe(200);
    expect((response.json?.alerts as { queue: string; level: string; outcome: string }[]).map((a) => [a.queue, a.level, a.outcome])).toEqual([
      ['downloads-dlq', 'L2', 'recorded'],
      ['downloads-dlq', 'L1', 'recorded'],
      ['downloads-dlq', 'L2', 'recorded'],
      ['billing', 'L3', 'recorded'],
    ]);
    const stored = await server.store.listAlerts({ queue: 'downloads-dlq' });
    expect(stored.find((a) => a.dedupKey === 'alertmanager:g1-a:firing:2026-11-22T07:58:30.123Z')).toMatchObject({
      source: 'alertmanager',
      name: 'KafkaDLQGrowthRapid',
      state: 'firing',
      details: { labels: { topic: 'downloads.dlq' }, annotations: { summary: 'Kafka DLQ downloads.dlq is growing fast' } },
    });
  });

  it('accepts basic auth', async () => {
    const payload = alertmanagerWebhook([alertmanagerAlert({ fingerprint: 'basic-1' })]);
    const response = await post(server.url, '/alerts/alertmanager', { headers: amHeaders(basic), body: JSON.stringify(payload) });
    expect(response.status).toBe(200);
  });

  it('collapses repeat_interval resends and replica fan-out; records the resolve and a later re-fire', async () => {
    const firing = alertmanagerAlert({ fingerprint: 'repeat-1', startsAt: '2026-11-22T07:00:00Z' });
    const send = (alerts: ReturnType<typeof alertmanagerAlert>[]) =>
      post(server.url, '/alerts/alertmanager', { headers: amHeaders(), body: JSON.stringify(alertmanagerWebhook(alerts)) });
    await Promise.all(Array.from({ length: 10 }, () => send([firing])));
    await send([{ ...firing, status: 'resolved', endsAt: '2026-11-22T07:30:00Z' }]);
    await send([{ ...firing, status: 'resolved', endsAt: '2026-11-22T07:30:00Z' }]);
    await send([{ ...firing, startsAt: '2026-11-22T09:00:00Z' }]);
    const stored = (await server.store.listAlerts({})).filter((a) => a.dedupKey.startsWith('alertmanager:repeat-1:'));
    expect(stored.map((a) => a.dedupKey).sort()).toEqual([
      'alertmanager:repeat-1:firing:2026-11-22T07:00:00.000Z',
      'alertmanager:repeat-1:firing:2026-11-22T09:00:00.000Z',
      'alertmanager:repeat-1:resolved:2026-11-22T07:00:00.000Z',
    ]);
    expect(stored.find((a) => a.dedupKey.includes(':resolved:'))).toMatchObject({ state: 'ok' });
    expect(server.events.filter((e) => e.dedupKey.startsWith('alertmanager:repeat-1:'))).toHaveLength(3);
  });

  it('answers 202 and stores nothing when no alert of the group has a configured queue', async () => {
    const before = (await server.store.listAlerts({})).length;
    const payload = alertmanagerWebhook([alertmanagerAlert({ fingerprint: 'u-1', labels: { topic: 'payments.dlq' } }), alertmanagerAlert({ fingerprint: 'u-2', labels: { topic: '' } })]);
    const response = await post(server.url, '/alerts/alertmanager', { headers: amHeaders(), body: JSON.stringify(payload) });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ status: 'accepted', alerts: [], skipped: [{ reason: 'unknown-queue' }, { reason: 'unknown-queue' }] });
    expect(await server.store.listAlerts({})).toHaveLength(before);
    expect(await server.metricsText()).toMatch(/redrive_alerts_total\{source="alertmanager",result="unknown-queue"\} 2/);
  });

  it('never writes the token or the authorization header to the log', async () => {
    await post(server.url, '/alerts/alertmanager', { headers: amHeaders('Bearer wrong-token-value'), body: '{}' });
    const log = JSON.stringify(server.logLines);
    expect(log).not.toContain('wrong-token-value');
    expect(log).not.toContain('am-token-0123456789');
    expect(log).not.toContain(Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64'));
    expect(server.logLines.some((l) => l.reason === 'credentials-wrong' && l.status === 401)).toBe(true);
  });

  it('refuses everything with 401 when no credentials are configured', async () => {
    const open = await startAlertServer({ certificateFetcher: servingCertificate(makeTestCertificate().certificatePem), env: {} });
    try {
      const response = await post(open.url, '/alerts/alertmanager', { headers: amHeaders('Bearer anything'), body: JSON.stringify(alertmanagerWebhook([alertmanagerAlert()])) });
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ error: 'INGEST_UNAUTHORIZED', reason: 'credentials-not-configured', message: expect.stringMatching(/bearerTokenEnv/) });
      expect(open.logLines.some((l) => String(l.msg).includes('refuses every request'))).toBe(true);
    } finally {
      await open.close();
    }
  });
});
