// Every kind of bad request to the alert routes gets the right 4xx with a JSON error body
// `{ error: CODE, message, reason }` and a log line, and leaves the store exactly as it was.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../../../src/adapters/inbound/sns/sns-message.schema.ts';
import type { AlertRecord } from '../../../src/core/model.ts';
import { alertmanagerAlert, alertmanagerWebhook, cloudWatchAlarm } from '../../fixtures/alerts/alert-builders.ts';
import {
  TEST_CERT_URL,
  confirmationEnvelope,
  makeTestCertificate,
  notificationEnvelope,
  signEnvelope,
  type UnsignedEnvelope,
} from '../../fixtures/alerts/sns-signer.ts';
import { amHeaders, post, servingCertificate, snsHeaders, startAlertServer, type AlertTestServer } from './alert-test-server.ts';

const MAX = 65_536; // testConfig's server.maxBodyBytes
const trusted = makeTestCertificate();
const attacker = makeTestCertificate('attacker.invalid');

const sign = (envelope: UnsignedEnvelope, options: { key?: typeof trusted.privateKey; version?: '1' | '2'; certUrl?: string } = {}): SnsEnvelope =>
  signEnvelope(envelope, { key: options.key ?? trusted.privateKey, version: options.version ?? '2', certUrl: options.certUrl ?? TEST_CERT_URL });
const alarmMessage = (fields: Partial<Parameters<typeof notificationEnvelope>[0]> = {}) => notificationEnvelope({ message: cloudWatchAlarm(), ...fields });
const json = (value: unknown) => JSON.stringify(value);
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const am = (payload: unknown) => json(payload);
const validWebhook = alertmanagerWebhook([alertmanagerAlert()]);

interface Hostile {
  name: string;
  path: '/alerts/sns' | '/alerts/alertmanager';
  headers: Record<string, string>;
  body?: string | Buffer;
  chunks?: () => Iterable<Buffer>;
  status: number;
  error: string;
  reason: string;
  message?: RegExp;
}

function* megabytes(count: number): Iterable<Buffer> {
  for (let i = 0; i < count * 16; i++) yield Buffer.alloc(65_536, 0x20);
}

const HOSTILE: Hostile[] = [
  // Framing and encoding
  { name: 'SNS: XML content type', path: '/alerts/sns', headers: { 'content-type': 'application/xml' }, body: '<x/>', status: 415, error: 'INGEST_PAYLOAD_INVALID', reason: 'unsupported-media-type' },
  { name: 'SNS: no content type', path: '/alerts/sns', headers: {}, body: json(sign(alarmMessage())), status: 415, error: 'INGEST_PAYLOAD_INVALID', reason: 'unsupported-media-type' },
  { name: 'SNS: body over the cap (Content-Length)', path: '/alerts/sns', headers: snsHeaders(), body: Buffer.alloc(MAX + 1, 0x20), status: 413, error: 'INGEST_PAYLOAD_INVALID', reason: 'body-too-large' },
  { name: 'SNS: 2 MiB chunked body, no Content-Length', path: '/alerts/sns', headers: snsHeaders(), chunks: () => megabytes(2), status: 413, error: 'INGEST_PAYLOAD_INVALID', reason: 'body-too-large' },
  { name: 'SNS: not JSON', path: '/alerts/sns', headers: snsHeaders(), body: 'Type=Notification&Message=hi', status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'not-json' },
  { name: 'SNS: empty body', path: '/alerts/sns', headers: snsHeaders(), body: '', status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'not-json' },
  { name: 'SNS: invalid UTF-8', path: '/alerts/sns', headers: snsHeaders(), body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'not-utf8' },
  { name: 'SNS: JSON nested 10,000 deep', path: '/alerts/sns', headers: snsHeaders(), body: nested(10_000), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'json-too-deep' },
  // Shape
  { name: 'SNS: JSON array', path: '/alerts/sns', headers: snsHeaders(), body: '[]', status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape' },
  { name: 'SNS: no MessageId', path: '/alerts/sns', headers: snsHeaders(), body: json({ ...sign(alarmMessage()), MessageId: undefined }), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^MessageId: / },
  { name: 'SNS: unknown Type', path: '/alerts/sns', headers: snsHeaders(), body: json({ ...sign(alarmMessage()), Type: 'Bogus' }), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^Type: / },
  { name: 'SNS: Timestamp not a date', path: '/alerts/sns', headers: snsHeaders(), body: json({ ...sign(alarmMessage()), Timestamp: 'yesterday' }), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^Timestamp: / },
  { name: 'SNS: header type differs from body Type', path: '/alerts/sns', headers: snsHeaders('SubscriptionConfirmation'), body: json(sign(alarmMessage())), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'message-type-mismatch' },
  // Authenticity
  { name: 'SNS: unsigned', path: '/alerts/sns', headers: snsHeaders(), body: json(alarmMessage()), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'unsigned' },
  { name: 'SNS: signed by another key', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage(), { key: attacker.privateKey })), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'signature-invalid' },
  { name: 'SNS: Message changed after signing', path: '/alerts/sns', headers: snsHeaders(), body: json({ ...sign(alarmMessage()), Message: json(cloudWatchAlarm({ AlarmName: 'orders-dlq-depth-high' })) }), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'signature-invalid' },
  { name: 'SNS: v1 signature relabelled v2', path: '/alerts/sns', headers: snsHeaders(), body: json({ ...sign(alarmMessage(), { version: '1' }), SignatureVersion: '2' }), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'signature-invalid' },
  { name: 'SNS: SignatureVersion 3', path: '/alerts/sns', headers: snsHeaders(), body: json({ ...sign(alarmMessage()), SignatureVersion: '3' }), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'signature-version-unsupported' },
  { name: 'SNS: topic not in the config', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage({ topicArn: 'arn:aws:sns:eu-west-1:999999999999:evil' }))), status: 403, error: 'INGEST_UNAUTHORIZED', reason: 'topic-not-allowed' },
  { name: 'SNS: certificate over http', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage(), { certUrl: TEST_CERT_URL.replace('https:', 'http:') })), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'certificate-url-untrusted' },
  { name: 'SNS: certificate on another host', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage(), { certUrl: 'https://sns.eu-west-1.amazonaws.com.attacker.example/c.pem' })), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'certificate-url-untrusted' },
  { name: 'SNS: certificate URL not .pem', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage(), { certUrl: 'https://sns.eu-west-1.amazonaws.com/c.txt' })), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'certificate-url-untrusted' },
  { name: 'SNS: certificate URL on SNS that does not exist', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage(), { certUrl: 'https://sns.eu-west-1.amazonaws.com/forged.pem' })), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'certificate-rejected' },
  { name: 'SNS: replay of a 2 h old message', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage({ timestamp: new Date(Date.now() - 7_200_000) }))), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'message-too-old' },
  { name: 'SNS: Timestamp an hour ahead', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage({ timestamp: new Date(Date.now() + 3_600_000) }))), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'message-from-future' },
  { name: 'SNS: signed confirmation with SubscribeURL elsewhere', path: '/alerts/sns', headers: snsHeaders('SubscriptionConfirmation'), body: json(sign(confirmationEnvelope({ subscribeUrl: 'https://attacker.example/confirm' }))), status: 403, error: 'INGEST_SIGNATURE_INVALID', reason: 'subscribe-url-untrusted' },
  // Signed, but the Message is not a CloudWatch alarm
  { name: 'SNS: signed Message not JSON', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage({ message: 'hello from the console' }))), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'not-json', message: /^Message is not valid JSON/ },
  { name: 'SNS: signed Message with a bad state', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage({ message: { ...cloudWatchAlarm(), NewStateValue: 'PANIC' } }))), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^Message\.NewStateValue: / },
  { name: 'SNS: signed Message nested 100 deep', path: '/alerts/sns', headers: snsHeaders(), body: json(sign(alarmMessage({ message: nested(100) }))), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'json-too-deep' },
  // Alertmanager
  { name: 'AM: no credentials', path: '/alerts/alertmanager', headers: { 'content-type': 'application/json' }, body: am(validWebhook), status: 401, error: 'INGEST_UNAUTHORIZED', reason: 'credentials-missing' },
  { name: 'AM: wrong bearer token', path: '/alerts/alertmanager', headers: amHeaders('Bearer am-token-0123456788'), body: am(validWebhook), status: 401, error: 'INGEST_UNAUTHORIZED', reason: 'credentials-wrong' },
  { name: 'AM: wrong basic password', path: '/alerts/alertmanager', headers: amHeaders(`Basic ${Buffer.from('alertmanager:nope').toString('base64')}`), body: am(validWebhook), status: 401, error: 'INGEST_UNAUTHORIZED', reason: 'credentials-wrong' },
  { name: 'AM: unknown auth scheme', path: '/alerts/alertmanager', headers: amHeaders('Token am-token-0123456789'), body: am(validWebhook), status: 401, error: 'INGEST_UNAUTHORIZED', reason: 'credentials-missing' },
  { name: 'AM: text/plain', path: '/alerts/alertmanager', headers: { ...amHeaders(), 'content-type': 'text/plain' }, body: am(validWebhook), status: 415, error: 'INGEST_PAYLOAD_INVALID', reason: 'unsupported-media-type' },
  { name: 'AM: body over the cap', path: '/alerts/alertmanager', headers: amHeaders(), body: Buffer.alloc(MAX * 4, 0x20), status: 413, error: 'INGEST_PAYLOAD_INVALID', reason: 'body-too-large' },
  { name: 'AM: not JSON', path: '/alerts/alertmanager', headers: amHeaders(), body: '{"version": "4", ', status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'not-json' },
  { name: 'AM: nested 5,000 deep', path: '/alerts/alertmanager', headers: amHeaders(), body: `{"version":"4","alerts":${nested(5_000)}}`, status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'json-too-deep' },
  { name: 'AM: version 3', path: '/alerts/alertmanager', headers: amHeaders(), body: am({ ...validWebhook, version: '3' }), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'version-unsupported' },
  { name: 'AM: no version', path: '/alerts/alertmanager', headers: amHeaders(), body: am({ ...validWebhook, version: undefined }), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'version-unsupported' },
  { name: 'AM: empty alerts array', path: '/alerts/alertmanager', headers: amHeaders(), body: am(alertmanagerWebhook([])), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^alerts: / },
  { name: 'AM: alerts is an object', path: '/alerts/alertmanager', headers: amHeaders(), body: am({ ...validWebhook, alerts: {} }), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^alerts: / },
  { name: 'AM: alert status pending', path: '/alerts/alertmanager', headers: amHeaders(), body: am(alertmanagerWebhook([alertmanagerAlert(), { ...alertmanagerAlert(), status: 'pending' as never }])), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^alerts\[1\]\.status: / },
  { name: 'AM: label value not a string', path: '/alerts/alertmanager', headers: amHeaders(), body: am(alertmanagerWebhook([{ ...alertmanagerAlert(), labels: { alertname: 'KafkaDLQSizeHigh', topic: 42 } as never }])), status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: /^alerts\[0\]\.labels\.topic: / },
  { name: 'AM: JSON null', path: '/alerts/alertmanager', headers: amHeaders(), body: 'null', status: 400, error: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape' },
];

describe('hostile requests to the alert routes', () => {
  let server: AlertTestServer;

  beforeAll(async () => {
    server = await startAlertServer({ certificateFetcher: servingCertificate(trusted.certificatePem) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('has at least twenty cases', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
  });

  it.each(HOSTILE)('$name → $status $reason, nothing stored', async (hostile) => {
    const response = await post(server.url, hostile.path, {
      headers: hostile.headers,
      ...(hostile.chunks ? { chunks: hostile.chunks() } : { body: hostile.body ?? '' }),
    });
    expect({ status: response.status, error: response.json?.error, reason: response.json?.reason }).toEqual({
      status: hostile.status,
      error: hostile.error,
      reason: hostile.reason,
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json?.message).toEqual(expect.any(String));
    if (hostile.message) expect(response.json?.message).toMatch(hostile.message);
    expect(await server.store.listAlerts({})).toEqual([]);
    expect(server.events).toEqual([]);
    expect(server.logLines.some((l) => l.reason === hostile.reason && l.status === hostile.status)).toBe(true);
  });

  it('counts every refusal as rejected', async () => {
    const text = await server.metricsText();
    const count = (source: string) => Number(new RegExp(`redrive_alerts_total\\{source="${source}",result="rejected"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const expected = (path: string) => HOSTILE.filter((h) => h.path === path).length;
    expect(count('sns')).toBe(expected('/alerts/sns'));
    expect(count('alertmanager')).toBe(expected('/alerts/alertmanager'));
  });

  it('leaves an already stored alert untouched, and still serves valid requests after the barrage', async () => {
    const valid = await post(server.url, '/alerts/sns', { headers: snsHeaders(), body: json(sign(alarmMessage({ messageId: 'after-barrage' }))) });
    expect(valid.status).toBe(200);
    const before: AlertRecord[] = await server.store.listAlerts({});
    expect(before).toHaveLength(1);
    for (const hostile of HOSTILE) {
      await post(server.url, hostile.path, { headers: hostile.headers, ...(hostile.chunks ? { chunks: hostile.chunks() } : { body: hostile.body ?? '' }) });
    }
    expect(await server.store.listAlerts({})).toEqual(before);
  });
});
