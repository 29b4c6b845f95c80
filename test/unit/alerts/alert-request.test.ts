import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeUtf8, jsonDepthExceeds, parseJsonText, parseWith } from '../../../src/adapters/inbound/sns/alert-request.ts';
import { alertmanagerWebhookSchema } from '../../../src/adapters/inbound/alertmanager/alertmanager-webhook.schema.ts';
import { alertmanagerAlert, alertmanagerWebhook } from '../../fixtures/alerts/alert-builders.ts';

const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value as object).map(depthOf)) : 0;

describe('jsonDepthExceeds', () => {
  it('agrees with the real depth of any JSON value, brackets inside strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        const text = JSON.stringify(value);
        return jsonDepthExceeds(text, limit) === depthOf(value) > limit;
      }),
      { numRuns: 500 },
    );
  });

  it('handles escaped quotes and a hostile million-deep array in linear time', () => {
    expect(jsonDepthExceeds('{"a":"\\"[[[[[[","b":[1]}', 2)).toBe(false);
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const started = Date.now();
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('parseJsonText', () => {
  it.each([
    ['', 'not-json'],
    ['   ', 'not-json'],
    ['{', 'not-json'],
    ["{'a':1}", 'not-json'],
    [`${'['.repeat(33)}${']'.repeat(33)}`, 'json-too-deep'],
  ])('refuses %j as %s', (text, reason) => {
    expect(parseJsonText(text)).toMatchObject({ ok: false, rejection: { status: 400, reason } });
  });

  it('accepts 32 levels', () => {
    expect(parseJsonText(`${'['.repeat(32)}${']'.repeat(32)}`).ok).toBe(true);
  });
});

describe('decodeUtf8', () => {
  it('refuses invalid UTF-8 instead of replacing characters', () => {
    expect(decodeUtf8(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, rejection: { reason: 'not-utf8' } });
    expect(decodeUtf8(Buffer.from('{"a":"é"}'))).toEqual({ ok: true, value: '{"a":"é"}' });
  });
});

describe('parseWith', () => {
  it('names the path of each problem, like the config loader', () => {
    const payload = alertmanagerWebhook([alertmanagerAlert(), { ...alertmanagerAlert(), status: 'pending' as never }]);
    const result = parseWith(alertmanagerWebhookSchema, payload);
    expect(result).toMatchObject({ ok: false, rejection: { status: 400, code: 'INGEST_PAYLOAD_INVALID', reason: 'wrong-shape', message: expect.stringMatching(/^alerts\[1\]\.status: /) } });
  });

  it('prefixes paths inside an embedded document', () => {
    expect(parseWith(z.object({ a: z.number() }), { a: 'x' }, 'Message')).toMatchObject({ ok: false, rejection: { issues: [{ path: 'Message.a' }] } });
  });

  it('requires alertname and a non-empty alerts array', () => {
    expect(parseWith(alertmanagerWebhookSchema, alertmanagerWebhook([]))).toMatchObject({ ok: false, rejection: { message: 'alerts: alerts must not be empty' } });
    const noName = alertmanagerWebhook([{ ...alertmanagerAlert(), labels: { topic: 'x' } }]);
    expect(parseWith(alertmanagerWebhookSchema, noName)).toMatchObject({ ok: false, rejection: { message: 'alerts[0].labels.alertname: an alertname label is required' } });
  });
});
