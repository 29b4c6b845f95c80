// /metrics and /readyz of the real app, scraped over HTTP: prom-client's process metrics under one
// `redrive_` prefix, counters that are counters (`_total`, TYPE counter), no series per job id (jobs
// aggregated by queue and kind, gone from the running gauges once ended), a `queue` label on the
// action counter; readiness decided by the store, each queue backend reported reachable or not
// beside it. A real SQS DLQ on ElasticMQ, plus a configured queue that does not exist there.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMessages, services, sqsEndpoint } from '../integration/sqs/sqs-test-env.ts';
import { startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';

const bodies = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ orderId: i, error: 'Lambda timeout after 30000 ms' }));

/** `# TYPE name type` lines of an exposition, by name. */
const typesOf = (text: string): Map<string, string> =>
  new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));

describe.skipIf(!services)('/metrics and /readyz (SQS DLQ on ElasticMQ)', () => {
  let e: SlackE2e;
  const missing = `redrive-missing-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    e = await startSlackE2e('metrics', {
      server: { slackJobs: { progressEveryMs: 0 } },
      extraQueues: [{ name: missing, kind: 'sqs', queueUrl: `${sqsEndpoint().endpoint.replace(/\/$/, '')}/000000000000/${missing}`, escalation: { preset: 'sqs-runbook' } }],
    });
  });
  afterAll(async () => {
    await e?.close();
  });

  const scrape = async (): Promise<string> => {
    const response = await fetch(`${e.app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('process metrics carry one prefix; every counter ends in _total and every Redrive _total is a counter', async () => {
    const text = await scrape();
    expect(text).not.toMatch(/redrive_process_process_/);
    expect(text).toMatch(/^redrive_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^redrive_nodejs_eventloop_lag_seconds \d/m);
    const types = typesOf(text);
    for (const [name, type] of types) {
      if (type === 'counter') expect(name, name).toMatch(/_total$/);
      // prom-client's own nodejs_active_{handles,requests,resources}_total are gauges (its naming, kept as is).
      if (name.endsWith('_total') && !name.startsWith('redrive_nodejs_')) expect(type, name).toBe('counter');
    }
    for (const name of ['redrive_alerts_total', 'redrive_actions_total', 'redrive_slack_api_errors_total', 'redrive_job_messages_total', 'redrive_jobs_ended_total']) expect(types.get(name), name).toBe('counter');
    for (const name of ['redrive_incident_level', 'redrive_queue_depth', 'redrive_queue_in_flight', 'redrive_jobs_running', 'redrive_job_messages_remaining']) expect(types.get(name), name).toBe('gauge');
  });

  it('a bulk job is counted by queue and kind, never by job id, and leaves the running gauges when it ends; actions carry their queue', async () => {
    await sendMessages(e.sqs, e.pair.dlq.url, bodies(12));
    await e.dlq(`peek ${e.queue} --count 3`);
    await e.dlq(`redrive-batch ${e.queue} --count 12`);
    await e.app.slackJobs.idle();
    const [job] = await e.app.store.listJobs({ queue: e.queue, limit: 1 });
    expect(job).toMatchObject({ status: 'succeeded', progress: { done: 12 } });
    const text = await scrape();
    expect(text).not.toContain(job!.id);
    expect(text).not.toMatch(/[{,]job="/);
    expect(text).toContain(`redrive_job_messages_total{queue="${e.queue}",kind="redrive-batch"} 12`);
    expect(text).toContain(`redrive_jobs_ended_total{queue="${e.queue}",kind="redrive-batch",status="succeeded"} 1`);
    expect(text).not.toMatch(new RegExp(`redrive_jobs_running\\{queue="${e.queue}"`));
    expect(text).not.toMatch(new RegExp(`redrive_job_messages_remaining\\{queue="${e.queue}"`));
    expect(text).toContain(`redrive_actions_total{action="peek",queue="${e.queue}",result="success"} 1`);
    expect(text).toContain(`redrive_actions_total{action="redrive-batch:end",queue="${e.queue}",result="success"} 1`);
    // The poller sampled both queues at start: the missing one has no depth, the real one visible + in flight.
    expect(text).toMatch(new RegExp(`redrive_queue_depth\\{queue="${e.queue}"\\} \\d+`));
    expect(text).toMatch(new RegExp(`redrive_queue_in_flight\\{queue="${e.queue}"\\} \\d+`));
  });

  it('/readyz: ready on the store; each queue backend reported reachable or unreachable without failing readiness', async () => {
    const response = await fetch(`${e.app.url}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; store: string; queues: Record<string, { kind: string; backend: string; error?: string }> };
    expect(body).toMatchObject({ status: 'ready', store: 'ok', slack: 'http' });
    expect(body.queues[e.queue]).toEqual({ kind: 'sqs', backend: 'reachable' });
    expect(body.queues[missing]).toMatchObject({ kind: 'sqs', backend: 'unreachable', error: expect.stringContaining('DLQ_QUEUE_MISSING') });
  });

  it('/readyz: not ready (503) once the store fails, the backends still reported', async () => {
    await e.app.store.close();
    const response = await fetch(`${e.app.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; store: string; error: string; queues: Record<string, { backend: string }> };
    expect(body).toMatchObject({ status: 'not-ready', store: 'failing', error: expect.stringContaining('STORE_UNAVAILABLE') });
    expect(body.queues[e.queue]?.backend).toBe('reachable');
  });
});
