import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SnsFetchError, createCertificateCache, type CertificateFetcher } from '../../../src/adapters/inbound/sns/sns-certificate.ts';
import type { SnsEnvelope } from '../../../src/adapters/inbound/sns/sns-message.schema.ts';
import { createSnsSignatureVerifier } from '../../../src/adapters/inbound/sns/sns-signature.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import {
  TEST_CERT_URL,
  confirmationEnvelope,
  makeTestCertificate,
  notificationEnvelope,
  signEnvelope,
} from '../../fixtures/alerts/sns-signer.ts';
import { cloudWatchAlarm } from '../../fixtures/alerts/alert-builders.ts';

const trusted = makeTestCertificate();
const other = makeTestCertificate('someone-else.invalid');

const verifierWith = (fetcher: CertificateFetcher, now = new Date(Date.now() + 1_000)) =>
  createSnsSignatureVerifier({ certificates: createCertificateCache({ fetcher, clock: fixedClock(now) }), extraHosts: [] });

const serving = (pem: string): CertificateFetcher => async (url) => {
  if (url.href !== TEST_CERT_URL) throw new SnsFetchError('rejected', 'answered 404');
  return pem;
};

const verify = verifierWith(serving(trusted.certificatePem));
const notification = notificationEnvelope({ message: cloudWatchAlarm(), subject: 'ALARM: "orders" in EU (Ireland)' });

describe('SNS signature verification', () => {
  it.each(['1', '2'] as const)('accepts SignatureVersion %s signed by the certificate at SigningCertURL', async (version) => {
    await expect(verify(signEnvelope(notification, { key: trusted.privateKey, version }))).resolves.toEqual({ ok: true });
    const confirmation = confirmationEnvelope({});
    await expect(verify(signEnvelope(confirmation, { key: trusted.privateKey, version }))).resolves.toEqual({ ok: true });
  });

  it.each([
    ['Message', { Message: '{"AlarmName":"other"}' }],
    ['MessageId', { MessageId: 'another-id' }],
    ['Subject', { Subject: 'changed' }],
    ['Timestamp', { Timestamp: '2026-01-01T00:00:00.000Z' }],
    ['TopicArn', { TopicArn: 'arn:aws:sns:eu-west-1:123456789012:other' }],
  ])('refuses a message whose %s changed after signing', async (_field, change) => {
    const signed = signEnvelope(notification, { key: trusted.privateKey });
    await expect(verify({ ...signed, ...change } as SnsEnvelope)).resolves.toMatchObject({ ok: false, status: 403, reason: 'signature-invalid' });
  });

  it('refuses a SubscribeURL swapped after signing (no confirming someone else’s subscription)', async () => {
    const signed = signEnvelope(confirmationEnvelope({}), { key: trusted.privateKey });
    const swapped = { ...signed, SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=attacker' } as SnsEnvelope;
    await expect(verify(swapped)).resolves.toMatchObject({ ok: false, reason: 'signature-invalid' });
  });

  it('refuses a message signed by another key', async () => {
    await expect(verify(signEnvelope(notification, { key: other.privateKey }))).resolves.toMatchObject({ ok: false, status: 403, reason: 'signature-invalid' });
  });

  it('refuses a v2 signature presented as v1 and the reverse', async () => {
    const v2 = signEnvelope(notification, { key: trusted.privateKey, version: '2' });
    await expect(verify({ ...v2, SignatureVersion: '1' })).resolves.toMatchObject({ ok: false, reason: 'signature-invalid' });
    const v1 = signEnvelope(notification, { key: trusted.privateKey, version: '1' });
    await expect(verify({ ...v1, SignatureVersion: '2' })).resolves.toMatchObject({ ok: false, reason: 'signature-invalid' });
  });

  it.each([
    ['no Signature', { Signature: undefined }, 'unsigned'],
    ['no SignatureVersion', { SignatureVersion: undefined }, 'unsigned'],
    ['no SigningCertURL', { SigningCertURL: undefined }, 'unsigned'],
    ['SignatureVersion 3', { SignatureVersion: '3' }, 'signature-version-unsupported'],
    ['a Signature that is not base64', { Signature: 'not base64!' }, 'signature-invalid'],
    ['an http certificate URL', { SigningCertURL: TEST_CERT_URL.replace('https:', 'http:') }, 'certificate-url-untrusted'],
    ['a certificate URL on another host', { SigningCertURL: 'https://attacker.example.com/SimpleNotificationService-1.pem' }, 'certificate-url-untrusted'],
    ['a certificate URL not ending .pem', { SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/cert.txt' }, 'certificate-url-untrusted'],
    ['a certificate URL that answers 404', { SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/unknown.pem' }, 'certificate-rejected'],
  ])('refuses %s with 403', async (_what, change, reason) => {
    const signed = signEnvelope(notification, { key: trusted.privateKey });
    await expect(verify({ ...signed, ...change } as SnsEnvelope)).resolves.toMatchObject({ ok: false, status: 403, reason });
  });

  it('answers 503 (SNS retries) when the certificate host is unreachable', async () => {
    const down = verifierWith(async () => {
      throw new SnsFetchError('unavailable', 'timed out');
    });
    await expect(down(signEnvelope(notification, { key: trusted.privateKey }))).resolves.toMatchObject({ ok: false, status: 503, reason: 'certificate-unavailable' });
  });

  it('verifies a real delivery captured from moto (it signs with SHA256withRSA, SignatureVersion 2)', async () => {
    const captured = JSON.parse(readFileSync(new URL('../../fixtures/alerts/moto-sns-notification.json', import.meta.url), 'utf8')) as { body: SnsEnvelope };
    const pem = readFileSync(new URL('../../fixtures/alerts/moto-sns-certificate.pem', import.meta.url), 'utf8');
    // The captured certificate is valid for a year from the capture; check at the capture time.
    const atCapture = verifierWith(async () => pem, new Date(Date.parse(captured.body.Timestamp) + 60_000));
    await expect(atCapture(captured.body)).resolves.toEqual({ ok: true });
    await expect(atCapture({ ...captured.body, Message: '{"AlarmName":"b"}' })).resolves.toMatchObject({ ok: false, reason: 'signature-invalid' });
  });
});
