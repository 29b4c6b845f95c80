// Builders and helpers for the Store contract suite: unique names so tests never share rows, fixed
// instants with milliseconds so date round-trips are checked exactly.

import { randomUUID } from 'node:crypto';
import type { AuditRecordInput, MessageIndexEntry, NewIncident, NewJob, Resolution } from '../../../src/core/model.ts';
import type { Store } from '../../../src/ports/store.port.ts';

/** The store under test, fresh (or at least migrated) for the current test. */
export type StoreRef = () => Store;

export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 12)}`;

/** A base instant with a non-zero millisecond part. */
export const T0 = new Date('2026-03-01T10:00:00.123Z');
export const at = (offsetMs: number, base: Date = T0): Date => new Date(base.getTime() + offsetMs);

export const newIncident = (queue: string, overrides: Partial<NewIncident> = {}): NewIncident => ({
  id: unique('inc'),
  queue,
  level: 'L1',
  openedAt: T0,
  alertState: 'firing',
  peakDepth: 12,
  data: { source: 'sns', counts: { replayed: 0 } },
  ...overrides,
});

export const newJob = (queue: string, overrides: Partial<NewJob> = {}): NewJob => ({
  id: unique('job'),
  kind: 'bulk-replay',
  queue,
  params: { batchSize: 10 },
  createdBy: 'U123',
  createdAt: T0,
  ...overrides,
});

export const indexEntry = (queue: string, overrides: Partial<MessageIndexEntry> = {}): MessageIndexEntry => ({
  queue,
  messageKey: unique('msg'),
  traceId: unique('trace'),
  partition: null,
  offset: null,
  bodyHash: unique('hash'),
  firstSeenAt: T0,
  lastSeenAt: T0,
  summary: { category: 'timeout', url: 'https://api.example.test/orders' },
  ...overrides,
});

export const resolution = (queue: string, overrides: Partial<Resolution> = {}): Resolution => ({
  queue,
  messageKey: unique('msg'),
  traceId: null,
  partition: null,
  offset: null,
  body: '{"order":1}',
  attributes: { ApproximateReceiveCount: '3' },
  resolvedBy: 'U123',
  reason: 'duplicate order',
  resolvedAt: T0,
  ...overrides,
});

export const kafkaResolution = (queue: string, partition: number, offset: string, resolvedAt: Date = T0): Resolution =>
  resolution(queue, { messageKey: `${partition}:${offset}`, partition, offset, body: null, resolvedAt });

export const auditInput = (overrides: Partial<AuditRecordInput> = {}): AuditRecordInput => ({
  at: T0,
  action: 'replay',
  queue: null,
  messageId: null,
  traceId: null,
  partition: null,
  offset: null,
  actor: 'U123',
  result: 'success',
  error: null,
  incidentId: null,
  ...overrides,
});

/** Calls fn n times at once and waits for all. */
export const concurrently = <T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

/** Resolves to the error a promise rejects with (fails the test when it resolves). */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
};
