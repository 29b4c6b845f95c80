// Shared set-up for the manual redrive job tests on ElasticMQ with the real SqliteStore: one store
// per file, a fresh app env per test (cleaned up after it), numbered bodies, and a drain that reads
// back (and deletes) every copy a job sent.

import { afterEach } from 'vitest';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { makeAppEnv, useSqliteStore, type AppEnv } from './sqs-app-env.ts';

/** `n` JSON bodies `{"id":"m-<i>"}`. */
export const bodies = (n: number): string[] => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `m-${i}` }));

/** Receives and deletes everything visible on `url`; returns the bodies read. */
export const drainBodies = async (env: AppEnv, url: string): Promise<string[]> => {
  const out: string[] = [];
  for (;;) {
    const r = await env.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const batch = r.Messages ?? [];
    if (batch.length === 0) return out;
    out.push(...batch.map((m) => m.Body ?? ''));
    await env.client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
};

/**
 * Call inside a `describe`: a SQLite store for the file (`store()`), and `appEnv()`, which makes a
 * test's app env on that store and cleans it up after the test.
 */
export const useSqliteAppEnv = (): { store: ReturnType<typeof useSqliteStore>; appEnv: () => Promise<AppEnv> } => {
  const store = useSqliteStore();
  let env: AppEnv | null = null;
  afterEach(async () => {
    await env?.cleanup();
    env = null;
  });
  return {
    store,
    appEnv: async () => {
      env = await makeAppEnv({ store: store() });
      return env;
    },
  };
};
