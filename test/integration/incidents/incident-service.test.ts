// The incident service on a real SqliteStore and the local Slack API server: restarts keep the
// thread and level, unacknowledged incidents escalate, replicas share one incident, alert storms
// coalesce, the poller lease elects one replica, Kafka analysis findings page L3.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../../src/adapters/outbound/slack-chat/slack-chat.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import { encodePng } from '../../../src/adapters/outbound/chart/png-encoder.ts';
import { createDepthPoller } from '../../../src/app/incidents/depth-poller.ts';
import { createIncidentService, type IncidentService } from '../../../src/app/incidents/incident-service.ts';
import { createSlackIncidentNotifier } from '../../../src/presentation/slack/incident-notifier.ts';
import type { QueueInsight } from '../../../src/app/incidents/queue-insight.ts';
import type { RecordedAlertEvent } from '../../../src/app/incidents/ingest-alert.ts';
import { PRESETS } from '../../../src/core/escalation/presets.ts';
import { readIncidentData } from '../../../src/core/incident/incident-data.ts';
import type { Incident } from '../../../src/core/model.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import type { QueueBackend } from '../../../src/ports/queue-backend.port.ts';
import { manualTimers } from '../../../src/ports/timers.port.ts';
import { startSlackApiServer, type SlackApiServer } from '../../support/slack-api-server.ts';
import { testWebClient } from '../../support/slack-web-client.ts';

const MINUTE = 60_000;
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let slack: SlackApiServer;
let dir: string;
let store: SqliteStore;
let other: SqliteStore;
const clock = fixedClock(new Date('2025-03-01T10:00:00Z'));
const services: IncidentService[] = [];

const service = (options: { queue?: string; preset?: 'sqs-runbook' | 'kafka-runbook'; insight?: QueueInsight; onStore?: SqliteStore } = {}): IncidentService => {
  const s = createIncidentService({
    store: options.onStore ?? store,
    notifier: createSlackIncidentNotifier(createSlackChat({ client: testWebClient(slack), metrics: noopMetrics })),
    clock,
    timers: manualTimers(),
    metrics: noopMetrics,
    logger: silent,
    queues: [{ name: options.queue ?? 'orders-dlq', policy: PRESETS[options.preset ?? 'sqs-runbook'], channel: 'C_ALERTS' }],
    l3: { channel: 'C_L3', userGroup: 'SONCALL' },
    insight: options.insight ?? null,
    encodeChart: encodePng,
  });
  services.push(s);
  return s;
};

const sample = async (queue: string, depth: number, advanceMs = 30_000) => {
  clock.advance(advanceMs);
  await store.addDepthSample({ queue, at: clock.now(), depth });
};
const openIncident = async (queue: string): Promise<Incident> => {
  const incident = await store.findOpenIncident(queue);
  if (!incident) throw new Error(`no open incident for ${queue}`);
  return incident;
};
const alertEvent = (queue: string, name: string, state: 'firing' | 'ok' = 'firing'): RecordedAlertEvent => ({
  queue, name, state, level: state === 'firing' ? 'L1' : null, dedupKey: `${name}-${state}-${clock.now().getTime()}`, outcome: 'recorded',
  source: 'alertmanager', receivedAt: clock.now(), details: { annotations: { summary: `${name} is ${state}` } },
});
const methods = () => slack.calls.map((c) => c.method);

beforeAll(async () => {
  slack = await startSlackApiServer();
  dir = mkdtempSync(join(tmpdir(), 'redrive-incidents-'));
  store = SqliteStore.open(join(dir, 'redrive.db'));
  await store.migrate();
  other = SqliteStore.open(join(dir, 'redrive.db'));
});
afterAll(async () => {
  await store.close();
  await other.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => slack.reset());
afterEach(async () => {
  for (const s of services.splice(0)) s.stop();
});

describe('incident service', () => {
  it('a restarted process carries on in the same thread at the same level', async () => {
    const first = service({ queue: 'restart-dlq' });
    await sample('restart-dlq', 80);
    await first.onSample('restart-dlq');
    await first.flush();
    const opened = await openIncident('restart-dlq');
    expect(opened).toMatchObject({ level: 'L1', slackChannel: 'C_ALERTS' });
    first.stop();
    slack.clear();

    const second = service({ queue: 'restart-dlq' });
    await sample('restart-dlq', 300);
    await second.onSample('restart-dlq');
    await second.flush();
    expect((await openIncident('restart-dlq')).level).toBe('L2');
    expect(slack.callsTo('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([opened.slackTs]);
    expect(slack.callsTo('chat.update').map((c) => c.args.ts)).toEqual([opened.slackTs]);
    expect(slack.messagesIn('C_ALERTS').filter((m) => m.threadTs === undefined)).toHaveLength(1);
  });

  it('escalates one level per unacknowledged interval (warning 4 h, critical 1 h) until acknowledged', async () => {
    const s = service({ queue: 'quiet-dlq' });
    await sample('quiet-dlq', 60);
    await s.onSample('quiet-dlq');
    await s.flush();
    slack.clear();
    clock.advance(239 * MINUTE);
    await s.tick();
    await s.flush();
    expect(slack.calls).toEqual([]);
    clock.advance(MINUTE);
    await s.tick();
    await s.flush();
    expect((await openIncident('quiet-dlq')).level).toBe('L2');
    expect(JSON.stringify(slack.callsTo('chat.postMessage')[0]?.args.blocks)).toContain('Not acknowledged for 4 h at L1 warning: escalated to *L2 critical*');
    expect(methods()).toContain('files.completeUploadExternal');
    // The depth alone says L1; the escalation holds until someone acknowledges.
    await sample('quiet-dlq', 60);
    await s.onSample('quiet-dlq');
    expect((await openIncident('quiet-dlq')).level).toBe('L2');
    slack.clear();
    clock.advance(60 * MINUTE);
    await s.tick();
    await s.flush();
    expect((await openIncident('quiet-dlq')).level).toBe('L3');
    const page = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C_L3');
    expect(String(page?.args.text)).toContain('<!subteam^SONCALL>');
    const acked = await s.acknowledge((await openIncident('quiet-dlq')).id, 'U_CAROL');
    expect(acked.kind).toBe('acknowledged');
    expect(readIncidentData((await openIncident('quiet-dlq')).data).floor).toBeNull();
    await s.flush();
    slack.clear();
    clock.advance(5 * 60 * MINUTE);
    await s.tick();
    await s.flush();
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('two replicas on one database share one incident; no alert is lost to a conflict', async () => {
    const a = service({ queue: 'shared-dlq' });
    const b = service({ queue: 'shared-dlq', onStore: other });
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => a.onAlert(alertEvent('shared-dlq', `a-${i}`))),
      ...Array.from({ length: 5 }, (_, i) => b.onAlert(alertEvent('shared-dlq', `b-${i}`))),
    ]);
    await Promise.all([a.flush(), b.flush()]);
    expect(await store.listIncidents({ queue: 'shared-dlq' })).toHaveLength(1);
    const incident = await openIncident('shared-dlq');
    expect(readIncidentData(incident.data).alerts.map((x) => x.name).sort()).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
  });

  it('an alert storm makes at most one parent edit per interval', async () => {
    const s = service({ queue: 'storm-dlq' });
    await s.onAlert(alertEvent('storm-dlq', 'first'));
    await s.flush();
    slack.clear();
    clock.advance(MINUTE);
    for (let i = 0; i < 30; i += 1) await s.onAlert(alertEvent('storm-dlq', 'first', i % 2 === 0 ? 'ok' : 'firing'));
    await s.flush();
    expect(slack.callsTo('chat.update').length).toBeLessThanOrEqual(2);
    expect(await store.listIncidents({ queue: 'storm-dlq' })).toHaveLength(1);
  });

  it('kafka-runbook: a replay failure found by the periodic analysis pages L3', async () => {
    const insight: QueueInsight = {
      analyze: async () => ({ at: clock.now(), topSignature: 'timeout', topSignatureCount: 3, unknownCategories: [], replayFailures: 2, scanned: 12, topPatterns: [], sample: null }),
      activity: async () => ({ replayed: 0, resolved: 0 }),
    };
    const s = service({ queue: 'downloads-dlq', preset: 'kafka-runbook', insight });
    await s.onAlert(alertEvent('downloads-dlq', 'KafkaDLQGrowthWarning'));
    await sample('downloads-dlq', 12);
    await s.onSample('downloads-dlq');
    await s.flush();
    expect((await openIncident('downloads-dlq')).level).toBe('L1');
    slack.clear();
    await s.tick();
    await s.flush();
    const incident = await openIncident('downloads-dlq');
    expect(incident.level).toBe('L3');
    expect(readIncidentData(incident.data).reasons[0]).toBe('2 replayed message(s) came back to the DLQ → L3');
    expect(slack.callsTo('chat.postMessage').some((c) => c.args.channel === 'C_L3')).toBe(true);
  });
});

describe('depth poller', () => {
  const backend = (name: string, depth: () => number): QueueBackend => ({
    name, kind: 'sqs', fifo: false, moveTasks: null, alarms: null,
    dlq: { status: async () => ({ queue: name, kind: 'sqs', depth: depth(), inFlight: 0, delayed: 0, oldestAgeSeconds: 12, partitions: null, at: clock.now() }) } as QueueBackend['dlq'],
    replayTarget: async () => { throw new Error('unused'); },
    reexecuteTarget: async () => null,
    close: async () => {},
  });

  it('one replica polls under the lease; another takes over when it stops or the lease expires', async () => {
    const sampled: string[] = [];
    const make = (replicaId: string, onStore: SqliteStore) =>
      createDepthPoller({
        registry: { list: () => [backend('polled-dlq', () => 7)] },
        store: onStore, clock, timers: manualTimers(), metrics: noopMetrics, logger: silent,
        replicaId, intervalMs: 30_000, retentionMs: 60 * MINUTE,
        onSample: async (queue) => void sampled.push(`${replicaId}:${queue}`),
        onTick: async () => {},
      });
    const a = make('a', store);
    const b = make('b', other);
    expect(await a.pollOnce()).toBe(true);
    expect(await b.pollOnce()).toBe(false);
    clock.advance(30_000);
    expect(await a.pollOnce()).toBe(true);
    expect(await b.pollOnce()).toBe(false);
    await a.stop();
    expect(await b.pollOnce()).toBe(true);
    clock.advance(91_000);
    expect(await a.pollOnce()).toBe(true);
    expect(sampled).toEqual(['a:polled-dlq', 'a:polled-dlq', 'b:polled-dlq', 'a:polled-dlq']);
    const samples = await store.listDepthSamples('polled-dlq', { since: new Date(0) });
    expect(samples.map((s) => s.depth)).toEqual([7, 7, 7, 7]);
    expect(samples[0]?.oldestAgeSeconds).toBe(12);
  });

  it('prunes samples past retention', async () => {
    await store.addDepthSample({ queue: 'old-dlq', at: new Date(clock.now().getTime() - 3 * 60 * MINUTE), depth: 1 });
    const poller = createDepthPoller({
      registry: { list: () => [] }, store, clock, timers: manualTimers(), metrics: noopMetrics, logger: silent,
      replicaId: 'pruner', intervalMs: 30_000, retentionMs: 60 * MINUTE, onSample: async () => {}, onTick: async () => {},
    });
    clock.advance(200_000);
    expect(await poller.pollOnce()).toBe(true);
    expect(await store.listDepthSamples('old-dlq', { since: new Date(0) })).toEqual([]);
    await poller.stop();
  });
});
