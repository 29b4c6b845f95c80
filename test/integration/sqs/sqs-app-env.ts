// Builds the app layer on ElasticMQ for a test: a fresh source queue + DLQ pair, a registry with the
// SQS backend, the real SqliteStore (one file per test file, in a temp dir) and the queue operations.
// Tests only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { SqsQueueConfig } from '../../../src/config/config.schema.ts';
import { createSqsQueueBackend } from '../../../src/adapters/outbound/sqs/sqs-queue-backend.ts';
import { createQueueRegistry } from '../../../src/app/shared/queue-registry.ts';
import { createQueueOperations } from '../../../src/presentation/slack/commands/dlq-commands.ts';
import type { QueueDeps } from '../../../src/app/shared/queue-deps.ts';
import { noopMetrics } from '../../../src/ports/metrics.port.ts';
import { systemClock } from '../../../src/ports/clock.port.ts';
import type { QueueBackend } from '../../../src/ports/queue-backend.port.ts';
import { createDlqCommandRouter } from '../../../src/presentation/slack/commands/dlq-router.ts';
import { SqliteStore } from '../../../src/adapters/outbound/sqlite/sqlite-store.ts';
import type { Store } from '../../../src/ports/store.port.ts';
import { createQueuePair, deleteQueues, testSqsClient, type CreatedQueue } from './sqs-test-env.ts';

export interface AppEnv {
  deps: QueueDeps;
  store: Store;
  backend: QueueBackend;
  source: CreatedQueue;
  dlq: CreatedQueue;
  queue: string;
  client: ReturnType<typeof testSqsClient>;
  router: ReturnType<typeof createDlqCommandRouter>;
  cleanup(): Promise<void>;
}

/**
 * Opens a migrated SqliteStore in a fresh temp dir before the file's tests and removes it after.
 * Call at the top of a describe; the getter works inside tests and hooks.
 */
export const useSqliteStore = (): (() => SqliteStore) => {
  let store: SqliteStore | null = null;
  let dir: string | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redrive-sqs-'));
    store = SqliteStore.open(join(dir, 'redrive.db'));
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!store) throw new Error('The SQLite store is opened in beforeAll: use it inside a test or hook.');
    return store;
  };
};

export const makeAppEnv = async (
  options: {
    store: Store;
    fifo?: boolean;
    queueConfig?: Partial<SqsQueueConfig>;
    bodyEdit?: string | null;
    redactKeys?: string[];
    /** How long a job's checkout hides a message (default 20 s here). */
    checkoutVisibilitySeconds?: number;
  },
): Promise<AppEnv> => {
  const client = testSqsClient();
  const { source, dlq } = await createQueuePair(client, 'app', options.fifo ?? false);
  const queue = dlq.name.replace(/\.fifo$/, '');
  const config: SqsQueueConfig = {
    name: queue,
    kind: 'sqs',
    queueUrl: dlq.url,
    escalation: { preset: 'sqs-runbook' },
    alarmNames: [],
    replayTarget: { kind: 'source' },
    ...options.queueConfig,
  } as SqsQueueConfig;
  const backend = createSqsQueueBackend(config, { sqs: client, sfn: null, cloudwatch: null, clock: systemClock, alarmTopicArn: null, checkoutVisibilitySeconds: options.checkoutVisibilitySeconds ?? 20 });
  const store = options.store;
  const deps: QueueDeps = { registry: createQueueRegistry([backend]), store, clock: systemClock, metrics: noopMetrics, redactKeys: options.redactKeys ?? [] };
  const router = createDlqCommandRouter(createQueueOperations(deps, { bodyEdit: options.bodyEdit ?? null }));
  return {
    deps, store, backend, source, dlq, queue, client, router,
    cleanup: async () => {
      await deleteQueues(client, source.url, dlq.url);
      client.destroy();
    },
  };
};

export const cli = { actor: 'cli:test', channelId: null, transport: 'cli' as const };

/** The queue's audit records in the store, newest first. */
export const auditOf = (env: AppEnv) => env.store.searchAudit({ queue: env.queue, limit: 500 });
