// The local console's demo: two in-memory DLQs, one SQS-like (`demo-downloads-dlq`) and one
// Kafka-like (`demo.downloads.dlq`), seeded with the runbooks' failure patterns and filled on a
// timer so an incident opens at once and escalates L1 → L2 within a minute. Replays are accepted by
// an in-memory target. Built by src/bootstrap (console-mode.ts) only when the console runs and the config names no queue;
// everything it shows is labelled demo.

import { resolveFieldMapping } from '../../../core/analysis/field-mapping.ts';
import type { EscalationOverrides } from '../../../core/escalation/presets.ts';
import { seededRandom } from '../../../core/random/seeded-random.ts';
import type { Clock } from '../../../ports/clock.port.ts';
import type { QueueBackend } from '../../../ports/queue-backend.port.ts';
import type { OutgoingMessage, ReplayTarget, SendResult } from '../../../ports/replay-target.port.ts';
import type { Timers } from '../../../ports/timers.port.ts';
import { DemoDeadLetterQueue } from './demo-dead-letter-queue.ts';
import { demoFailure, pickPattern } from './demo-messages.ts';

export const DEMO_SQS_QUEUE = 'demo-downloads-dlq';
export const DEMO_KAFKA_QUEUE = 'demo.downloads.dlq';

/** Where the demo's incidents, and its L3 page, go in the console. */
export const DEMO_CHANNELS = {
  alerts: { id: 'C0DLQALERTS', name: 'dlq-alerts' },
  l3: { id: 'C0DLQL3PAGE', name: 'dlq-l3-escalations' },
} as const;
export const DEMO_L3_USER_GROUP = { id: 'S0ONCALL', handle: 'dlq-oncall' } as const;

/** Quick demo settings: a poll every 2 s and thresholds low enough to watch the levels move. */
export const DEMO_POLLER_INTERVAL_SECONDS = 2;
const FEED_INTERVAL_MS = 1_500;
/** The feed stops adding once a queue holds this many, so a forgotten demo stays small. */
const FEED_CAP = 400;

export const DEMO_ESCALATION: Record<string, EscalationOverrides> = {
  // sqs-runbook with demo bounds: L1 above 10, L2 above 40, L3 after 2 min at L2, 1 min hold.
  [DEMO_SQS_QUEUE]: { preset: 'sqs-runbook', l1Depth: 10, l2Depth: 40, l3AfterL2Minutes: 2, holdMinutes: 1 },
  // kafka-runbook with demo bounds: L1 above 15, L2 above 10/min over 30 s, 1 min hold.
  [DEMO_KAFKA_QUEUE]: { preset: 'kafka-runbook', l1Depth: 15, l2GrowthPerMinute: 10, l2GrowthWindowMinutes: 0.5, holdMinutes: 1 },
};

/** An in-memory replay destination that accepts every copy (the demo's healthy downstream). */
export class DemoReplayTarget implements ReplayTarget {
  readonly description: string;
  readonly accepted: OutgoingMessage[] = [];

  constructor(description: string) {
    this.description = description;
  }

  async send(messages: OutgoingMessage[]): Promise<SendResult> {
    this.accepted.push(...messages);
    return {
      accepted: messages.map((m, i) => ({ messageKey: m.source.messageKey, destinationId: `demo-copy-${this.accepted.length - messages.length + i + 1}` })),
      failed: [],
    };
  }
}

export interface DemoFeed {
  readonly running: boolean;
  start(): void;
  /** Pausing lets a person drain the queues and watch the incidents step down and resolve. */
  pause(): void;
  stop(): void;
}

export interface Demo {
  backends: QueueBackend[];
  /** Incident settings for the demo queues (the shape incidentQueues takes). */
  queues: { name: string; alertChannel: string; escalation: EscalationOverrides }[];
  feed: DemoFeed;
  dlqs: DemoDeadLetterQueue[];
}

const backendOf = (dlq: DemoDeadLetterQueue, target: DemoReplayTarget): QueueBackend => ({
  name: dlq.name,
  kind: dlq.kind,
  fifo: false,
  dlq,
  // Every view of a demo message says where it sits: in memory, not on a broker.
  location: `${dlq.name} (demo, in memory)`,
  mapping: resolveFieldMapping(undefined).mapping,
  replayTarget: async () => target,
  reexecuteTarget: async () => null,
  moveTasks: null,
  alarms: null,
  close: () => dlq.close(),
});

/** Builds the demo DLQs, seeds them (some minutes old), and a feed that keeps them filling. */
export const createDemo = (deps: { clock: Clock; timers: Timers; seed?: number }): Demo => {
  const { clock, timers } = deps;
  const random = seededRandom(deps.seed ?? 20_241_227);
  const now = clock.now().getTime();
  // Each start gets its own ids (a restart keeps the store, which remembers resolved and replayed ones).
  const run = Math.floor(now / 1000).toString(36);
  const sqs = new DemoDeadLetterQueue({ name: DEMO_SQS_QUEUE, kind: 'sqs', clock, run: { idPrefix: `demo-${run}`, firstOffset: 0 } });
  const kafka = new DemoDeadLetterQueue({ name: DEMO_KAFKA_QUEUE, kind: 'kafka', clock, partitions: 3, run: { idPrefix: 'demo', firstOffset: Math.floor(now / 100) } });
  let n = 0;
  const addTo = (dlq: DemoDeadLetterQueue, at: Date): void => {
    n += 1;
    const failure = demoFailure(pickPattern(random), n, at, dlq.kind === 'kafka' ? `evt-demo-${run}` : `job-demo-${run}`);
    dlq.add(failure.body, { key: failure.traceId, at });
  };
  // Seeds: above L1 from the first poll, spread over the last 20 minutes.
  for (let i = 0; i < 14; i += 1) addTo(sqs, new Date(now - (20 - i) * 60_000));
  for (let i = 0; i < 18; i += 1) addTo(kafka, new Date(now - (20 - i) * 60_000));
  let timer: unknown = null;
  let running = false;
  let tick = 0;
  const fill = (): void => {
    if (!running) return;
    tick += 1;
    const at = clock.now();
    if (sqs.size < FEED_CAP) addTo(sqs, at);
    // Two of every three ticks: about 27 a minute, L2 on the growth rule, under the L3 rate (50/min).
    if (kafka.size < FEED_CAP && tick % 3 !== 0) addTo(kafka, at);
    timer = timers.setTimeout(fill, FEED_INTERVAL_MS);
  };
  const feed: DemoFeed = {
    get running() {
      return running;
    },
    start: () => {
      if (running) return;
      running = true;
      timer = timers.setTimeout(fill, FEED_INTERVAL_MS);
    },
    pause: () => {
      running = false;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
    stop: () => feed.pause(),
  };
  const sqsTarget = new DemoReplayTarget('sqs:demo-downloads (demo)');
  const kafkaTarget = new DemoReplayTarget('kafka:demo.downloads.pending (demo)');
  return {
    backends: [backendOf(sqs, sqsTarget), backendOf(kafka, kafkaTarget)],
    queues: [DEMO_SQS_QUEUE, DEMO_KAFKA_QUEUE].map((name) => ({ name, alertChannel: DEMO_CHANNELS.alerts.id, escalation: DEMO_ESCALATION[name]! })),
    feed,
    dlqs: [sqs, kafka],
  };
};
