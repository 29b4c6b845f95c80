// A tiny consumer on a replay destination that fails on purpose for some message shapes, for the safe
// redrive e2e tests. SQS: it reads the source queue and, while broken, makes a matching message
// visible again at once without deleting it, so the queue's redrive policy moves it back to the DLQ
// after maxReceiveCount; other messages are processed (deleted). Kafka: it reads the replay topic and,
// while broken, writes a matching message back to the DLQ topic with the same trace id and a new
// error. `fix()` makes it process everything. Test support only.

import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Kafka } from 'kafkajs';
import { uniqueName } from './services.ts';

export interface FailingDownstream {
  /** Trace ids of every delivery the consumer got, in order (failed attempts included). */
  readonly attempts: string[];
  /** Trace ids it processed successfully, in order. */
  readonly processed: string[];
  /** Trace ids it failed (once per failed delivery). */
  readonly failed: string[];
  /** The downstream is fixed: from now on every message is processed. */
  fix(): void;
  stop(): Promise<void>;
}

const traceOf = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as { trace_id?: unknown };
    return typeof parsed.trace_id === 'string' ? parsed.trace_id : '(no trace id)';
  } catch {
    return '(not json)';
  }
};

/** The SQS consumer of `sourceUrl`: fails (releases at once) the bodies `fails` picks while broken. */
export const startSqsDownstream = (sqs: SQSClient, sourceUrl: string, fails: (body: string) => boolean): FailingDownstream => {
  const state = { broken: true, stopped: false };
  const attempts: string[] = [];
  const processed: string[] = [];
  const failed: string[] = [];
  const loop = (async () => {
    while (!state.stopped) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 })).catch(() => ({ Messages: [] }));
      for (const m of received.Messages ?? []) {
        const body = m.Body ?? '';
        const trace = traceOf(body);
        attempts.push(trace);
        if (state.broken && fails(body)) {
          failed.push(trace);
          await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: sourceUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })).catch(() => undefined);
        } else {
          processed.push(trace);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: sourceUrl, ReceiptHandle: m.ReceiptHandle })).catch(() => undefined);
        }
      }
    }
  })();
  return {
    attempts, processed, failed,
    fix: () => void (state.broken = false),
    stop: async () => {
      state.stopped = true;
      await loop;
    },
  };
};

/**
 * The Kafka consumer of `replayTopic` (its own group, from the beginning): while broken, a message
 * `fails` picks goes back to `dlqTopic` with the same key and trace id and `newError` as its final error.
 */
export const startKafkaDownstream = async (kafka: Kafka, topics: { replayTopic: string; dlqTopic: string }, fails: (body: string) => boolean, newError: string): Promise<FailingDownstream> => {
  const state = { broken: true };
  const attempts: string[] = [];
  const processed: string[] = [];
  const failed: string[] = [];
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: uniqueName('downstream'), maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.replayTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const body = message.value?.toString('utf8') ?? '';
      const trace = traceOf(body);
      attempts.push(trace);
      if (state.broken && fails(body)) {
        failed.push(trace);
        const back = { ...(JSON.parse(body) as Record<string, unknown>), final_error: newError, error_category: 'permanent', failed_at: new Date().toISOString() };
        await producer.send({ topic: topics.dlqTopic, acks: -1, messages: [{ partition: 0, key: message.key, value: JSON.stringify(back) }] });
      } else processed.push(trace);
    },
  });
  return {
    attempts, processed, failed,
    fix: () => void (state.broken = false),
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
};
