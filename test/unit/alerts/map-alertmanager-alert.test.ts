import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_ALERT_LEVELS,
  alertmanagerDedupKey,
  findQueueForLabel,
  levelForAlertName,
  mapAlertmanagerAlert,
  type AlertmanagerAlert,
} from '../../../src/core/alerts/map-alertmanager-alert.ts';
import { TEST_QUEUES, alertmanagerAlert } from '../../fixtures/alerts/alert-builders.ts';

describe('mapAlertmanagerAlert', () => {
  it('maps the captured KafkaDLQGrowthRapid alert to the Kafka queue by its topic label, firing at L2', () => {
    expect(mapAlertmanagerAlert(alertmanagerAlert(), TEST_QUEUES)).toMatchObject({
      kind: 'mapped',
      alert: {
        queue: 'downloads-dlq',
        state: 'firing',
        level: 'L2',
        name: 'KafkaDLQGrowthRapid',
        dedupKey: 'alertmanager:5f4dcc3b5aa765d6:firing:2026-11-22T07:58:30.123Z',
        details: { fingerprint: '5f4dcc3b5aa765d6', annotations: { summary: 'Kafka DLQ downloads.dlq is growing fast' } },
      },
    });
  });

  it.each([
    ['KafkaDLQGrowthRapid', 'L2'],
    ['KafkaDLQGrowthWarning', 'L1'],
    ['KafkaDLQSizeHigh', 'L1'],
    ['SomethingElse', null],
  ])('%s implies %s', (name, level) => {
    expect(mapAlertmanagerAlert(alertmanagerAlert({ labels: { alertname: name } }), TEST_QUEUES)).toMatchObject({ alert: { level } });
  });

  it('lets configured levels override and extend the built-in ones', () => {
    const levels = { KafkaDLQSizeHigh: 'L2', OrdersStuck: 'L3' } as const;
    expect(levelForAlertName('KafkaDLQSizeHigh', levels)).toBe('L2');
    expect(levelForAlertName('OrdersStuck', levels)).toBe('L3');
    expect(levelForAlertName('KafkaDLQGrowthRapid', levels)).toBe('L2');
    expect(levelForAlertName('toString', levels)).toBeNull();
    expect(levelForAlertName('__proto__', {})).toBeNull();
    expect(Object.keys(BUILTIN_ALERT_LEVELS)).toHaveLength(3);
  });

  it('a resolved alert is state ok with no level', () => {
    expect(mapAlertmanagerAlert(alertmanagerAlert({ status: 'resolved', endsAt: '2026-11-22T08:30:00Z' }), TEST_QUEUES)).toMatchObject({
      alert: { state: 'ok', level: null, dedupKey: 'alertmanager:5f4dcc3b5aa765d6:resolved:2026-11-22T07:58:30.123Z' },
    });
  });

  it.each([
    ['a Kafka queue topic', 'downloads.dlq', 'downloads-dlq'],
    ['a queue name', 'billing', 'billing'],
    ['an SQS queue name from its URL', 'orders-processing-dlq', 'orders-dlq'],
  ])('matches the label against %s', (_what, value, queue) => {
    expect(findQueueForLabel(value, TEST_QUEUES)?.name).toBe(queue);
  });

  it('reads the queue from a configured label', () => {
    const alert = alertmanagerAlert({ labels: { topic: 'unrelated', dlq: 'billing' } });
    expect(mapAlertmanagerAlert(alert, TEST_QUEUES, { queueLabel: 'dlq' })).toMatchObject({ alert: { queue: 'billing' } });
  });

  it('reports an unknown queue, and a missing label', () => {
    expect(mapAlertmanagerAlert(alertmanagerAlert({ labels: { topic: 'other.dlq' } }), TEST_QUEUES)).toMatchObject({ kind: 'unknown-queue', lookedFor: 'label topic="other.dlq"' });
    expect(mapAlertmanagerAlert(alertmanagerAlert(), TEST_QUEUES, { queueLabel: 'queue' })).toMatchObject({ kind: 'unknown-queue', lookedFor: 'label "queue" (absent)' });
  });
});

describe('alertmanagerDedupKey', () => {
  const labelsArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 6 });
  const alertArb = fc.record({
    status: fc.constantFrom<'firing' | 'resolved'>('firing', 'resolved'),
    labels: labelsArb,
    startsAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  });

  it('is the same for a repeat, whatever the label order, when Alertmanager omits the fingerprint', () => {
    fc.assert(
      fc.property(alertArb, (alert) => {
        const a: AlertmanagerAlert = { ...alert, annotations: {} };
        const reordered: AlertmanagerAlert = { ...a, labels: Object.fromEntries(Object.entries(a.labels).reverse()), annotations: { summary: 'changed' } };
        return alertmanagerDedupKey(a) === alertmanagerDedupKey(reordered);
      }),
    );
  });

  it('differs when the status or startsAt differs (resolve, fire again later)', () => {
    fc.assert(
      fc.property(alertArb, fc.integer({ min: 1, max: 10_000_000 }), (alert, shiftMs) => {
        const a: AlertmanagerAlert = { ...alert, annotations: {}, fingerprint: 'f1' };
        const flipped: AlertmanagerAlert = { ...a, status: a.status === 'firing' ? 'resolved' : 'firing' };
        const later: AlertmanagerAlert = { ...a, startsAt: new Date(Date.parse(a.startsAt) + shiftMs).toISOString() };
        const keys = new Set([alertmanagerDedupKey(a), alertmanagerDedupKey(flipped), alertmanagerDedupKey(later)]);
        return keys.size === 3;
      }),
    );
  });

  it('normalises equivalent startsAt spellings', () => {
    const a = alertmanagerAlert({ startsAt: '2026-11-22T07:58:30.123Z' });
    const b = alertmanagerAlert({ startsAt: '2026-11-22T08:58:30.123+01:00' });
    expect(alertmanagerDedupKey(a)).toBe(alertmanagerDedupKey(b));
  });
});
