// Bulk resolve on ElasticMQ: `resolve-batch` archives each matching message in the store (body and
// attributes, with the reason) and only then deletes it from the DLQ; the others stay visible, nothing
// is sent anywhere, and every message resolved has its own audit record with the job id.

import { describe, expect, it } from 'vitest';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { auditOf, cli } from './sqs-app-env.ts';
import { drainBodies, useSqliteAppEnv } from './redrive-job-env.ts';
import { queueDepth, sendMessages, services } from './sqs-test-env.ts';

describe.skipIf(!services)('resolve-batch on ElasticMQ', () => {
  const { store, appEnv } = useSqliteAppEnv();

  it('archives then deletes exactly the matching messages; the rest stay visible; nothing is replayed', async () => {
    const env = await appEnv();
    const body = (i: number, category: string) => JSON.stringify({ job_id: `job-${category}-${i}`, error_category: category, errorMessage: 'HTTP 404: Not Found' });
    await sendMessages(env.client, env.dlq.url, [...Array.from({ length: 12 }, (_, i) => body(i, 'permanent')), ...Array.from({ length: 5 }, (_, i) => body(i, 'transient'))]);
    const text = renderReplyForTerminal(await env.router.handleArgs(['resolve-batch', env.queue, '--category', 'permanent', '--reason', 'links expired'], cli));
    expect(text).toContain('12 message(s) resolved');
    expect(text).toMatch(/resolved \(archived and deleted\)\s+12/);
    expect(text).toMatch(/not matching, left alone\s+5/);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 5, inFlight: 0 });
    const archived = await store().listResolutions(env.queue);
    expect(archived).toHaveLength(12);
    expect(archived.every((r) => r.reason === 'links expired' && (r.body ?? '').includes('"permanent"'))).toBe(true);
    expect(await drainBodies(env, env.source.url)).toEqual([]);
    const audit = await auditOf(env);
    const perMessage = audit.filter((a) => a.action === 'resolve');
    expect(perMessage).toHaveLength(12);
    expect(new Set(perMessage.map((a) => a.jobId)).size).toBe(1);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['resolve-batch:run', 'resolve-batch:end']));
    // What is left is the transient five, still there to replay.
    const left = renderReplyForTerminal(await env.router.handleArgs(['resolve-batch', env.queue, '--count', '2', '--reason', 'cleanup'], cli));
    expect(left).toContain('2 message(s) resolved');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 3, inFlight: 0 });
  });
});
