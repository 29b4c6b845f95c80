import { describe, expect, it, vi } from 'vitest';
import { createIngestAlert, type RecordedAlertEvent } from '../../../src/app/incidents/ingest-alert.ts';
import { RedriveError } from '../../../src/errors.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import type { Metrics } from '../../../src/ports/metrics.port.ts';
import { TEST_QUEUES, alertmanagerAlert, cloudWatchAlarm } from '../../fixtures/alerts/alert-builders.ts';
import { memoryAlertStore } from '../../fixtures/alerts/memory-alert-store.ts';

const silent = { debug: () => {}, info: () => {}, warn: vi.fn(), error: vi.fn() };

const setup = (extra: { onAlert?: (event: RecordedAlertEvent) => void | Promise<void> } = {}) => {
  const store = memoryAlertStore();
  const counts: string[] = [];
  const metrics: Pick<Metrics, 'alertReceived'> = { alertReceived: (source, result) => counts.push(`${source}:${result}`) };
  const clock = fixedClock(new Date('2026-11-22T08:00:00Z'));
  const logger = { ...silent, warn: vi.fn(), error: vi.fn() };
  const ingest = createIngestAlert({
    store,
    clock,
    metrics,
    logger,
    queues: TEST_QUEUES,
    alertmanager: { queueLabel: 'topic', alertLevels: { OrdersStuck: 'L3' } },
    onAlert: extra.onAlert,
  });
  return { store, counts, ingest, logger, clock };
};

const sns = (messageId: string, alarm = cloudWatchAlarm()) => ({ source: 'sns' as const, delivery: { messageId, topicArn: 'arn:aws:sns:eu-west-1:1:t', alarm } });

describe('ingest alert', () => {
  it('records a CloudWatch alarm once; a retry with the same MessageId is a duplicate', async () => {
    const { store, counts, ingest } = setup();
    const first = await ingest(sns('m-1'));
    expect(first).toEqual({
      alerts: [{ queue: 'orders-dlq', state: 'firing', level: 'L1', name: 'SQS-DLQ-orders-processing-dlq-visible', dedupKey: 'sns:m-1', outcome: 'recorded' }],
      skipped: [],
    });
    expect((await ingest(sns('m-1'))).alerts[0]?.outcome).toBe('duplicate');
    expect(store.records).toHaveLength(1);
    expect(store.records[0]).toMatchObject({ source: 'sns', queue: 'orders-dlq', state: 'firing', receivedAt: new Date('2026-11-22T08:00:00Z') });
    expect(counts).toEqual(['sns:accepted', 'sns:duplicate']);
  });

  it('records each alert of an Alertmanager group, skips unknown queues, and counts each outcome', async () => {
    const { store, counts, ingest, logger } = setup();
    const result = await ingest({
      source: 'alertmanager',
      alerts: [
        alertmanagerAlert(),
        alertmanagerAlert({ fingerprint: 'f-2', labels: { alertname: 'OrdersStuck', topic: 'billing' } }),
        alertmanagerAlert({ fingerprint: 'f-3', labels: { topic: 'nobody.dlq' } }),
        alertmanagerAlert(),
      ],
    });
    expect(result.alerts.map((a) => [a.queue, a.level, a.outcome])).toEqual([
      ['downloads-dlq', 'L2', 'recorded'],
      ['billing', 'L3', 'recorded'],
      ['downloads-dlq', 'L2', 'duplicate'],
    ]);
    expect(result.skipped).toEqual([
      { name: 'KafkaDLQGrowthRapid', dedupKey: 'alertmanager:f-3:firing:2026-11-22T07:58:30.123Z', reason: 'unknown-queue', detail: 'No configured queue matches label topic="nobody.dlq".' },
    ]);
    expect(store.records.map((r) => r.queue)).toEqual(['downloads-dlq', 'billing']);
    expect(counts).toEqual(['alertmanager:accepted', 'alertmanager:accepted', 'alertmanager:unknown-queue', 'alertmanager:duplicate']);
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ lookedFor: 'label topic="nobody.dlq"' }), expect.stringMatching(/no configured queue/));
  });

  it('stores nothing for INSUFFICIENT_DATA and says why', async () => {
    const { store, ingest } = setup();
    const result = await ingest(sns('m-2', cloudWatchAlarm({ NewStateValue: 'INSUFFICIENT_DATA' })));
    expect(result.alerts).toEqual([]);
    expect(result.skipped[0]).toMatchObject({ reason: 'ignored', detail: expect.stringMatching(/INSUFFICIENT_DATA/) });
    expect(store.records).toEqual([]);
  });

  it('tells the subscriber about newly recorded alerts only, and survives a failing subscriber', async () => {
    const seen: RecordedAlertEvent[] = [];
    const { ingest, logger, store } = setup({
      onAlert: (event) => {
        seen.push(event);
        if (event.dedupKey === 'sns:boom') throw new Error('incidents down');
      },
    });
    await ingest(sns('m-1'));
    await ingest(sns('m-1'));
    const result = await ingest(sns('boom'));
    expect(seen.map((e) => [e.dedupKey, e.source, e.outcome])).toEqual([
      ['sns:m-1', 'sns', 'recorded'],
      ['sns:boom', 'sns', 'recorded'],
    ]);
    expect(seen[0]?.details).toMatchObject({ alarmName: 'SQS-DLQ-orders-processing-dlq-visible' });
    expect(result.alerts[0]?.outcome).toBe('recorded');
    expect(store.records).toHaveLength(2);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ dedupKey: 'sns:boom' }), expect.stringMatching(/subscriber failed/));
  });

  it('lets a store failure through so the sender retries (the route answers 503)', async () => {
    const { store, ingest } = setup();
    store.failNext = new RedriveError('STORE_UNAVAILABLE', 'db down');
    await expect(ingest(sns('m-1'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: true });
    await expect(ingest(sns('m-1'))).resolves.toMatchObject({ alerts: [{ outcome: 'recorded' }] });
  });
});
