// The Prometheus adapter's job series: aggregated by queue and kind, a resumed job's earlier messages
// not counted twice, an ended job out of the running gauges, a job nobody reports on dropped after
// JOB_STALE_MS. And readiness: the store decides, a backend that hangs is reported, not waited for.
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics, JOB_STALE_MS } from '../../../src/adapters/outbound/metrics/prometheus-metrics.ts';
import { createReadiness } from '../../../src/app/health/readiness.ts';

const line = (text: string, series: string): number | null => {
  const found = text.split('\n').find((l) => l.startsWith(`${series} `));
  return found === undefined ? null : Number(found.slice(series.length + 1));
};

describe('Prometheus job metrics', () => {
  it('aggregates running jobs per queue and kind, counts messages from each job\'s baseline, drops ended and stale jobs', async () => {
    let now = 0;
    const m = createPrometheusMetrics({ defaultMetrics: false, now: () => now });
    const a = { id: 'job-a', queue: 'q1', kind: 'redrive-batch' };
    const b = { id: 'job-b', queue: 'q1', kind: 'redrive-batch' };
    m.jobProgress(a, 0, 100);
    m.jobProgress(a, 30, 100);
    // Resumed after a restart with 40 already done: the baseline, not 40 more messages.
    m.jobProgress(b, 40, 50);
    m.jobProgress(b, 45, 50);
    let text = await m.render();
    expect(line(text, 'redrive_jobs_running{queue="q1",kind="redrive-batch"}')).toBe(2);
    expect(line(text, 'redrive_job_messages_remaining{queue="q1",kind="redrive-batch"}')).toBe(75);
    expect(line(text, 'redrive_job_messages_total{queue="q1",kind="redrive-batch"}')).toBe(35);
    m.jobEnded(a, 'succeeded');
    m.jobEnded(a, 'succeeded');
    text = await m.render();
    expect(line(text, 'redrive_jobs_running{queue="q1",kind="redrive-batch"}')).toBe(1);
    expect(line(text, 'redrive_jobs_ended_total{queue="q1",kind="redrive-batch",status="succeeded"}')).toBe(1);
    now += JOB_STALE_MS + 1;
    text = await m.render();
    expect(text).not.toContain('redrive_jobs_running{');
    expect(text).not.toContain('job-a');
  });
});

describe('readiness', () => {
  const backend = (name: string, status: () => Promise<unknown>) => ({ name, kind: 'sqs' as const, dlq: { status } as never });

  it('is ready on the store alone and reports each backend, a hanging one after the timeout', async () => {
    const check = createReadiness({
      store: { ping: async () => {} },
      backends: () => [backend('up', async () => ({})), backend('hangs', () => new Promise(() => {})), backend('down', async () => Promise.reject(new Error('connect ECONNREFUSED')))],
      timeoutMs: 50,
    });
    expect(await check()).toEqual({
      ready: true,
      store: 'ok',
      queues: {
        up: { kind: 'sqs', backend: 'reachable' },
        hangs: { kind: 'sqs', backend: 'unreachable', error: 'hangs did not answer within 50 ms' },
        down: { kind: 'sqs', backend: 'unreachable', error: 'connect ECONNREFUSED' },
      },
    });
  });

  it('is not ready when the store fails, whatever the backends say', async () => {
    const check = createReadiness({ store: { ping: () => Promise.reject(new Error('database is locked')) }, backends: () => [backend('up', async () => ({}))] });
    expect(await check()).toMatchObject({ ready: false, store: 'failing', storeError: 'database is locked', queues: { up: { backend: 'reachable' } } });
  });
});
