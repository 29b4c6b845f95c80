// One configured queue as the app layer sees it: its DLQ, where replays go, and the optional services
// around it (SQS move tasks, Step Functions, CloudWatch alarms). SQS and Kafka adapters each build
// these; the app layer never asks which technology is behind one.

import type { FieldMapping } from '../core/analysis/field-mapping.ts';
import type { QueueKind } from '../core/model.ts';
import type { DeadLetterQueue } from './dead-letter-queue.port.ts';
import type { ReplayTarget } from './replay-target.port.ts';
import type { ConsumerGroupLag } from './preflight-probes.port.ts';

export interface MoveTaskInfo {
  taskHandle: string | null;
  /** RUNNING | COMPLETED | CANCELLING | CANCELLED | FAILED (SQS ListMessageMoveTasks). */
  status: string;
  destination: string | null;
  ratePerSecond: number | null;
  moved: number;
  toMove: number | null;
  failureReason: string | null;
  startedAt: Date | null;
}

/** The broker's own "move everything back" (SQS StartMessageMoveTask). Rate is capped by the broker (SQS: 500/s). */
export interface MessageMoveService {
  /** Starts moving every message to the configured destination; returns the task handle. */
  start(options: { ratePerSecond: number | null }): Promise<{ taskHandle: string; destination: string }>;
  /** Newest first. */
  list(): Promise<MoveTaskInfo[]>;
  /** Returns how many messages had moved. */
  cancel(taskHandle: string): Promise<number>;
}

export interface AlarmSummary {
  name: string;
  metric: string;
  threshold: number | null;
  comparison: string | null;
  periodSeconds: number | null;
  evaluationPeriods: number | null;
  state: string | null;
  actions: string[];
}

export interface MetricPoint {
  at: Date;
  value: number;
}

/** CloudWatch around one queue: the runbook's depth alarm and the depth history. */
export interface QueueAlarms {
  /** Creates or updates the depth alarm; idempotent ('unchanged' when it already matched). */
  ensureDepthAlarm(): Promise<{ result: 'created' | 'updated' | 'unchanged'; alarm: AlarmSummary }>;
  list(): Promise<AlarmSummary[]>;
  depthHistory(range: { since: Date; until: Date; periodSeconds: number }): Promise<MetricPoint[]>;
}

export interface QueueBackend {
  readonly name: string;
  readonly kind: QueueKind;
  /** SQS FIFO: replays keep the group and need a deduplication id; move tasks do not apply. */
  readonly fifo: boolean;
  readonly dlq: DeadLetterQueue;
  /** Where the DLQ lives, for replies: the SQS queue URL or the Kafka topic. */
  readonly location?: string;
  /** How the queue's bodies map to the runbook's fields (the config's `fieldMapping` over the defaults). */
  readonly mapping?: FieldMapping;
  /** Where replay and redrive-batch send copies (resolved on first use, e.g. the DLQ's source queue). */
  replayTarget(): Promise<ReplayTarget>;
  /** Step Functions re-execution, when the queue has a state machine. */
  reexecuteTarget(): Promise<ReplayTarget | null>;
  readonly moveTasks: MessageMoveService | null;
  readonly alarms: QueueAlarms | null;
  /** Kafka: any consumer group's lag on a topic of the queue's cluster (the pre-flight lag check). */
  readonly consumerGroupLag?: ConsumerGroupLag;
  close(): Promise<void>;
}
